import type { ConcernOutcome, ConcernSafeNow, ConcernUrgency } from '../../db/schema.ts'
import { hasPermission, type Role } from '../../platform/permissions.ts'
import { apiRoleName, holdsApiRole } from '../../platform/api-callers.ts'
import type { Refusal } from '../../platform/forms.ts'

export const urgencies = ['immediate', 'today', 'can-wait'] as const satisfies readonly ConcernUrgency[]
export const safeNowAnswers = ['yes', 'no', 'not-sure'] as const satisfies readonly ConcernSafeNow[]
/** What someone did about a concern, as they record it on the concern's page. A care plan is opened from its own page. */
export const recordedOutcomes = [
  'spoke-with-person',
  'referred-to-healthcare',
  'passed-to-wing',
  'no-further-action',
] as const satisfies readonly ConcernOutcome[]
export type RecordedOutcome = (typeof recordedOutcomes)[number]

export const WHAT_HAPPENED_MAX = 1000
export const ACTION_NOTE_MAX = 1000

export type { Refusal }

/** S1: how long a concern of each urgency may wait for someone to act, per prison, in minutes. */
export type ConcernPolicy = { immediateMinutes: number; todayMinutes: number; canWaitMinutes: number }

export const defaultConcernPolicy: ConcernPolicy = { immediateMinutes: 15, todayMinutes: 240, canWaitMinutes: 1440 }

export const policyLimits: Record<keyof ConcernPolicy, { min: number; max: number }> = {
  immediateMinutes: { min: 1, max: 1440 },
  todayMinutes: { min: 1, max: 2880 },
  canWaitMinutes: { min: 1, max: 10080 },
}

/** S1: the times must keep their order, or a concern that can wait would escalate before an immediate one. */
export function policyProblems(policy: ConcernPolicy): Refusal[] {
  const problems: Refusal[] = []
  for (const [field, limits] of Object.entries(policyLimits) as [keyof ConcernPolicy, { min: number; max: number }][])
    if (!Number.isInteger(policy[field]) || policy[field] < limits.min || policy[field] > limits.max)
      problems.push({ field, messageKey: `concerns.settings.error.${field}`, values: limits })
  if (problems.length > 0) return problems
  if (policy.todayMinutes < policy.immediateMinutes)
    problems.push({ field: 'todayMinutes', messageKey: 'concerns.settings.error.todayOrder' })
  if (policy.canWaitMinutes < policy.todayMinutes)
    problems.push({ field: 'canWaitMinutes', messageKey: 'concerns.settings.error.canWaitOrder' })
  return problems
}

/**
 * S1: a person who is not safe right now is an immediate concern, whatever urgency the raiser chose: the
 * raiser may be shaken, and the routing must not depend on them getting the second question right.
 */
export function effectiveUrgency(urgency: ConcernUrgency, safeNow: ConcernSafeNow): ConcernUrgency {
  return safeNow === 'no' ? 'immediate' : urgency
}

export function minutesAllowed(urgency: ConcernUrgency, policy: ConcernPolicy): number {
  if (urgency === 'immediate') return policy.immediateMinutes
  if (urgency === 'today') return policy.todayMinutes
  return policy.canWaitMinutes
}

/** S1: when an unacted concern escalates to the governors. */
export function escalateAt(raisedAt: Date, urgency: ConcernUrgency, policy: ConcernPolicy): Date {
  return new Date(raisedAt.getTime() + minutesAllowed(urgency, policy) * 60_000)
}

/** S1: a concern nobody has acted on, past its time, not yet escalated, is to escalate now. */
export function isDueToEscalate(
  concern: { actedAt: Date | null; escalatedAt: Date | null; escalateAt: Date },
  now: Date,
): boolean {
  return concern.actedAt === null && concern.escalatedAt === null && concern.escalateAt.getTime() <= now.getTime()
}

export type ConcernStatus = 'sent' | 'received' | 'acted-on'

/** S2: what the raiser is told: sent, then received (someone responsible opened it), then acted on. */
export function statusOf(concern: { receivedAt: Date | null; actedAt: Date | null }): ConcernStatus {
  if (concern.actedAt) return 'acted-on'
  if (concern.receivedAt) return 'received'
  return 'sent'
}

