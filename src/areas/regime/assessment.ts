/** R1: a person's needs assessment, its versions, the wants it yields, and who is due one. */
import type { Db } from '../../db/database.ts'
import type { AssessmentKind } from '../../db/schema.ts'
import { aboutPerson } from '../../platform/audit.ts'
import { londonDate } from '../../platform/dates.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Sweep } from '../../platform/jobs.ts'
import type { Actor } from '../../platform/permissions.ts'
import { answerProblems, assessmentDue, needsFromAnswers, wantsFrom, type Answers, type Refusal } from './rules.ts'
import * as store from './store.ts'
import { frameworkAt, type RegimeDeps } from './deps.ts'

export type AssessmentInput = {
  kind: AssessmentKind
  answers: Answers
  healthContact: string
  wishes: string
  wishedActivityIds: string[]
}

/** R1: the people at a prison whose first assessment or reassessment is overdue or due this week. */
async function dueAt(trx: Db, establishmentCode: string, today: string) {
  const { firstAssessmentDays, reassessmentDays, establishment } = await frameworkAt(trx, establishmentCode)
  const everyone = await store.peopleWithLatestAssessment(trx, establishmentCode)
  const listed = everyone
    .map((person) => ({
      ...person,
      due: assessmentDue(
        { receptionOn: person.receptionOn, lastAssessedOn: person.lastAssessedOn },
        { firstAssessmentDays, reassessmentDays },
        today,
      ),
    }))
    .filter((person) => person.due.state !== 'later')
    .sort((a, b) => a.due.dueOn.localeCompare(b.due.dueOn) || a.lastName.localeCompare(b.lastName))
  return { establishment, firstAssessmentDays, reassessmentDays, everyone, listed }
}

/**
 * R1: once a day, each prison's activities managers hear how many people are overdue a needs
 * assessment, with a link to the list. The notification sent today is the mark: a second run the same
 * day finds it and sends nothing, so running the sweep twice never alerts twice.
 */
export function overdueAssessmentSweep(deps: RegimeDeps): Sweep {
  const { db, staff, notifications } = deps
  return {
    name: 'regime.overdue-assessments',
    everySeconds: 60 * 60,
    run: async (now: Date): Promise<void> => {
      const today = londonDate(now)
      for (const establishmentCode of await store.establishmentCodes(db)) {
        const { listed } = await dueAt(db, establishmentCode, today)
        const overdue = listed.filter((person) => person.due.state === 'overdue').length
        if (overdue === 0) continue
        await db.transaction().execute(async (trx) => {
          if (await store.hasNotificationSince(trx, establishmentCode, 'regime.assessments-overdue', today)) return
          const managers = (await staff.listStaffOnDuty(establishmentCode, trx)).filter(
            (member) => member.role === 'activities',
          )
          await notifications.notify(trx, {
            recipientIds: managers.map((member) => member.id),
            establishmentCode,
            kind: 'regime.assessments-overdue',
            messageKey: 'regime.notification.overdue',
            params: { count: overdue },
            href: '/needs-assessments',
          })
        })
      }
    },
  }
}

/** The person's latest assessment, its needs and the wants they yield, the history and when one is due. */
export async function viewAssessment(deps: RegimeDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const { firstAssessmentDays, reassessmentDays } = await frameworkAt(db, person.establishmentCode)
  const [history, wants] = await Promise.all([store.assessmentHistory(db, person.id), store.wantsOf(db, person.id)])
  const latest = history[0] ?? null
  const wished = latest ? await store.activitiesByIds(db, person.establishmentCode, latest.wishedActivityIds) : []
  await audit.record(db, actor, aboutPerson('needs-assessment.viewed', person, { version: latest?.version ?? null }))
  return {
    person,
    latest,
    wished,
    history,
    wants,
    due: assessmentDue(
      { receptionOn: person.receptionOn, lastAssessedOn: latest?.assessedOn ?? null },
      { firstAssessmentDays, reassessmentDays },
      clock.today(),
    ),
  }
}

