import type { Db } from '../../db/database.ts'
import type { AssessmentKind, NonAssociationLevel, NonAssociationReason } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import { londonDate } from '../../platform/dates.ts'
import type { Notifications } from '../../platform/notifications.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { cohorts } from '../people/rules.ts'
import type { PeopleService } from '../people/service.ts'
import {
  activityProblems,
  allocatorGroupId,
  allSlots,
  answerProblems,
  assessmentDue,
  categories,
  frameworkOf,
  frameworkProblems,
  groupProblems,
  isNeed,
  needCategory,
  needs as allNeeds,
  needsFromAnswers,
  needsGaps,
  offerShares,
  orderedPair,
  usableDayProblems,
  wantsFrom,
  type ActivityInput,
  type Answers,
  type Framework,
  type GroupInput,
  type Need,
  type NeedDemand,
  type NeedPlaces,
  type Refusal,
  type UsableSlot,
} from './rules.ts'
import * as store from './store.ts'
import { toCsv } from '../../platform/csv.ts'

export type RegimeService = ReturnType<typeof createRegimeService>

/** What the regime needs from the staff area: the organisations that may provide an activity (P3). */
export type StaffForRegime = {
  listOrganisations: () => Promise<readonly { id: string; name: string; kind: string }[]>
  listStaffOnDuty: (establishmentCode: string, trx?: Db) => Promise<readonly { id: string; role: string }[]>
}

/** The platform's in-service notifications, for the daily word about overdue assessments. */
export type NotificationsForRegime = Pick<Notifications, 'notify'>

export type AssessmentInput = {
  kind: AssessmentKind
  answers: Answers
  healthContact: string
  wishes: string
  wishedActivityIds: string[]
}

export type NonAssociationInput = {
  otherPrisonNumber: string
  reason: NonAssociationReason
  level: NonAssociationLevel
  comment: string
}

export type FrameworkInput = Framework & { firstAssessmentDays: number; reassessmentDays: number }

const DEFAULT_DAYS = { firstAssessmentDays: 5, reassessmentDays: 182 }

