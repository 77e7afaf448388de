/** The safer custody dashboard's counts at a prison, and the lists of plans behind them. */
import type { RiskLevel } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { NotFound } from '../../platform/errors.ts'
import {
  byRiskAndUrgency,
  deadlineState,
  nextDue,
  riskLevels,
  stageOf,
  type CarePlanSettings,
  type PlanList,
} from './rules.ts'
import * as store from './store.ts'
import { HOUR, scheduleOf, stateOf, type CarePlanDeps } from './deps.ts'

/**
 * The lists behind the dashboard counts, at the user's prison: open plans (by risk), overdue
 * observations, overdue reviews, plans due to close and post-closure reviews due. Audited.
 */
export async function listPlans(deps: CarePlanDeps, actor: Actor, list: PlanList, riskLevel: RiskLevel | null) {
  const { db, audit } = deps
  const { plansAt, settingsAt } = await classified(deps, [actor.establishmentCode])
  const rows = plansAt.get(actor.establishmentCode)!
  const chosen = byRiskAndUrgency(
    rows.filter(
      (row) => row.lists.includes(list) && (list !== 'open' || !riskLevel || row.plan.riskLevel === riskLevel),
    ),
  )
  await audit.record(db, actor, { action: 'care-plans.list-viewed', details: { list, count: chosen.length } })
  return {
    settings: settingsAt.get(actor.establishmentCode)!,
    plans: chosen.map((row) => ({
      id: row.plan.id,
      prisonNumber: row.plan.prisonNumber,
      firstName: row.plan.firstName,
      lastName: row.plan.lastName,
      stage: row.stage,
      riskLevel: row.plan.riskLevel,
      caseManagerName: row.plan.caseManagerName,
      nextReviewDueAt: row.plan.nextReviewDueAt ?? row.plan.firstReviewDueAt,
      postClosureReviewDueAt: row.plan.postClosureReviewDueAt,
      reviewOverdue: row.reviewOverdue,
      overdueSince: row.overdueSince,
      overdueActions: row.overdueActions,
    })),
  }
}

/** One of the dashboard's counts: its message key, the count, and the list it opens. */
export type DashboardCount = { key: string; count: number; href: string }

/**
 * For the safer custody dashboard (the concerns area draws it): each count with its message key and the
 * list it opens. Monitors see the counts, never the lists. Audited.
 */
export async function carePlanDashboard(deps: CarePlanDeps, actor: Actor): Promise<DashboardCount[]> {
  const dashboards = await carePlanDashboards(deps, actor, [actor.establishmentCode])
  return dashboards.get(actor.establishmentCode)!
}

/**
 * The dashboard's counts at each of these prisons, side by side for someone who oversees several, worked
 * out together: the same queries for ten prisons as for one. Each prison's counts are audited under that
 * prison, as if read there. Only the user's own prisons.
 */
export async function carePlanDashboards(
  deps: CarePlanDeps,
  actor: Actor,
  establishmentCodes: readonly string[],
): Promise<Map<string, DashboardCount[]>> {
  const { db, audit } = deps
  const codes = [...new Set(establishmentCodes)]
  if (codes.some((code) => code !== actor.establishmentCode && !actor.establishmentCodes.includes(code)))
    throw new NotFound()
  const classifiedAt = (await classified(deps, codes)).plansAt
  const dashboards = new Map(codes.map((code) => [code, countsOf(classifiedAt.get(code)!)]))
  await audit.recordEach(
    db,
    actor,
    codes.map((code) => ({
      action: 'care-plans.dashboard-viewed',
      establishmentCode: code,
      details: Object.fromEntries(dashboards.get(code)!.map((entry) => [entry.key, entry.count])),
    })),
  )
  return dashboards
}

