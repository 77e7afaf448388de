/** S3: a care plan when the person leaves custody: an event listener, not a use case of the service. */
import type { EventListener } from '../../platform/events.ts'
import * as store from './store.ts'
import { publishAlertMoved, type CarePlanDeps } from './deps.ts'

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
          if (!plan.closedAt)
            await events?.publish(
              trx,
              event.by,
              'care-plan.closed',
              { carePlanId: plan.id, personId: plan.personId, alertCode: 'HA2' },
              plan.establishmentCode,
            )
          else await publishAlertMoved(deps, trx, event.by, plan, { from: 'HA1', to: 'HA2' })
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
