/**
 * J3, S3: a person's plan when they move: what travels with a transfer's handover, the same plan continuing
 * at the receiving prison, the pre-release review a release waits for, and the end of the plan on leaving
 * custody.
 */
import type { Db } from '../../db/database.ts'
import type { EventListener } from '../../platform/events.ts'
import type { Actor } from '../../platform/permissions.ts'
import { reviewDueAfterArrival, stageOf } from './rules.ts'
import * as store from './store.ts'
import { stateOf, type CarePlanDeps } from './deps.ts'

/**
 * S3, for the journey, in its transaction: whether a release must wait for the pre-release review of a
 * plan in progress (open, or closed with its post-closure review to come).
 */
export async function preReleaseReviewOutstanding(_deps: CarePlanDeps, trx: Db, personId: string): Promise<boolean> {
  const plan = await store.currentPlanOf(trx, personId)
  return plan !== undefined && plan.preReleaseReviewedAt === null
}

/** J3, for the journey's handover, in its transaction: the person's plan in progress, in a line of facts. */
export async function openCarePlansForHandover(
  _deps: CarePlanDeps,
  trx: Db,
  personId: string,
): Promise<{ id: string; description: string }[]> {
  const plan = await store.currentPlanOf(trx, personId)
  if (!plan) return []
  const stage = stageOf(stateOf(plan))
  const risk = plan.riskLevel ? `, risk ${plan.riskLevel}` : ''
  return [
    {
      id: plan.id,
      description: `ACCT care plan opened ${plan.openedAt.toISOString().slice(0, 10)} (${stage.replaceAll('-', ' ')}${risk})`,
    },
  ]
}

/**
 * J3, for the journey's acknowledged handover, in its transaction: the same plan continues at the
 * receiving prison, its next case review due within that prison's transfer interval of arrival. A plan
 * in its post-closure period moves too, its post-closure review still due: the weeks after closure are
 * when risk returns, and a move is one of its triggers.
 */
export async function continueAfterTransfer(
  deps: CarePlanDeps,
  trx: Db,
  actor: Actor,
  personId: string,
  toEstablishmentCode: string,
) {
  const { clock, audit } = deps
  const plan = await store.currentPlanOf(trx, personId)
  if (!plan) return null
  const settings = await store.findSettings(trx, toEstablishmentCode)
  const receivedAt = clock.now()
  const nextReviewDueAt = plan.closedAt ? plan.nextReviewDueAt : reviewDueAfterArrival(receivedAt, settings)
  await store.moveToEstablishment(trx, plan.id, {
    establishmentCode: toEstablishmentCode,
    receivedAt,
    nextReviewDueAt,
  })
  await audit.record(trx, actor, {
    action: 'care-plan.transferred',
    personId,
    establishmentCode: toEstablishmentCode,
    details: { carePlanId: plan.id, from: plan.establishmentCode },
  })
  return { carePlanId: plan.id, nextReviewDueAt }
}

/**
 * S3: a person who leaves custody (released, or died) has no plan in progress any more: it closes then
 * and there, its observation alerts stop, and it says why it ended. Told by the journey and the measures.
 */
export function leavingCustodyListeners(deps: CarePlanDeps) {
  const { db, audit, events } = deps
  return [
    {
      name: 'care-plans.end-on-leaving-custody',
      type: 'person.left-custody',
      handle: async (event) => {
        await db.transaction().execute(async (trx) => {
          const current = await store.currentPlanOf(trx, event.payload.personId)
          if (!current) return
          const plan = await store.lockPlan(trx, current.id)
          if (!plan || plan.postClosureReviewedAt) return
          await store.endOnLeaving(trx, plan.id, event.occurredAt, event.payload.reason)
          // An open plan closes here, its alert straight to HA2; one in its post-closure period moves HA1 to HA2.
          const ids = { carePlanId: plan.id, personId: plan.personId }
          if (!plan.closedAt)
            await events?.publish(
              trx,
              event.by,
              'care-plan.closed',
              { ...ids, alertCode: 'HA2' },
              plan.establishmentCode,
            )
          else
            await events?.publish(
              trx,
              event.by,
              'care-plan.alert-moved',
              { ...ids, from: 'HA1', to: 'HA2' },
              plan.establishmentCode,
            )
          await audit.record(trx, event.by, {
            action: 'care-plan.ended-on-leaving-custody',
            personId: plan.personId,
            establishmentCode: plan.establishmentCode,
            details: {
              carePlanId: plan.id,
              reason: event.payload.reason,
              preReleaseReviewed: plan.preReleaseReviewedAt !== null,
              event: event.id,
            },
          })
        })
      },
    },
  ] satisfies [EventListener<'person.left-custody'>]
}
