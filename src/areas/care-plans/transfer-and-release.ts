/**
 * J3, S3: a person's plan when they move: what travels with a transfer's handover, the same plan continuing
 * at the receiving prison, and the pre-release review a release waits for. The plan's end on leaving custody
 * is a listener, in leaving-custody.ts.
 */
import type { Db } from '../../db/database.ts'
import type { CommandActor } from '../../platform/audit.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
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
      description: `ACCT care plan opened ${londonDate(plan.openedAt)} (${stage.replaceAll('-', ' ')}${risk})`,
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
  actor: Actor | CommandActor,
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