/**
 * S2: who may read what was seen or heard and what was done. A sensitive concern: safer custody and
 * healthcare only, not even its raiser (what is fed back must not harm the person). Any other: those who act
 * on concerns, and the one who raised it.
 */
export function maySeeDetail(
  viewer: { id: string; role: Role },
  concern: { isSensitive: boolean; raisedBy: string | null },
): boolean {
  if (concern.isSensitive) return hasPermission(viewer.role, 'concerns.view-sensitive')
  return hasPermission(viewer.role, 'concerns.view') || concern.raisedBy === viewer.id
}

/**
 * Issue 15, S2: the same need to know for another of the prison's systems. A system that reads concerns reads
 * what was seen and done in those that are not sensitive; a sensitive concern's detail only with the role
 * for it, which a prison gives to a safer custody or healthcare system alone.
 */
export function maySystemSeeDetail(roles: readonly string[], concern: { isSensitive: boolean }): boolean {
  return !concern.isSensitive || holdsApiRole(roles, apiRoleName('SENSITIVE_CONCERNS', 'RO'))
}

/** S1: who may record what was done: those who act on concerns and may see this one's detail, while it is open. */
export function mayAct(
  viewer: { id: string; role: Role },
  concern: { isSensitive: boolean; raisedBy: string | null; actedAt: Date | null },
): boolean {
  return concern.actedAt === null && hasPermission(viewer.role, 'concerns.act') && maySeeDetail(viewer, concern)
}

/**
 * S1: a concern is acted on once; what was done and why is required to say there is nothing more to do.
 * S3: a concern of suicide or self-harm risk is closed with no further action only by a manager (a safer
 * custody lead, or the orderly officer, a governor), with the reason recorded: ACCT's rule that such a
 * concern is not quietly set aside.
 */
export function actRefusal(
  concern: { actedAt: Date | null; indicatesSelfHarmRisk?: boolean },
  input: { outcome: ConcernOutcome; note: string },
  actor?: { role: Role },
): Refusal | null {
  if (concern.actedAt) return { field: 'outcome', messageKey: 'concerns.act.error.already' }
  if (
    input.outcome === 'no-further-action' &&
    concern.indicatesSelfHarmRisk === true &&
    !(actor && hasPermission(actor.role, 'concerns.close-self-harm-risk'))
  )
    return { field: 'outcome', messageKey: 'concerns.act.error.managerDecides' }
  if (input.outcome === 'no-further-action' && input.note.trim() === '')
    return { field: 'note', messageKey: 'concerns.act.error.reason' }
  if (input.note.length > ACTION_NOTE_MAX)
    return { field: 'note', messageKey: 'concerns.act.error.noteLength', values: { max: ACTION_NOTE_MAX } }
  return null
}

/** Whether a viewer opening a concern counts as it being received: someone who acts on it, not its raiser. */
export function countsAsReceipt(viewer: { id: string; role: Role }, concern: { raisedBy: string | null }): boolean {
  return viewer.id !== concern.raisedBy && hasPermission(viewer.role, 'concerns.act')
}

/** Who the raiser is told about: the person's responsible officer, when there is one, and safer custody. */
export function recipientsOf(responsibleStaffUserId: string | null, saferCustodyLeadIds: readonly string[]): string[] {
  return [...new Set([...(responsibleStaffUserId ? [responsibleStaffUserId] : []), ...saferCustodyLeadIds])]
}

/**
 * S1: the ways a typed name may split into a first and a last name: "Dean Morgan", "Morgan, Dean", and for more
 * words each split that keeps a name whole ("Mary Ann Jones" is Mary / Ann Jones or Mary Ann / Jones). One word
 * is no name: a first or last name alone would list everyone who shares it.
 */
export function namesIn(typed: string): { firstName: string; lastName: string }[] {
  const [before, after, ...rest] = typed.split(',').map((part) => part.trim().split(/\s+/).filter(Boolean).join(' '))
  if (after !== undefined) return rest.length === 0 && before && after ? [{ firstName: after, lastName: before }] : []
  const words = (before ?? '').split(' ').filter(Boolean)
  return words
    .slice(1)
    .map((_, index) => ({ firstName: words.slice(0, index + 1).join(' '), lastName: words.slice(index + 1).join(' ') }))
}

/** S1: a prison's concerns lists, a page at a time. */
export const CONCERNS_PAGE_SIZE = 50
