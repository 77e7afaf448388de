import { randomUUID } from 'node:crypto'
import { Forbidden, NotFound } from '../../platform/errors.ts'
import type { ApiCaller } from '../../platform/api-callers.ts'
import { entityTagOf, pageOfRows, type Paging } from '../../platform/api-schemas.ts'
import { londonDate } from '../../platform/dates.ts'
import type { Outcome } from '../../platform/forms.ts'
import { isUuid } from '../../platform/ids.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import type { CarePlanDeps } from './deps.ts'
import { recordObservation } from './observations.ts'
import { hmppsAlertsOf } from './rules/hmpps-alerts.ts'
import { stageOf } from './rules.ts'
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

/**
 * Issue 15: the care plans held at the caller's prison, a page at a time, the most recently opened first:
 * open ones (not yet closed) or closed ones. Facts only (`summaryOf`). Audited with the client by platform.
 */
export async function carePlansForSystems(
  deps: CarePlanDeps,
  caller: ApiCaller,
  query: Paging & { state: 'open' | 'closed' },
) {
  const { establishmentCode } = caller
  return pageOfRows(
    query,
    () => store.countPlansAt(deps.db, establishmentCode, query.state),
    async (window) =>
      (await store.pageOfPlanSummariesAt(deps.db, establishmentCode, query.state, window)).map(summaryOf),
  )
}

/**
 * One care plan held at the caller's prison, with the entity tag of its state now: it changes whenever what
 * the summary says does (a step, its supervision, its next review) and with every observation recorded on
 * it. Another prison's plan is not there (404), as on the pages.
 */
export async function carePlanForSystems(deps: CarePlanDeps, caller: ApiCaller, carePlanId: string) {
  const row = isUuid(carePlanId) ? await store.planSummaryAt(deps.db, caller.establishmentCode, carePlanId) : undefined
  if (!row) throw new NotFound('No such care plan at this prison')
  const carePlan = summaryOf(row)
  return { carePlan, entityTag: entityTagOf(JSON.stringify(carePlan), Number(row.entries)) }
}

/**
 * S3, issue 15: an observation from a handheld device, recorded by the member of staff the device says made
 * it, through the same use case as the observation page: the same steps a plan allows, the same times, the
 * same audit entry, and refused where their role could not record it on the page. Answers the entry as
 * stored; a refusal names the field as the API calls it.
 */
export async function recordObservationFromSystem(
  deps: CarePlanDeps,
  caller: ApiCaller,
  actor: Actor,
  carePlanId: string,
  input: { observedAt: Date; seen: string; wasConversation: boolean },
): Promise<Outcome<RecordedObservation>> {
  if (!hasPermission(actor.role, 'care-plans.record'))
    throw new Forbidden(`The member of staff named by Username (role ${actor.role}) may not record observations`)
  const plan = isUuid(carePlanId) ? await store.planSummaryAt(deps.db, caller.establishmentCode, carePlanId) : undefined
  if (!plan) throw new NotFound('No such care plan at this prison')
  const id = randomUUID()
  const refusal = await recordObservation(deps, actor, plan.prisonNumber, plan.id, { ...input, id })
  if (refusal) return { ...refusal, field: refusal.field === 'observedOn' ? 'observedAt' : refusal.field }
  const stored = await store.observationAsStored(deps.db, plan.id, id)
  if (!stored) throw new Error('The observation recorded was not found')
  return recordedOf(stored, plan.prisonNumber)
}

/**
 * An observation on a plan held at the caller's prison, as recorded (where a recording answered `Location`):
 * when, whether they talked, and who recorded it; never what was seen. 404 for one that is not there.
 */
export async function observationForSystems(
  deps: CarePlanDeps,
  caller: ApiCaller,
  carePlanId: string,
  observationId: string,
): Promise<RecordedObservation> {
  const plan = isUuid(carePlanId) ? await store.planSummaryAt(deps.db, caller.establishmentCode, carePlanId) : undefined
  const stored = plan && isUuid(observationId) ? await store.observationAsStored(deps.db, plan.id, observationId) : null
  if (!plan || !stored) throw new NotFound('No such observation on a care plan at this prison')
  return recordedOf(stored, plan.prisonNumber)
}

type RecordedObservation = ReturnType<typeof recordedOf>

function recordedOf(stored: NonNullable<Awaited<ReturnType<typeof store.observationAsStored>>>, prisonNumber: string) {
  return {
    id: stored.id,
    carePlanId: stored.carePlanId,
    prisonNumber,
    observedAt: stored.observedAt.toISOString(),
    wasConversation: stored.wasConversation,
    recordedAt: stored.recordedAt.toISOString(),
    recordedBy: stored.recordedBy,
  }
}

/**
 * What another system may know of a plan: its stage, how closely the person is watched now, the next case
 * review and when they were last seen. Nothing anyone wrote: not why it was opened, its triggers, its care
 * map or what an observation saw.
 */
function summaryOf(row: store.PlanSummaryRow) {
  const stage = stageOf({
    immediateActionAt: row.immediateActionAt,
    assessmentAt: row.assessmentAt,
    firstReviewHeld: row.caseManagerId !== null,
    closedAt: row.closedAt,
    postClosureReviewedAt: row.postClosureReviewedAt,
  })
  // As the care plan tab says it: the post-closure review once closed, else the next (or the first) one.
  const nextCaseReviewDueAt =
    stage === 'closed'
      ? null
      : row.closedAt
        ? row.postClosureReviewDueAt
        : (row.nextReviewDueAt ?? row.firstReviewDueAt)
  // Supervision starts with the immediate action plan and stops when the plan closes.
  const supervised = row.supervisionSetAt !== null && row.closedAt === null
  return {
    id: row.id,
    prisonNumber: row.prisonNumber,
    stage,
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    riskLevel: row.riskLevel,
    supervision: supervised
      ? {
          level: row.constantOfficerId ? ('constant' as const) : ('intervals' as const),
          observationsPerDay: row.observationsPerDay,
          observationsPerNight: row.observationsPerNight,
          conversationsPerDay: row.conversationsPerDay,
          conversationsPerNight: row.conversationsPerNight,
        }
      : null,
    nextCaseReviewDueAt: nextCaseReviewDueAt?.toISOString() ?? null,
    lastObservedAt: row.lastObservedAt ? new Date(row.lastObservedAt).toISOString() : null,
  }
}
