import { NotFound } from '../../platform/errors.ts'
import type { ApiCaller } from '../../platform/api-callers.ts'
import { londonDate } from '../../platform/dates.ts'
import type { CarePlanDeps } from './deps.ts'
import { hmppsAlertsOf } from './rules/hmpps-alerts.ts'
import * as store from './store/for-systems.ts'

/**
 * Issue 15: the ACCT alerts in force at the caller's prison, in the HMPPS alerts API's shape, so that the
 * systems officers and healthcare read show what Waymark's care plans say. Only the alert: nothing of the
 * plan's content leaves. The call is audited with its client by platform.
 */
export async function activeAcctAlerts(deps: CarePlanDeps, caller: ApiCaller) {
  const plans = await store.plansInProgressHeldAt(deps.db, caller.establishmentCode)
  return plans.flatMap((plan) => hmppsAlertsOf(plan, londonDate).filter((alert) => alert.isActive))
}

/** Every ACCT alert a person's care plans have raised, active or not, oldest first; 404 for no such person. */
export async function acctAlertsOf(deps: CarePlanDeps, caller: ApiCaller, prisonNumber: string) {
  const [onRoll, plans] = await Promise.all([
    store.isOnRollAt(deps.db, caller.establishmentCode, prisonNumber),
    store.plansOfPersonAt(deps.db, caller.establishmentCode, prisonNumber),
  ])
  if (!onRoll) throw new NotFound('No such person at this prison')
  return plans.flatMap((plan) => hmppsAlertsOf(plan, londonDate))
}
