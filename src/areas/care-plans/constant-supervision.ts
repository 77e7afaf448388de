/** S3: constant supervision, kept by a named officer on the wing and handed on with no gap. */
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import * as store from './store.ts'
import {
  constantOfficerOrRefusal,
  findPlanOrThrow,
  keepWatch,
  takeStep,
  watchingRoles,
  type CarePlanDeps,
} from './deps.ts'

/**
 * S3: constant supervision passes from one officer to the next with no gap: the new officer's watch
 * begins as the last one's ends, and both are on the record.
 */
export async function handOverConstantSupervision(
  deps: CarePlanDeps,
  actor: Actor,
  prisonNumber: string,
  carePlanId: string,
  officerId: string,
): Promise<Outcome> {
  const { clock } = deps
  const { plan: found } = await findPlanOrThrow(deps, actor, prisonNumber, carePlanId)
  const watcher = await constantOfficerOrRefusal(deps, found.establishmentCode, officerId)
  if (!watcher) return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.officer', values: {} }
  if (isRefusal(watcher)) return watcher
  return takeStep(
    deps,
    actor,
    { prisonNumber, carePlanId, step: 'constant-supervision', auditedAs: 'care-plan.constant-supervision-handed-over' },
    async (trx, plan) => {
      if (!plan.constantOfficerId)
        return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.notConstant', values: {} }
      if (plan.constantOfficerId === watcher.id)
        return { field: 'constantOfficerId', messageKey: 'carePlans.constant.error.same', values: {} }
      await store.setConstantOfficer(trx, plan.id, watcher.id)
      await keepWatch(trx, actor, plan, watcher.id, clock.now())
      return { audit: { from: plan.constantOfficerId, to: watcher.id } }
    },
  )
}

/** S3: the officers on duty at a prison who may be named to keep constant watch. */
export async function officersOnDuty(deps: CarePlanDeps, establishmentCode: string) {
  const { staff } = deps
  const onDuty = await staff.listStaffOnDuty(establishmentCode)
  return onDuty.filter((member) => watchingRoles.has(member.role))
}