/** One saved version, as it was. Audited. */
export async function viewAssessmentVersion(deps: RegimeDeps, actor: Actor, prisonNumber: string, version: number) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const assessment = await store.findAssessment(db, person.id, version)
  if (!assessment) throw new NotFound()
  const wished = await store.activitiesByIds(db, person.establishmentCode, assessment.wishedActivityIds)
  await audit.record(db, actor, aboutPerson('needs-assessment.viewed', person, { version }))
  return { person, assessment, wished }
}

/** What the form needs: the person, the last answers to start from, and the offer to wish from. */
export async function assessmentForm(deps: RegimeDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const [history, activities] = await Promise.all([
    store.assessmentHistory(db, person.id),
    store.listActivities(db, person.establishmentCode),
  ])
  const previous = history[0] ?? null
  // The form starts from the last answers (health and substance use among them): reading them is a view.
  if (previous)
    await audit.record(
      db,
      actor,
      aboutPerson('needs-assessment.viewed', person, { version: previous.version, for: 'form' }),
    )
  return { person, previous, activities }
}

/**
 * R1: saves a new version of the person's assessment (earlier versions are kept), and replaces their
 * wants with what its needs and wishes yield through the prison's map and framework. Audited.
 */
export async function saveAssessment(
  deps: RegimeDeps,
  actor: Actor,
  prisonNumber: string,
  input: AssessmentInput,
): Promise<Refusal[]> {
  const { db, clock, audit, people } = deps
  const problems = answerProblems(input.answers)
  if (input.answers.healthFlag === 'yes' && input.healthContact.trim() === '')
    problems.push({ field: 'healthContact', messageKey: 'regime.assessment.error.healthContact', values: {} })
  if (problems.length > 0) return problems
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  return db.transaction().execute(async (trx) => {
    const { framework } = await frameworkAt(trx, person.establishmentCode)
    const offered = await store.activitiesByIds(trx, person.establishmentCode, input.wishedActivityIds)
    if (offered.length !== new Set(input.wishedActivityIds).size)
      return [{ field: 'wish1', messageKey: 'regime.assessment.error.wish', values: {} }]
    const needs = needsFromAnswers(input.answers)
    const wants = wantsFrom({
      needs,
      framework,
      needActivities: await store.needActivities(trx, person.establishmentCode),
      wishedActivityIds: input.wishedActivityIds,
      personKey: person.prisonNumber,
    })
    const version = (await store.lastVersion(trx, person.id)) + 1
    await store.insertAssessment(trx, {
      personId: person.id,
      establishmentCode: person.establishmentCode,
      version,
      kind: input.kind,
      answers: input.answers,
      needs,
      wishes: input.wishes,
      wishedActivityIds: input.wishedActivityIds,
      healthContact: input.answers.healthFlag === 'yes' ? input.healthContact.trim() : '',
      assessedOn: clock.today(),
      assessedAt: clock.now(),
      assessedBy: actor.id,
    })
    await store.replaceWants(trx, person.id, wants)
    await audit.record(
      trx,
      actor,
      aboutPerson('needs-assessment.saved', person, { version, needs: needs.length, wants: wants.size }),
    )
    return []
  })
}

/** R1: who at the prison is overdue or due within a week for a first assessment or a reassessment. */
export async function dueAssessments(deps: RegimeDeps, actor: Actor) {
  const { db, clock, audit } = deps
  const { establishment, firstAssessmentDays, reassessmentDays, everyone, listed } = await dueAt(
    db,
    actor.establishmentCode,
    clock.today(),
  )
  await audit.record(db, actor, { action: 'needs-assessments.due-listed', details: { count: listed.length } })
  return {
    establishment,
    firstAssessmentDays,
    reassessmentDays,
    overdue: listed.filter((person) => person.due.state === 'overdue'),
    due: listed.filter((person) => person.due.state === 'due'),
    population: everyone.length,
    assessed: everyone.filter((person) => person.lastAssessedOn !== null).length,
  }
}