/** One prison's counts from its classified plans, in the order the dashboard shows them. */
function countsOf(rows: readonly Classified[]): DashboardCount[] {
  const count = (list: PlanList, risk?: RiskLevel) =>
    rows.filter((row) => row.lists.includes(list) && (!risk || row.plan.riskLevel === risk)).length
  return [
    ...riskLevels.map((risk) => ({
      key: `carePlans.dashboard.open.${risk}`,
      count: count('open', risk),
      href: `/care-plans?list=open&risk=${risk}`,
    })),
    {
      key: 'carePlans.dashboard.awaitingFirstReview',
      count: count('awaiting-first-review'),
      href: '/care-plans?list=awaiting-first-review',
    },
    {
      key: 'carePlans.dashboard.overdueObservations',
      count: count('overdue-observations'),
      href: '/care-plans?list=overdue-observations',
    },
    {
      key: 'carePlans.dashboard.overdueReviews',
      count: count('overdue-reviews'),
      href: '/care-plans?list=overdue-reviews',
    },
    {
      key: 'carePlans.dashboard.overdueActions',
      count: count('overdue-actions'),
      href: '/care-plans?list=overdue-actions',
    },
    { key: 'carePlans.dashboard.dueToClose', count: count('due-to-close'), href: '/care-plans?list=due-to-close' },
    {
      key: 'carePlans.dashboard.postClosureDue',
      count: count('post-closure-due'),
      href: '/care-plans?list=post-closure-due',
    },
  ]
}

type Classified = ReturnType<typeof classify>

/**
 * Every plan in progress at each of these prisons and the lists it belongs on, worked out as of now: four
 * queries however many prisons, each plan read against its own prison's settings (given back with them, for
 * the lists to name the levels of risk without asking again).
 */
async function classified(deps: CarePlanDeps, establishmentCodes: readonly string[]) {
  const { db, clock } = deps
  const now = clock.now()
  const [plans, settingsAt] = await Promise.all([
    store.plansInProgressAt(db, establishmentCodes),
    store.findSettingsOfEach(db, establishmentCodes),
  ])
  const ids = plans.map((plan) => plan.id)
  const [observationsOf, overdueActions] = await Promise.all([
    store.standingObservationTimesOf(db, ids, new Date(now.getTime() - 48 * HOUR)),
    store.overdueActionCounts(db, ids, londonDate(now)),
  ])
  const byPrison = new Map<string, Classified[]>(establishmentCodes.map((code) => [code, []]))
  for (const plan of plans)
    byPrison
      .get(plan.establishmentCode)
      ?.push(
        classify(plan, settingsAt.get(plan.establishmentCode)!, observationsOf.get(plan.id) ?? [], overdueActions, now),
      )
  return { plansAt: byPrison, settingsAt }
}

/** One plan's stage, the lists it belongs on, and what the lists show of it, as of now. */
function classify(
  plan: store.PlanInProgress,
  settings: CarePlanSettings,
  observations: readonly store.ObservationTimes[],
  overdueActions: ReadonlyMap<string, number>,
  now: Date,
) {
  const stage = stageOf(stateOf(plan))
  const lists: PlanList[] = []
  let overdueSince: Date | null = null
  let reviewOverdue = false
  const dueAts: Date[] = []
  if (!plan.closedAt) {
    lists.push('open')
    if (stage !== 'open') lists.push('awaiting-first-review')
    if (stage === 'awaiting-immediate-action') dueAts.push(plan.immediateActionDueAt)
    if (stage === 'awaiting-assessment') dueAts.push(plan.assessmentDueAt)
    const schedule = scheduleOf(plan, settings, observations, now)
    const overdue = schedule.filter((entry) => entry.state === 'overdue' || entry.state === 'late')
    if (overdue.length > 0) {
      lists.push('overdue-observations')
      overdueSince = overdue[0].slot.endsAt
      dueAts.push(overdueSince)
    }
    const next = nextDue(schedule)
    if (next) dueAts.push(next.slot.endsAt)
    const reviewDue = plan.nextReviewDueAt ?? plan.firstReviewDueAt
    dueAts.push(reviewDue)
    reviewOverdue = deadlineState(reviewDue, null, now) === 'overdue'
    if (reviewOverdue) lists.push('overdue-reviews')
    if (plan.closureExpected) lists.push('due-to-close')
    if (overdueActions.has(plan.id)) lists.push('overdue-actions')
  } else if (plan.postClosureReviewDueAt) {
    dueAts.push(plan.postClosureReviewDueAt)
    reviewOverdue = deadlineState(plan.postClosureReviewDueAt, null, now) === 'overdue'
    if (plan.postClosureReviewDueAt.getTime() <= now.getTime() + 24 * HOUR) lists.push('post-closure-due')
  }
  return {
    plan,
    stage,
    lists,
    overdueSince,
    reviewOverdue,
    overdueActions: overdueActions.get(plan.id) ?? 0,
    riskLevel: plan.riskLevel,
    dueAts,
  }
}
