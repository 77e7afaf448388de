/** S3: the care map's actions, added at a review or between reviews, and done. */
import { type Outcome } from '../../platform/forms.ts'
import type { IsoDate } from '../../db/schema.ts'
import { Conflict, NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import { takeStep, type CarePlanDeps } from './deps.ts'

/** S3: an action added to the care map between reviews. */
export async function addAction(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  input: { description: string; owner: string; dueOn: IsoDate },
): Promise<Outcome> {
  const { clock } = deps
  if (input.dueOn < clock.today())
    return { field: 'actionDueOn', messageKey: 'carePlans.action.error.past', values: {} }
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'care-map', auditedAs: 'care-plan.action-added' },
    async (trx, plan) => {
      await store.insertActions(trx, [
        { carePlanId: plan.id, reviewId: null, ...input, createdAt: clock.now(), createdBy: actor.id },
      ])
      return null
    },
  )
}

export async function completeAction(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  actionId: string,
) {
  const { clock } = deps
  if (!isUuid(actionId)) throw new NotFound()
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'care-map', auditedAs: 'care-plan.action-completed' },
    async (trx, plan) => {
      if (!(await store.completeAction(trx, plan.id, actionId, clock.now(), actor.id))) throw new Conflict()
      return { audit: { actionId } }
    },
  )
}
