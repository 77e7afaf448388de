/** S3: the care map's actions, added at a review or between reviews, and done. */
import { type Outcome } from '../../platform/forms.ts'
import type { IsoDate } from '../../db/schema.ts'
import { Conflict, NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import { step, type CarePlanDeps } from './deps.ts'

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
  return step(
    deps,
    actor,
    prisonNumber,
    carePlanId,
    'care-map',
    async (trx, plan) => {
      await store.insertActions(trx, [
        { carePlanId: plan.id, reviewId: null, ...input, createdAt: clock.now(), createdBy: actor.id },
      ])
      return null
    },
    'care-plan.action-added',
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
  return step(
    deps,
    actor,
    prisonNumber,
    carePlanId,
    'care-map',
    async (trx, plan) => {
      if (!(await store.completeAction(trx, plan.id, actionId, clock.now(), actor.id))) throw new Conflict()
      return { audit: { actionId } }
    },
    'care-plan.action-completed',
  )
}