export function createRegimeService({
  db,
  clock,
  audit,
  people,
  staff,
  notifications,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
  staff: StaffForRegime
  notifications: NotificationsForRegime
}) {
  async function establishmentOrThrow(trx: Db, code: string) {
    const establishment = await store.findEstablishment(trx, code)
    if (!establishment) throw new NotFound()
    return establishment
  }

  async function frameworkAt(trx: Db, establishmentCode: string) {
    const establishment = await establishmentOrThrow(trx, establishmentCode)
    const stored = await store.findFramework(trx, establishmentCode)
    return {
      establishment,
      framework: frameworkOf(establishment.function, stored ?? null),
      isAdjusted: Boolean(stored),
      firstAssessmentDays: stored?.firstAssessmentDays ?? DEFAULT_DAYS.firstAssessmentDays,
      reassessmentDays: stored?.reassessmentDays ?? DEFAULT_DAYS.reassessmentDays,
    }
  }

  async function activityOrThrow(trx: Db, actor: Actor, code: string) {
    const activity = await store.findActivity(trx, actor.establishmentCode, code)
    if (!activity) throw new NotFound()
    return activity
  }

  async function providerProblems(providerOrganisationId: string | null): Promise<Refusal[]> {
    if (!providerOrganisationId) return []
    const organisations = await staff.listOrganisations()
    return organisations.some((organisation) => organisation.id === providerOrganisationId)
      ? []
      : [{ field: 'providerOrganisationId', messageKey: 'regime.activity.error.providerOrganisationId', values: {} }]
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

  return {
    cohorts,

    /**
     * R1: once a day, each prison's activities managers hear how many people are overdue a needs
     * assessment, with a link to the list. The notification sent today is the mark: a second run the same
     * day finds it and sends nothing, so running the sweep twice never alerts twice.
     */
    overdueAssessmentSweep: {
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
    },

    listOrganisations: () => staff.listOrganisations(),

    // -----------------------------------------------------------------------------------------------------
    // The offer (R2, R4)

    /** The activity catalogue of the user's prison, by category then name. */
    async viewOffer(actor: Actor, filter: { category?: string | undefined; includeRetired?: boolean }) {
      const [establishment, activities, day] = await Promise.all([
        establishmentOrThrow(db, actor.establishmentCode),
        store.listActivities(db, actor.establishmentCode, filter),
        store.usableDay(db, actor.establishmentCode),
      ])
      return { establishment, activities, usableSlotCount: day.length }
    },

    /** R2: adds an activity and the needs it meets, or returns what to put right and saves nothing. */
    async addActivity(actor: Actor, activity: ActivityInput, needs: readonly Need[]): Promise<Refusal[]> {
      // Before the transaction: the staff service reads on its own connection, which on PGlite (one
      // connection) would wait for this transaction for ever.
      const providerRefusals = await providerProblems(activity.providerOrganisationId)
      return db.transaction().execute(async (trx) => {
        const problems = [
          ...activityProblems(activity, { codesInUse: await store.activityCodes(trx, actor.establishmentCode) }),
          ...providerRefusals,
        ]
        if (problems.length > 0) return problems
        const id = await store.insertActivity(trx, actor.establishmentCode, activity, clock.now())
        await store.replaceNeedsOfActivity(trx, actor.establishmentCode, id, needs)
        await audit.record(trx, actor, { action: 'regime.activity-added', details: { activityId: id } })
        return []
      })
    },

    /** An activity with its groups (each with the allocator's id) and the needs it meets. */
    async viewActivity(actor: Actor, code: string) {
      const activity = await activityOrThrow(db, actor, code)
      const [groups, needs, day] = await Promise.all([
        store.groupsOf(db, activity.id),
        store.needsOfActivity(db, activity.id),
        store.usableDay(db, actor.establishmentCode),
      ])
      return {
        activity,
        groups: groups.map((group) => ({ ...group, allocatorId: allocatorGroupId(activity.code, group.code) })),
        needs,
        usableDay: day,
      }
    },

    async editActivity(
      actor: Actor,
      code: string,
      activity: Omit<ActivityInput, 'code'>,
      needs: readonly Need[],
    ): Promise<Refusal[]> {
      // Before the transaction, as in addActivity.
      const problems = await providerProblems(activity.providerOrganisationId)
      return db.transaction().execute(async (trx) => {
        const existing = await activityOrThrow(trx, actor, code)
        if (problems.length > 0) return problems
        await store.updateActivity(trx, existing.id, activity)
        await store.replaceNeedsOfActivity(trx, actor.establishmentCode, existing.id, needs)
        await audit.record(trx, actor, { action: 'regime.activity-changed', details: { activityId: existing.id } })
        return []
      })
    },

    /** Retired, not deleted: past allocations and attendance still name it. Its groups retire with it. */
    async retireActivity(actor: Actor, code: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const activity = await activityOrThrow(trx, actor, code)
        await store.setActivityActive(trx, activity.id, false)
        await store.retireGroupsOf(trx, activity.id)
        await audit.record(trx, actor, { action: 'regime.activity-retired', details: { activityId: activity.id } })
      })
    },

    /** R4: a group in the usable day, its minimum from the local risk assessment no more than its capacity. */
    async addGroup(actor: Actor, activityCode: string, group: GroupInput): Promise<Refusal[]> {
      return db.transaction().execute(async (trx) => {
        const activity = await activityOrThrow(trx, actor, activityCode)
        const [existing, day] = await Promise.all([
          store.groupsOf(trx, activity.id),
          store.usableDay(trx, actor.establishmentCode),
        ])
        const problems = groupProblems(group, {
          usableSlots: day.map((slot) => slot.slot),
          codesInUse: existing.map((row) => row.code),
          cohorts,
        })
        if (problems.length > 0) return problems
        await store.insertGroup(trx, activity.id, group)
        await audit.record(trx, actor, {
          action: 'regime.group-added',
          details: { activityId: activity.id, group: group.code },
        })
        return []
      })
    },

    async findGroup(actor: Actor, activityCode: string, groupCode: string) {
      const activity = await activityOrThrow(db, actor, activityCode)
      const group = (await store.groupsOf(db, activity.id)).find((row) => row.code === groupCode)
      if (!group) throw new NotFound()
      return { activity, group, usableDay: await store.usableDay(db, actor.establishmentCode) }
    },

    async editGroup(actor: Actor, activityCode: string, groupCode: string, group: GroupInput): Promise<Refusal[]> {
      return db.transaction().execute(async (trx) => {
        const activity = await activityOrThrow(trx, actor, activityCode)
        const existing = (await store.groupsOf(trx, activity.id)).find((row) => row.code === groupCode)
        if (!existing) throw new NotFound()
        const day = await store.usableDay(trx, actor.establishmentCode)
        const problems = groupProblems(
          { ...group, code: groupCode },
          { usableSlots: day.map((slot) => slot.slot), codesInUse: [], cohorts },
        )
        if (problems.length > 0) return problems
        await store.updateGroup(trx, existing.id, group)
        await audit.record(trx, actor, {
          action: 'regime.group-changed',
          details: { activityId: activity.id, group: groupCode },
        })
        return []
      })
    },

    async retireGroup(actor: Actor, activityCode: string, groupCode: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const activity = await activityOrThrow(trx, actor, activityCode)
        const existing = (await store.groupsOf(trx, activity.id)).find((row) => row.code === groupCode)
        if (!existing) throw new NotFound()
        await store.setGroupActive(trx, existing.id, false)
        await audit.record(trx, actor, {
          action: 'regime.group-retired',
          details: { activityId: activity.id, group: groupCode },
        })
      })
    },

    /** R2: the usable day: which of the 21 slots run, and when. */
    async viewUsableDay(actor: Actor) {
      const [establishment, day] = await Promise.all([
        establishmentOrThrow(db, actor.establishmentCode),
        store.usableDay(db, actor.establishmentCode),
      ])
      return { establishment, usableDay: day }
    },

    /** A slot an active group meets in cannot be taken out of the day until the group moves. */
    async saveUsableDay(actor: Actor, slots: readonly UsableSlot[]): Promise<Refusal[]> {
      return db.transaction().execute(async (trx) => {
        const problems = usableDayProblems(slots)
        if (problems.length > 0) return problems
        const kept = new Set(slots.map((slot) => slot.slot))
        const stranded = (await store.groupsUsingSlots(trx, actor.establishmentCode)).filter((group) =>
          group.slots.some((slot) => !kept.has(slot)),
        )
        if (stranded.length > 0)
          return [
            {
              field: 'slots',
              messageKey: 'regime.usableDay.error.inUse',
              values: {
                groups: stranded
                  .slice(0, 5)
                  .map((group) => allocatorGroupId(group.activityCode, group.code))
                  .join(', '),
                count: stranded.length,
              },
            },
          ]
        await store.replaceUsableDay(trx, actor.establishmentCode, slots)
        await audit.record(trx, actor, { action: 'regime.usable-day-saved', details: { slots: slots.length } })
        return []
      })
    },

    // -----------------------------------------------------------------------------------------------------
    // Frameworks (R3)

    async viewFramework(actor: Actor) {
      const current = await frameworkAt(db, actor.establishmentCode)
      return { ...current, functionDefault: frameworkOf(current.establishment.function, null) }
    },

    async saveFramework(actor: Actor, input: FrameworkInput): Promise<Refusal[]> {
      const problems = frameworkProblems(input)
      if (problems.length > 0) return problems
      await db.transaction().execute(async (trx) => {
        await establishmentOrThrow(trx, actor.establishmentCode)
        await store.saveFramework(
          trx,
          actor.establishmentCode,
          {
            categoryShares: input.categoryShares,
            needEmphasis: input.needEmphasis,
            firstAssessmentDays: input.firstAssessmentDays,
            reassessmentDays: input.reassessmentDays,
          },
          actor.id,
          clock.now(),
        )
        await audit.record(trx, actor, { action: 'regime.framework-saved' })
      })
      return []
    },

    /** Back to the function's default framework and the default due days. */
    async resetFramework(actor: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await store.deleteFramework(trx, actor.establishmentCode)
        await audit.record(trx, actor, { action: 'regime.framework-reset' })
      })
    },

    // -----------------------------------------------------------------------------------------------------
    // Non-associations and cohorts (R4)

    /** The person's non-associations, open first. Audited as a view of the person's record. */
    async viewPersonNonAssociations(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const rows = await store.nonAssociationsOf(db, person.id)
      await audit.record(db, actor, {
        action: 'non-associations.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
      })
      return {
        person,
        nonAssociations: rows.map((row) => ({
          ...row,
          other: row.personAId === person.id ? row.b : row.a,
          // Someone at a prison the user does not work in is named by prison number only.
          otherIsVisible: actor.establishmentCodes.includes(
            row.personAId === person.id ? row.b.establishmentCode : row.a.establishmentCode,
          ),
        })),
      }
    },

    /** R4: two people who must be kept apart, why, and where. Both must be people the user can see. */
    async recordNonAssociation(actor: Actor, prisonNumber: string, input: NonAssociationInput): Promise<Refusal[]> {
      const person = await people.findPersonOrThrow(actor, prisonNumber)
      return db.transaction().execute(async (trx) => {
        const other = await store.findPersonByPrisonNumber(trx, input.otherPrisonNumber)
        if (!other || !actor.establishmentCodes.includes(other.establishmentCode))
          return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.notFound', values: {} }]
        if (other.id === person.id)
          return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.self', values: {} }]
        const [a, b] = orderedPair(person.id, other.id)
        if (await store.hasOpenNonAssociation(trx, a, b))
          return [{ field: 'otherPrisonNumber', messageKey: 'regime.nonAssociation.error.exists', values: {} }]
        const id = await store.insertNonAssociation(trx, {
          personAId: a,
          personBId: b,
          reason: input.reason,
          level: input.level,
          comment: input.comment,
          createdAt: clock.now(),
          createdBy: actor.id,
        })
        for (const personId of [a, b])
          await audit.record(trx, actor, {
            action: 'non-association.recorded',
            personId,
            details: { nonAssociationId: id, level: input.level },
          })
        return []
      })
    },

    /** Closes one with the reason; the person's page the user came from is returned for the redirect. */
    async closeNonAssociation(actor: Actor, id: string, reason: string): Promise<{ stale: boolean }> {
      return db.transaction().execute(async (trx) => {
        const row = await store.findNonAssociation(trx, id)
        if (
          !row ||
          !(
            actor.establishmentCodes.includes(row.a.establishmentCode) ||
            actor.establishmentCodes.includes(row.b.establishmentCode)
          )
        )
          throw new NotFound()
        const closed = await store.closeNonAssociation(trx, id, reason, clock.now(), actor.id)
        if (closed === 0) return { stale: true }
        for (const personId of [row.personAId, row.personBId])
          await audit.record(trx, actor, {
            action: 'non-association.closed',
            personId,
            details: { nonAssociationId: id },
          })
        return { stale: false }
      })
    },

    async findNonAssociationForClosing(actor: Actor, id: string) {
      const row = await store.findNonAssociation(db, id)
      if (
        !row ||
        !(
          actor.establishmentCodes.includes(row.a.establishmentCode) ||
          actor.establishmentCodes.includes(row.b.establishmentCode)
        )
      )
        throw new NotFound()
      return row
    },

    /** The prison's open non-associations and the cohorts that must not mix. Audited as a list view. */
    async viewPrisonNonAssociations(actor: Actor) {
      const [rows, separations] = await Promise.all([
        store.openNonAssociationsAt(db, actor.establishmentCode),
        store.cohortSeparations(db, actor.establishmentCode),
      ])
      await audit.record(db, actor, { action: 'non-associations.listed', details: { count: rows.length } })
      return { nonAssociations: rows, separations, cohorts }
    },

    async addCohortSeparation(actor: Actor, cohortA: string, cohortB: string): Promise<Refusal[]> {
      if (!(cohorts as readonly string[]).includes(cohortA) || !(cohorts as readonly string[]).includes(cohortB))
        return [{ field: 'cohortA', messageKey: 'regime.separation.error.cohorts', values: {} }]
      if (cohortA === cohortB) return [{ field: 'cohortB', messageKey: 'regime.separation.error.same', values: {} }]
      const [a, b] = [cohortA, cohortB].sort() as [string, string]
      await db.transaction().execute(async (trx) => {
        await store.insertCohortSeparation(trx, actor.establishmentCode, a, b)
        await audit.record(trx, actor, {
          action: 'regime.cohort-separation-added',
          details: { cohortA: a, cohortB: b },
        })
      })
      return []
    },

    async removeCohortSeparation(actor: Actor, cohortA: string, cohortB: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const removed = await store.deleteCohortSeparation(trx, actor.establishmentCode, cohortA, cohortB)
        if (removed === 0) throw new NotFound()
        await audit.record(trx, actor, { action: 'regime.cohort-separation-removed', details: { cohortA, cohortB } })
      })
    },

    // -----------------------------------------------------------------------------------------------------
    // Needs assessment (R1)

    /** The person's latest assessment, its needs and the wants they yield, the history and when one is due. */
    async viewAssessment(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const { firstAssessmentDays, reassessmentDays } = await frameworkAt(db, person.establishmentCode)
      const [history, wants] = await Promise.all([store.assessmentHistory(db, person.id), store.wantsOf(db, person.id)])
      const latest = history[0] ?? null
      const wished = latest ? await store.activitiesByIds(db, person.establishmentCode, latest.wishedActivityIds) : []
      await audit.record(db, actor, {
        action: 'needs-assessment.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
        details: { version: latest?.version ?? null },
      })
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
    },

    /** One saved version, as it was. Audited. */
    async viewAssessmentVersion(actor: Actor, prisonNumber: string, version: number) {
      const person = await people.personHeader(actor, prisonNumber)
      const assessment = await store.findAssessment(db, person.id, version)
      if (!assessment) throw new NotFound()
      const wished = await store.activitiesByIds(db, person.establishmentCode, assessment.wishedActivityIds)
      await audit.record(db, actor, {
        action: 'needs-assessment.viewed',
        personId: person.id,
        establishmentCode: person.establishmentCode,
        details: { version },
      })
      return { person, assessment, wished }
    },

    /** What the form needs: the person, the last answers to start from, and the offer to wish from. */
    async assessmentForm(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const [history, activities] = await Promise.all([
        store.assessmentHistory(db, person.id),
        store.listActivities(db, person.establishmentCode),
      ])
      return { person, previous: history[0] ?? null, activities }
    },

    /**
     * R1: saves a new version of the person's assessment (earlier versions are kept), and replaces their
     * wants with what its needs and wishes yield through the prison's map and framework. Audited.
     */
    async saveAssessment(actor: Actor, prisonNumber: string, input: AssessmentInput): Promise<Refusal[]> {
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
        await audit.record(trx, actor, {
          action: 'needs-assessment.saved',
          personId: person.id,
          establishmentCode: person.establishmentCode,
          details: { version, needs: needs.length, wants: wants.size },
        })
        return []
      })
    },

    /** R1: who at the prison is overdue or due within a week for a first assessment or a reassessment. */
    async dueAssessments(actor: Actor) {
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
    },

    // -----------------------------------------------------------------------------------------------------
    // Population needs analysis (R8)

    async needsAnalysis(actor: Actor) {
      const { framework, establishment } = await frameworkAt(db, actor.establishmentCode)
      const [everyone, placeRows, sessions] = await Promise.all([
        store.peopleWithLatestAssessment(db, actor.establishmentCode),
        store.placesByNeed(db, actor.establishmentCode),
        store.sessionsByCategory(db, actor.establishmentCode),
      ])
      const demand = new Map<string, NeedDemand>()
      for (const person of everyone)
        for (const { need, priority } of person.needs ?? [])
          if (isNeed(need) && priority !== 'low') {
            const key = `${need}|${person.cohort}`
            const row = demand.get(key) ?? { need, cohort: person.cohort, people: 0 }
            row.people += 1
            demand.set(key, row)
          }
      const places = new Map<string, NeedPlaces>()
      for (const row of placeRows) {
        if (!isNeed(row.need)) continue
        for (const cohort of row.cohorts ?? cohorts) {
          const key = `${row.need}|${cohort}`
          const entry = places.get(key) ?? { need: row.need, cohort, places: 0 }
          entry.places += row.capacity
          places.set(key, entry)
        }
      }
      const gaps = needsGaps([...demand.values()], [...places.values()])
      const byCategory = categories
        .map((category) => {
          const rows = gaps.filter((gap) => gap.category === category)
          return {
            category,
            people: rows.reduce((sum, gap) => sum + gap.people, 0),
            shortfall: rows.reduce((sum, gap) => sum + gap.shortfall, 0),
          }
        })
        .sort((a, b) => b.shortfall - a.shortfall || categories.indexOf(a.category) - categories.indexOf(b.category))
      await audit.record(db, actor, { action: 'needs-analysis.viewed' })
      return {
        establishment,
        population: everyone.length,
        assessed: everyone.filter((person) => person.lastAssessedOn !== null).length,
        gaps,
        byCategory,
        shares: offerShares(sessions, framework),
      }
    },

    /** R8 as CSV for commissioners: counts only, no one's name. */
    async needsAnalysisCsv(actor: Actor): Promise<string> {
      const analysis = await this.needsAnalysis(actor)
      return toCsv(
        ['need', 'category', 'cohort', 'people', 'places', 'shortfall'],
        analysis.gaps.map((gap) => [gap.need, gap.category, gap.cohort, gap.people, gap.places, gap.shortfall]),
      )
    },

    /** R8: the people behind one gap, one link away. Audited, with the count and never the names. */
    async peopleBehindGap(actor: Actor, need: string, cohort: string) {
      if (!isNeed(need) || !(cohorts as readonly string[]).includes(cohort)) throw new NotFound()
      const everyone = await store.peopleWithLatestAssessment(db, actor.establishmentCode)
      const listed = everyone
        .filter((person) => person.cohort === cohort)
        .flatMap((person) => {
          const found = (person.needs ?? []).find((row) => row.need === need && row.priority !== 'low')
          return found ? [{ ...person, priority: found.priority }] : []
        })
        .sort((a, b) => (a.priority === b.priority ? 0 : a.priority === 'high' ? -1 : 1))
      await audit.record(db, actor, {
        action: 'needs-analysis.people-viewed',
        details: { need, cohort, count: listed.length },
      })
      return { need, cohort, category: needCategory[need], people: listed }
    },

    /** For the demo and the allocation helper's tests: the need map of a prison. */
    needActivities: (establishmentCode: string) => store.needActivities(db, establishmentCode),
    allNeeds,
    allSlots,
  }
}
