import type { CaseReviewKind, RiskLevel } from '../../../db/schema.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { DAY } from './durations.ts'

// ---------------------------------------------------------------------------------------------------
// The steps of a plan and which may follow which

export type PlanState = {
  immediateActionAt: Date | null
  assessmentAt: Date | null
  /** The first case review has been held (the plan then has a case manager and a risk level). */
  firstReviewHeld: boolean
  closedAt: Date | null
  postClosureReviewedAt: Date | null
}

export type Stage =
  'awaiting-immediate-action' | 'awaiting-assessment' | 'awaiting-first-review' | 'open' | 'post-closure' | 'closed'

export function stageOf(plan: PlanState): Stage {
  if (plan.postClosureReviewedAt) return 'closed'
  if (plan.closedAt) return 'post-closure'
  if (!plan.immediateActionAt) return 'awaiting-immediate-action'
  if (!plan.assessmentAt) return 'awaiting-assessment'
  if (!plan.firstReviewHeld) return 'awaiting-first-review'
  return 'open'
}

export type Step =
  | 'immediate-action'
  | 'assessment'
  | 'first-review'
  | 'review'
  | 'closure'
  | 'post-closure-review'
  | 'observation'
  | 'constant-supervision'
  | 'pre-release-review'
  | 'care-map'
  | 'family'
  | 'referral'
  | 'request-immediate-review'

/**
 * Which steps each stage allows. Observations can be written from the moment a plan opens: the person is
 * watched before the immediate action plan is typed up. A closed plan is read-only history.
 */
const whileOpen: readonly Step[] = [
  'observation',
  'constant-supervision',
  'care-map',
  'family',
  'referral',
  'request-immediate-review',
  'pre-release-review',
]
const allowed: Record<Stage, readonly Step[]> = {
  'awaiting-immediate-action': ['immediate-action', 'observation', 'family', 'referral'],
  'awaiting-assessment': ['assessment', ...whileOpen],
  'awaiting-first-review': ['first-review', ...whileOpen],
  open: ['review', 'closure', ...whileOpen],
  // A worry in the post-closure period reopens the same plan with an immediate case review (ACCT v6).
  'post-closure': ['post-closure-review', 'family', 'referral', 'request-immediate-review', 'pre-release-review'],
  closed: [],
}

/** S3: the steps a plan may take next; `stepRefusal` says why another step may not. */
export function allowedSteps(plan: PlanState): readonly Step[] {
  return allowed[stageOf(plan)]
}

export function stepRefusal(plan: PlanState, step: Step): Refusal | null {
  const stage = stageOf(plan)
  if (allowed[stage].includes(step)) return null
  return { field: 'step', messageKey: `carePlans.step.refused.${stage}`, values: {} }
}

/** The kind of case review the plan is ready for: the first, a scheduled one, or its post-closure review. */
export function reviewKindFor(plan: PlanState, immediateReviewRequested: boolean): CaseReviewKind | null {
  const stage = stageOf(plan)
  if (stage === 'awaiting-first-review') return 'first'
  if (stage === 'open') return immediateReviewRequested ? 'immediate' : 'scheduled'
  if (stage === 'post-closure') return 'post-closure'
  return null
}

/** How a deadline stands now: met or missed once done, pending or overdue until then. */
export type DeadlineState = 'met' | 'missed' | 'pending' | 'overdue'
export function deadlineState(dueAt: Date, doneAt: Date | null, now: Date): DeadlineState {
  if (doneAt) return doneAt.getTime() <= dueAt.getTime() ? 'met' : 'missed'
  return now.getTime() > dueAt.getTime() ? 'overdue' : 'pending'
}

/**
 * A review's next date follows the risk: within three days at high, a week at raised, and never more than
 * four weeks (ACCT reviews are never left longer).
 */
export const MAX_DAYS_BETWEEN_REVIEWS = 28
export const maxDaysToNextReview: Record<RiskLevel, number> = { high: 3, raised: 7, low: MAX_DAYS_BETWEEN_REVIEWS }
export function nextReviewRefusal(heldAt: Date, nextDueAt: Date, riskLevel: RiskLevel = 'low'): Refusal | null {
  if (nextDueAt.getTime() <= heldAt.getTime())
    return { field: 'nextReviewOn', messageKey: 'carePlans.review.error.nextBefore', values: {} }
  const days = maxDaysToNextReview[riskLevel]
  if (nextDueAt.getTime() > heldAt.getTime() + days * DAY)
    return { field: 'nextReviewOn', messageKey: 'carePlans.review.error.nextTooLate', values: { days } }
  return null
}

/** S4: whether the person's consent to involve family stands: the latest consent or withdrawal says. */
export function consentStands(events: readonly { kind: string }[]): boolean {
  return [...events].reverse().find((event) => event.kind !== 'contact')?.kind === 'consent-given'
}
