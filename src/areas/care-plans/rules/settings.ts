import type { ImmediateReviewReason, RiskLevel } from '../../../db/schema.ts'
import { addMinutes } from '../../../platform/dates.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { DAY } from './durations.ts'

export type { Refusal }

export const riskLevels = ['low', 'raised', 'high'] as const satisfies readonly RiskLevel[]
export const immediateReviewReasons = [
  'self-harm',
  'significant-event',
  'new-information',
  'observation',
  'request',
] as const satisfies readonly ImmediateReviewReason[]
export const referralOutcomes = ['accepted', 'declined', 'no-response', 'completed'] as const
/**
 * Who attends a case review, by the part they play (ACCT v6: the review is multidisciplinary). `staff` is
 * kept for reviews recorded before attendees had roles.
 */
export const attendeeKinds = [
  'case-manager',
  'healthcare',
  'person',
  'wing-staff',
  'chaplaincy',
  'partner',
  'family',
  'staff',
] as const

/** S3: the ACCT timings a prison follows. The defaults are ACCT version 6 (in use since July 2021). */
export type CarePlanSettings = {
  immediateActionMinutes: number
  assessmentHours: number
  firstReviewHours: number
  transferReviewHours: number
  postClosureReviewDays: number
  /** Local (Europe/London) hours at which the day and the night periods of supervision begin. */
  dayStartsHour: number
  nightStartsHour: number
  /** How long an observation may stay overdue, after the wing is told, before the orderly officer is. */
  orderlyOfficerAfterMinutes: number
  /** The prison's own names for the levels, in English and in Welsh (WELSH.md: a name a prison sets is in both). */
  riskNames: Record<RiskLevel, string>
  riskNamesCy: Record<RiskLevel, string>
}

export const defaultSettings: CarePlanSettings = {
  immediateActionMinutes: 60,
  assessmentHours: 24,
  firstReviewHours: 24,
  transferReviewHours: 24,
  postClosureReviewDays: 7,
  dayStartsHour: 8,
  nightStartsHour: 20,
  orderlyOfficerAfterMinutes: 30,
  riskNames: { low: 'low', raised: 'raised', high: 'high' },
  riskNamesCy: { low: 'isel', raised: 'uwch', high: 'uchel' },
}

/** The prison's names for the levels of risk in the reader's language. */
export function riskNamesIn(language: 'en' | 'cy', settings: Pick<CarePlanSettings, 'riskNames' | 'riskNamesCy'>) {
  return language === 'cy' ? settings.riskNamesCy : settings.riskNames
}

/**
 * What a prison may set. A prison may tighten the ACCT v6 times but never loosen them: the immediate action
 * plan within the hour, the assessment interview and the first case review within a day.
 */
export const settingLimits = {
  immediateActionMinutes: [5, 60],
  assessmentHours: [1, 24],
  firstReviewHours: [1, 24],
  transferReviewHours: [1, 168],
  postClosureReviewDays: [1, 90],
  dayStartsHour: [0, 23],
  nightStartsHour: [0, 23],
  orderlyOfficerAfterMinutes: [1, 720],
} as const satisfies Record<Exclude<keyof CarePlanSettings, 'riskNames' | 'riskNamesCy'>, readonly [number, number]>

/** The problems with a prison's settings beyond each number's own range: none means they can be saved. */
export function settingsProblems(settings: CarePlanSettings): Refusal[] {
  const problems: Refusal[] = []
  if (settings.dayStartsHour === settings.nightStartsHour)
    problems.push({ field: 'nightStartsHour', messageKey: 'carePlans.settings.error.sameHour', values: {} })
  const distinct = (names: Record<RiskLevel, string>) =>
    new Set(riskLevels.map((level) => names[level].trim().toLowerCase())).size === riskLevels.length
  if (!distinct(settings.riskNames))
    problems.push({ field: 'riskHigh', messageKey: 'carePlans.settings.error.sameNames', values: {} })
  if (!distinct(settings.riskNamesCy))
    problems.push({ field: 'riskHighCy', messageKey: 'carePlans.settings.error.sameNames', values: {} })
  return problems
}

/** S3: the clock on a plan's three first steps starts when it is opened, or earlier (see clockStartsAt). */
export function openingDeadlines(startsAt: Date, settings: CarePlanSettings) {
  return {
    immediateActionDueAt: addMinutes(startsAt, settings.immediateActionMinutes),
    assessmentDueAt: addMinutes(startsAt, settings.assessmentHours * 60),
    firstReviewDueAt: addMinutes(startsAt, settings.firstReviewHours * 60),
  }
}

/**
 * S1, S3: a concern that says someone may be at risk of suicide or self-harm starts the ACCT clock when it
 * is raised, not when someone gets round to opening the plan: the hour for the immediate action plan is the
 * person's hour, not the paperwork's.
 */
export function clockStartsAt(
  openedAt: Date,
  concern: { raisedAt: Date; indicatesSelfHarmRisk: boolean } | null,
): Date {
  if (!concern?.indicatesSelfHarmRisk) return openedAt
  return concern.raisedAt.getTime() < openedAt.getTime() ? concern.raisedAt : openedAt
}

/** S3: a closure review sets the post-closure review, by default a week later. */
export function postClosureReviewDue(closedAt: Date, settings: CarePlanSettings): Date {
  return new Date(closedAt.getTime() + settings.postClosureReviewDays * DAY)
}

/** J3: the receiving prison holds its first case review within this long of the person's arrival. */
export function reviewDueAfterArrival(arrivedAt: Date, settings: CarePlanSettings): Date {
  return addMinutes(arrivedAt, settings.transferReviewHours * 60)
}
