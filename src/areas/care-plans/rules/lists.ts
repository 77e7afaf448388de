import type { RiskLevel } from '../../../db/schema.ts'

// ---------------------------------------------------------------------------------------------------
// The care plan lists and their order

/** The lists behind the safer custody dashboard's counts, as the address names them (`?list=`). */
export const planLists = [
  'open',
  'awaiting-first-review',
  'overdue-observations',
  'overdue-reviews',
  'overdue-actions',
  'due-to-close',
  'post-closure-due',
] as const
export type PlanList = (typeof planLists)[number]

export type PlanForList = {
  riskLevel: RiskLevel | null
  /** When each thing the plan waits for is or was due: a step, a case review, an observation slot's end. */
  dueAts: readonly Date[]
}

/** A plan with no level yet has not had its first case review: no one has judged it lower than high. */
const riskRank: Record<RiskLevel | 'unset', number> = { high: 0, unset: 0, raised: 1, low: 2 }

/**
 * S3: a list of plans puts the highest risk first and, within a level, the most urgent: what has been
 * overdue longest, then what is due soonest. Plans equal on both keep the order they came in.
 */
export function byRiskAndUrgency<T extends PlanForList>(plans: readonly T[]): T[] {
  const mostUrgent = (plan: PlanForList) => Math.min(...plan.dueAts.map((at) => at.getTime()))
  return [...plans].sort((a, b) => {
    const byRisk = riskRank[a.riskLevel ?? 'unset'] - riskRank[b.riskLevel ?? 'unset']
    if (byRisk !== 0) return byRisk
    const [first, second] = [mostUrgent(a), mostUrgent(b)]
    return first === second ? 0 : first < second ? -1 : 1
  })
}
