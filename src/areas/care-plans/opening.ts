/**
 * S3: opening a plan, from a concern or not, and its immediate action plan, which sets the first
 * supervision.
 */
import { aboutPerson } from '../../platform/audit.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import { clockStartsAt, openingDeadlines, stageOf, type Supervision } from './rules.ts'
import * as store from './store.ts'
import {
  constantOfficerOrRefusal,
  findPlanOrThrow,
  keepWatch,
  noIntervals,
  planHref,
  stateOf,
  takeStep,
  viewed,
  type CarePlanDeps,
} from './deps.ts'

/** S3: the form to open a plan, with the concern it comes from when there is one. */
export async function openForm(deps: CarePlanDeps, actor: Actor, prisonNumber: string, concernId: string | null) {
  const { db, people, clock } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const current = await store.currentPlanOf(db, person.id)
  const concern = concernId ? await findConcern(deps, actor, person.id, concernId) : null
  if (current) await viewed(deps, actor, current, 'open')
  // The deadlines the plan would have if opened now, by the prison's own times (which may be shorter than
  // the policy's hour and day), from the concern's raising where it said the person may be at risk.
  const now = clock.now()
  const clockStartedAt = clockStartsAt(now, concern)
  return {
    person,
    current: current ? { id: current.id, stage: stageOf(stateOf(current)) } : null,
    concern,
    clockStartedAt: clockStartedAt === now ? null : clockStartedAt,
    deadlines: openingDeadlines(clockStartedAt, await store.findSettings(db, person.establishmentCode)),
  }
}

/**
 * S3: opens a plan and starts its clock. From a concern, the concern is acted on in the same transaction.
 * The person's dedicated officer and the safer custody leads on duty are told. Audited.
 */
export async function openCarePlan(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  input: { reason: string; concernId: string | null },
): Promise<Outcome<{ carePlanId: string }>> {
  const { db, clock, audit, people, staff, keywork, notifications, concerns, events } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const concern = input.concernId ? await findConcern(deps, actor, person.id, input.concernId) : null
  const settings = await store.findSettings(db, person.establishmentCode)
  const [officers, onDuty] = await Promise.all([
    keywork.currentDedicatedOfficers([person.id]),
    staff.listStaffOnDuty(person.establishmentCode),
  ])
  return db.transaction().execute(async (trx) => {
    if (await store.currentPlanOf(trx, person.id))
      return { field: 'reason', messageKey: 'carePlans.open.error.alreadyOpen', values: {} }
    const openedAt = clock.now()
    const startsAt = clockStartsAt(openedAt, concern)
    const carePlanId = await store.insertPlan(trx, {
      personId: person.id,
      establishmentCode: person.establishmentCode,
      concernId: concern?.id ?? null,
      reason: input.reason,
      openedAt,
      openedBy: actor.id,
      clockStartedAt: startsAt === openedAt ? null : startsAt,
      ...openingDeadlines(startsAt, settings),
    })
    if (concern) await concerns?.recordCarePlanOpened(trx, actor, concern.id, carePlanId)
    await events?.publish(trx, actor, 'care-plan.opened', { carePlanId, personId: person.id }, person.establishmentCode)
    const officer = officers.get(person.id)
    await notifications.notify(trx, {
      recipientIds: [
        ...(officer ? [officer.staffUserId] : []),
        ...onDuty.filter((member) => member.role === 'safercustody').map((member) => member.id),
      ].filter((id) => id !== actor.id),
      establishmentCode: person.establishmentCode,
      kind: 'care-plan.opened',
      messageKey: 'carePlans.notification.opened',
      params: { prisonNumber: person.prisonNumber },
      href: planHref({ prisonNumber: person.prisonNumber, id: carePlanId }),
    })
    await audit.record(
      trx,
      actor,
      aboutPerson('care-plan.opened', person, { carePlanId, concernId: concern?.id ?? null }),
    )
    return { carePlanId }
  })
}

/**
 * S3: the immediate action plan, which also sets the first supervision: observations at intervals, or
 * constant supervision by a named officer on duty.
 */
export async function recordImmediateAction(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: { text: string; supervision: Supervision; constantOfficerId?: string | null | undefined },
): Promise<Outcome> {
  const { clock } = deps
  const { plan: found } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const watcher = await constantOfficerOrRefusal(deps, found.establishmentCode, input.constantOfficerId ?? null)
  if (watcher && isRefusal(watcher)) return watcher
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'immediate-action', auditedAs: 'care-plan.immediate-action-recorded' },
    async (trx, plan) => {
      const at = clock.now()
      await store.recordImmediateAction(trx, plan.id, {
        at,
        by: actor.id,
        text: input.text,
        supervision: watcher ? noIntervals : input.supervision,
        constantOfficerId: watcher?.id ?? null,
      })
      await keepWatch(trx, actor, plan, watcher?.id ?? null, at)
      return { audit: { ...(watcher ? noIntervals : input.supervision), constant: watcher !== null } }
    },
  )
}

/** The concern a plan is opened from, only the person's own (404 otherwise, or without concerns' links). */
async function findConcern(deps: CarePlanDeps, actor: Actor, personId: string, concernId: string) {
  const { concerns } = deps
  if (!concerns || !isUuid(concernId)) throw new NotFound()
  const concern = await concerns.findConcernForCarePlan(actor, concernId)
  if (concern.personId !== personId) throw new NotFound()
  return concern
}
