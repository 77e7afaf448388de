import type { ConcernUrgency, FamilyWorryHowSoon, FamilyWorryStatus, IsoDate } from '../../db/schema.ts'
import type { Refusal } from '../../platform/forms.ts'
import { nameKey } from '../../platform/names.ts'

export type { Refusal }

export const howSoonAnswers = ['now', 'today', 'this-week'] as const satisfies readonly FamilyWorryHowSoon[]
export const selfHarmAnswers = ['yes', 'no', 'not-sure'] as const
export const familyStatuses = [
  'received',
  'being-looked-at',
  'acted-on',
] as const satisfies readonly FamilyWorryStatus[]

/** Long enough for what a worried relative needs to say; short enough that a flood cannot fill the database. */
export const WHAT_WORRIES_MAX = 3000
export const NAME_MAX = 100
export const RELATIONSHIP_MAX = 60
export const PHONE_MAX = 30
export const EMAIL_MAX = 254
export const MALICIOUS_REASON_MAX = 500
/** A line or two: what was checked (the roll, the family rung), not a case note. */
export const NOT_HELD_HERE_NOTE_MAX = 300

/**
 * What safer custody write when they close a worry by judgement (why it is malicious, what they found when the
 * person is not held here): trimmed, required, and within its limit; or the refusal beside its field.
 */
export function closingNote(
  typed: string,
  rule: { field: string; missingKey: string; max: number },
): { text: string } | Refusal {
  const text = typed.trim()
  if (!text) return { field: rule.field, messageKey: rule.missingKey }
  if (text.length > rule.max)
    return { field: rule.field, messageKey: 'families.error.tooLong', values: { max: rule.max } }
  return { text }
}

/**
 * How many worries one address and one prison may send in an hour. Far above what a family sends (an address
 * can be a library or a whole household), they only damp a flood; a worry over the limit is never taken and
 * dropped: the sender is told, with the numbers to ring instead.
 */
export const WORRIES_PER_ADDRESS_PER_HOUR = 5
export const WORRIES_PER_PRISON_PER_HOUR = 60

/** S1: how soon the family says something must happen, as the concern's urgency that routes and escalates it. */
export function urgencyOf(howSoon: FamilyWorryHowSoon): ConcernUrgency {
  if (howSoon === 'now') return 'immediate'
  if (howSoon === 'today') return 'today'
  return 'can-wait'
}

/**
 * When a worry no one has matched is escalated: after the time the prison gives a concern of the same urgency
 * (S1's policy), counted from when it was received.
 */
export function escalatesAt(
  receivedAt: Date,
  howSoon: FamilyWorryHowSoon,
  policy: { immediateMinutes: number; todayMinutes: number; canWaitMinutes: number },
): Date {
  const urgency = urgencyOf(howSoon)
  const minutes =
    urgency === 'immediate'
      ? policy.immediateMinutes
      : urgency === 'today'
        ? policy.todayMinutes
        : policy.canWaitMinutes
  return new Date(receivedAt.getTime() + minutes * 60_000)
}

/** S3: "not sure" about a risk of suicide or self-harm counts as yes, as it does for a concern staff raise. */
export function indicatesSelfHarmRisk(answer: (typeof selfHarmAnswers)[number]): boolean {
  return answer !== 'no'
}

/** Which limit, if any, stops one more worry: the per-address one first, as it is the sender's own. */
export function limitReached(counts: { fromAddress: number; atPrison: number }): 'address' | 'prison' | null {
  if (counts.fromAddress >= WORRIES_PER_ADDRESS_PER_HOUR) return 'address'
  if (counts.atPrison >= WORRIES_PER_PRISON_PER_HOUR) return 'prison'
  return null
}

export type Candidate = { id: string; prisonNumber: string; firstName: string; lastName: string; dateOfBirth: IsoDate }

/**
 * Issue 14: who a family's worry is about, when it can be told without doubt: the prison number typed, with
 * the surname in the name typed; or, with no prison number, the whole name and the date of birth. Anything
 * less certain, or two people who both fit, is null: safer custody match it by hand.
 */
export function matchOf(
  typed: { personName: string; dateOfBirth: IsoDate | null; prisonNumber: string | null },
  candidates: readonly Candidate[],
): Candidate | null {
  const typedWords = nameKey(typed.personName).split(' ')
  const hasSurname = (candidate: Candidate) => {
    const surname = nameKey(candidate.lastName).split(' ')
    return typedWords.some((_, start) => surname.every((word, index) => typedWords[start + index] === word))
  }
  if (typed.prisonNumber) {
    const byNumber = candidates.filter(
      (candidate) => candidate.prisonNumber === typed.prisonNumber && hasSurname(candidate),
    )
    return byNumber.length === 1 ? byNumber[0] : null
  }
  if (!typed.dateOfBirth) return null
  const fullName = nameKey(typed.personName)
  const byName = candidates.filter(
    (candidate) =>
      candidate.dateOfBirth === typed.dateOfBirth &&
      (fullName === nameKey(`${candidate.firstName} ${candidate.lastName}`) ||
        fullName === nameKey(`${candidate.lastName} ${candidate.firstName}`)),
  )
  return byName.length === 1 ? byName[0] : null
}

/** A prison number as NOMIS writes it (A1234BC), from what a relative typed (spaces, lower case). */
export function prisonNumberOf(typed: string): string | null {
  const compact = typed.replace(/\s+/g, '').toUpperCase()
  return /^[A-Z]\d{4}[A-Z]{2}$/.test(compact) ? compact : null
}

/** Enough of a phone number to ring: digits, spaces, brackets, a leading +, and at least 7 digits. */
export function isPhoneNumber(typed: string): boolean {
  return /^\+?[\d\s()-]+$/.test(typed) && (typed.match(/\d/g)?.length ?? 0) >= 7
}

/** An email address that a mail server could take: something@somewhere.tld, no spaces. */
export function isEmailAddress(typed: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed)
}

/**
 * A follow-up code as it was given (`3wta-yq8k-zjsj`), from what a family typed: the same letters read off a mail or
 * a photo are the same code, with or without their dashes, in capitals or with spaces between the groups. Anything
 * that is not twelve letters and digits comes back as typed, and matches no worry.
 */
export function followUpCodeOf(typed: string): string {
  const compact = typed.replace(/[\s-]+/g, '').toLowerCase()
  return /^[a-z0-9]{12}$/.test(compact) ? (compact.match(/.{4}/g) ?? []).join('-') : typed.trim().toLowerCase()
}

/** A worry's reference as it was given (`W-3WTA-YQ8K`), from what a family typed, read as its code is. */
export function worryReferenceOf(typed: string): string {
  const compact = typed.replace(/[\s-]+/g, '').toUpperCase()
  return /^W[A-Z0-9]{8}$/.test(compact) ? `W-${compact.slice(1, 5)}-${compact.slice(5)}` : typed.trim().toUpperCase()
}

/** How many worries safer custody's list shows to a page. */
export const WORRIES_PAGE_SIZE = 50
