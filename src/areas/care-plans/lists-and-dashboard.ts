/** The safer custody dashboard's counts at a prison, and the lists of plans behind them. */
import type { RiskLevel } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { byRiskAndUrgency, deadlineState, nextDue, riskLevels, stageOf, type PlanList } from './rules.ts'
import * as store from './store.ts'
import { HOUR, scheduleOf, stateOf, type CarePlanDeps } from './deps.ts'

/**
 * The lists behind the dashboard counts, at the user's prison: open plans (by risk), overdue
 * observations, overdue reviews, plans due to close and post-closure reviews due. Audited.
 */
export async function listPlans(deps: CarePlanDeps, actor: Actor, list: PlanList, riskLevel: RiskLevel | null) {
  const { db, audit } = deps
  const rows = await classified(deps, actor.establishmentCode)
  const chosen = byRiskAndUrgency(
    rows.filter(
      (row) => row.lists.includes(list) && (list !== 'open' || !riskLevel || row.plan.riskLevel === riskLevel),
    ),
  )
  await audit.record(db, actor, { action: 'care-plans.list-viewed', details: { list, count: chosen.length } })
  return {
    settings: await store.findSettings(db, actor.establishmentCode),
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

/**
 * For the safer custody dashboard (the concerns area draws it): each count with its message key and the
 * list it opens. Monitors see the counts, never the lists. Audited.
 */
export async function carePlanDashboard(
  deps: CarePlanDeps,
  actor: Actor,
): Promise<{ key: string; count: number; href: string }[]> {
  const { db, audit } = deps
  const rows = await classified(deps, actor.establishmentCode)
  const count = (list: PlanList, risk?: RiskLevel) =>
    rows.filter((row) => row.lists.includes(list) && (!risk || row.plan.riskLevel === risk)).length
  const counts = [
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
  await audit.record(db, actor, {
    action: 'care-plans.dashboard-viewed',
    details: Object.fromEntries(counts.map((entry) => [entry.key, entry.count])),
  })
  return counts
}

/** Every plan in progress at a prison and the lists it belongs on, worked out as of now. */
async function classified(deps: CarePlanDeps, establishmentCode: string) {
  const { db, clock } = deps
  const now = clock.now()
  const plans = await store.plansInProgressAt(db, establishmentCode)
  const settings = await store.findSettings(db, establishmentCode)
  const observations = await store.observationsOf(
    db,
    plans.map((plan) => plan.id),
    new Date(now.getTime() - 48 * HOUR),
  )
  const overdueActions = await store.overdueActionCounts(
    db,
    plans.map((plan) => plan.id),
    londonDate(now),
  )
  return plans.map((plan) => {
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
      const schedule = scheduleOf(
        plan,
        settings,
        observations.filter((entry) => entry.carePlanId === plan.id),
        now,
      )
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
  })
}
