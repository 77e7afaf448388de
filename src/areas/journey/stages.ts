/** J1: where a person is in their journey through custody, and who is responsible for them at each stage. */
import type { Db } from '../../db/database.ts'
import type { JourneyStageName } from '../../db/schema.ts'
import { aboutPerson } from '../../platform/audit.ts'
import { NotFound } from '../../platform/errors.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import { allowedNextStages, isAllowedTransition, needsNamedPerson } from './rules.ts'
import { holdCustody } from '../../platform/locks.ts'
import { namedStaffOrRefusal, responsibilityFrom, responsibleChoices, type JourneyDeps } from './deps.ts'
import { recordLeavingOnRelease } from './custody-moves.ts'

/**
 * J1: who is responsible for a person now, for other areas' services (a concern goes to them). Not
 * audited: it reads no more of the journey than the caller is about to act on, and the caller audits that.
 * Inside the caller's transaction when given one, read in turn: it holds one connection.
 */
export async function responsibilityOf(deps: JourneyDeps, personId: string, trx?: Db) {
  const { db, keywork } = deps
  const stages = await store.currentStagesOf(trx ?? db, [personId])
  const officers = await keywork.currentDedicatedOfficers([personId], trx)
  return responsibilityFrom(stages.get(personId) ?? null, officers.get(personId) ?? null)
}

/** J1: the journey page. Who is responsible now and before, the timeline, and what can come next. Audited. */
export async function viewJourney(deps: JourneyDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people, keywork } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const [stages, officers, onDuty, pendingHandover, officerLabel] = await Promise.all([
    store.listStages(db, person.id),
    keywork.currentDedicatedOfficers([person.id]),
    responsibleChoices(deps, person.establishmentCode),
    store.findPendingHandoverOf(db, person.id),
    store.findOfficerLabel(db, person.establishmentCode),
  ])
  const current = stages.find((stage) => stage.endedAt === null) ?? null
  const officer = officers.get(person.id) ?? null
  const now = responsibilityFrom(current, officer)
  const before = stages.find((stage) => stage !== current && stage.responsibleStaffUserId !== null) ?? null
  await audit.record(db, actor, aboutPerson('journey.viewed', person))
  return {
    person,
    stages,
    current,
    responsibility: now,
    dedicatedOfficer: officer,
    before,
    nextStages: allowedNextStages(current?.stage ?? null),
    staff: onDuty,
    pendingHandover: pendingHandover ?? null,
    officerLabel,
  }
}

/**
 * J1: moves a person to their next stage with a named person and a reason. The stage before ends at the
 * same instant, in one transaction; a release ends the dedicated officer allocation too.
 */
export async function recordStage(
  deps: JourneyDeps,
  actor: Actor,
  prisonNumber: string,
  input: { stage: JourneyStageName; responsibleStaffUserId: string | null; reason: string },
): Promise<Outcome> {
  const { db, clock, audit, people, carePlans } = deps
  const person = await people.findPersonOrThrow(actor, prisonNumber)
  return db.transaction().execute(async (trx) => {
    await holdCustody(trx, person.id)
    const current = await store.findCurrentStage(trx, person.id)
    // Moved since the person was read (the roll from NOMIS, a handover acknowledged): not this prison's to record.
    if (current && current.establishmentCode !== person.establishmentCode) throw new NotFound()
    if (await store.findPendingHandoverOf(trx, person.id))
      return { field: 'stage', messageKey: 'journey.error.handoverPending' }
    if (!isAllowedTransition(current?.stage ?? null, input.stage))
      return { field: 'stage', messageKey: 'journey.error.stageNotAllowed' }
    if (input.stage === 'release' && (await carePlans?.preReleaseReviewOutstanding(trx, person.id)))
      return { field: 'stage', messageKey: 'journey.error.preReleaseReview' }
    let responsible: string | null = null
    if (needsNamedPerson(input.stage)) {
      if (!input.responsibleStaffUserId) return { field: 'responsible', messageKey: 'journey.error.responsible' }
      const named = await namedStaffOrRefusal(
        deps,
        trx,
        person.establishmentCode,
        input.responsibleStaffUserId,
        'responsible',
      )
      if (isRefusal(named)) return named
      responsible = named.id
    }
    const now = clock.now()
    await store.endCurrentStage(trx, person.id, now)
    const stageId = await store.insertStage(trx, {
      personId: person.id,
      establishmentCode: person.establishmentCode,
      stage: input.stage,
      responsibleStaffUserId: responsible,
      startedAt: now,
      reason: input.reason,
      recordedBy: actor.id,
    })
    if (input.stage === 'release') await recordLeavingOnRelease(deps, trx, actor, person)
    await audit.record(
      trx,
      actor,
      aboutPerson('journey.stage-recorded', person, {
        stageId,
        stage: input.stage,
        previousStageId: current?.id ?? null,
        responsibleStaffUserId: responsible,
      }),
    )
    return null
  })
}
