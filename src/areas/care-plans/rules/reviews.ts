import type { CaseReviewKind, RiskLevel } from '../../../db/schema.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { DAY } from './durations.ts'

// ---------------------------------------------------------------------------------------------------
// Who attends a case review, and the case manager who carries the plan

export type Attendance = {
  /** Null: the form did not say whether the person attended. */
  personPresent: boolean | null
  personAbsentReason: string
  healthcarePresent: boolean
  healthcareInput: string
  healthcareAbsentReason: string
}

/** ACCT v6: healthcare attends or gives written input at the first case review and at closure. */
export function needsHealthcare(kind: CaseReviewKind): boolean {
  return kind === 'first' || kind === 'closure'
}

/**
 * S3: a case review is multidisciplinary and shows it. The person attends or the reason they did not is
 * written down; at the first review and at closure healthcare attends, sends written input, or the case
 * manager records why neither happened.
 */
export function attendanceRefusal(kind: CaseReviewKind, attendance: Attendance): Refusal | null {
  if (attendance.personPresent === null)
    return { field: 'personPresent', messageKey: 'carePlans.review.error.person', values: {} }
  if (!attendance.personPresent && attendance.personAbsentReason.trim() === '')
    return { field: 'personAbsentReason', messageKey: 'carePlans.review.error.personAbsentReason', values: {} }
  if (
    needsHealthcare(kind) &&
    !attendance.healthcarePresent &&
    attendance.healthcareInput.trim() === '' &&
    attendance.healthcareAbsentReason.trim() === ''
  )
    return { field: 'healthcareAttended', messageKey: 'carePlans.review.error.healthcare', values: {} }
  return null
}

/** S3: the case manager carries the plan from review to review; handing it to someone else needs a reason. */
export function caseManagerChangeRefusal(current: string | null, chosen: string, reason: string): Refusal | null {
  if (current === null || current === chosen || reason.trim() !== '') return null
  return { field: 'caseManagerChangeReason', messageKey: 'carePlans.review.error.changeReason', values: {} }
}

// ---------------------------------------------------------------------------------------------------
// Closing a plan: the checklist

export const closureChecks = ['care-map', 'person-view', 'healthcare', 'since-arrival', 'risk-level'] as const
export type ClosureCheck = (typeof closureChecks)[number]
/** A plan that came on transfer is not closed in the person's first week at the new prison. */
export const DAYS_SETTLED_AFTER_TRANSFER = 7

export type ClosureFacts = {
  heldAt: Date
  openActions: number
  riskLevel: RiskLevel
  receivedAt: Date | null
  healthcareGaveInput: boolean
  personView: string
}
export type ClosureItem = { check: ClosureCheck; met: boolean; reason: string; daysSinceArrival?: number }

/**
 * S3: what closing a plan asks (the PPO's findings where closure came too soon): the care map done or handed
 * on, the person's own view, healthcare's input, a settled week after a transfer, and the risk judged low.
 * Each item not met needs a written reason; the items and reasons are kept with the closure.
 */
export function closureChecklist(facts: ClosureFacts, reasons: Partial<Record<ClosureCheck, string>>): ClosureItem[] {
  const daysSinceArrival = facts.receivedAt
    ? Math.floor((facts.heldAt.getTime() - facts.receivedAt.getTime()) / DAY)
    : undefined
  const met: Record<ClosureCheck, boolean> = {
    'care-map': facts.openActions === 0,
    'person-view': facts.personView.trim() !== '',
    healthcare: facts.healthcareGaveInput,
    'since-arrival': daysSinceArrival === undefined || daysSinceArrival >= DAYS_SETTLED_AFTER_TRANSFER,
    'risk-level': facts.riskLevel === 'low',
  }
  return closureChecks.map((check) => ({
    check,
    met: met[check],
    reason: met[check] ? '' : (reasons[check] ?? '').trim(),
    ...(check === 'since-arrival' && daysSinceArrival !== undefined ? { daysSinceArrival } : {}),
  }))
}

/** The first item of the checklist neither met nor explained. */
export function closureRefusal(items: readonly ClosureItem[]): Refusal | null {
  const unexplained = items.find((item) => !item.met && item.reason === '')
  if (!unexplained) return null
  return {
    field: `closure-${unexplained.check}`,
    messageKey: `carePlans.closure.error.${unexplained.check}`,
    values: { days: DAYS_SETTLED_AFTER_TRANSFER },
  }
}
