import type { CaseReviewKind, ImmediateReviewReason, IsoDate, RiskLevel } from '../../db/schema.ts'
import { addDays, addMinutes, londonDate, londonTime } from '../../platform/dates.ts'
import type { Refusal } from '../../platform/forms.ts'

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

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

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

// ---------------------------------------------------------------------------------------------------
// Supervision: periods, irregular suggested times, and the state of each slot

/** How often staff look in and talk with the person, by day and by night. */
export type Supervision = {
  observationsPerDay: number
  observationsPerNight: number
  conversationsPerDay: number
  conversationsPerNight: number
}

export type Period = { kind: 'day' | 'night'; startsAt: Date; endsAt: Date }

/** The day and night periods of supervision that overlap [from, to), in order, whole. */
export function periodsBetween(
  from: Date,
  to: Date,
  hours: { dayStartsHour: number; nightStartsHour: number },
): Period[] {
  const boundaries: { at: Date; kind: 'day' | 'night' }[] = []
  const firstDate = addDays(londonDate(from), -1)
  const lastDate = addDays(londonDate(to), 1)
  for (let date = firstDate; date <= lastDate; date = addDays(date, 1)) {
    boundaries.push({ at: londonTime(date, hours.dayStartsHour), kind: 'day' })
    boundaries.push({ at: londonTime(date, hours.nightStartsHour), kind: 'night' })
  }
  boundaries.sort((a, b) => a.at.getTime() - b.at.getTime())
  const periods: Period[] = []
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const period = { kind: boundaries[i].kind, startsAt: boundaries[i].at, endsAt: boundaries[i + 1].at }
    if (period.endsAt.getTime() > from.getTime() && period.startsAt.getTime() < to.getTime()) periods.push(period)
  }
  return periods
}

/** A small seeded generator, so a plan's suggested times are the same on every page and every process. */
function seededRandom(seed: string): () => number {
  let state = 2166136261
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Slot = { period: 'day' | 'night'; startsAt: Date; endsAt: Date; suggestedAt: Date }

/**
 * S3: the least supervision each level of risk allows, by day and by night. A case review may set more; it
 * may set fewer only with a reason recorded. Constant supervision is a level of its own above these.
 */
export const supervisionFloors: Record<RiskLevel, Supervision> = {
  low: { observationsPerDay: 3, observationsPerNight: 2, conversationsPerDay: 1, conversationsPerNight: 0 },
  raised: { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 },
  high: { observationsPerDay: 12, observationsPerNight: 12, conversationsPerDay: 3, conversationsPerNight: 1 },
}

/** The parts of a supervision level below the floor of its risk. */
export function belowFloor(riskLevel: RiskLevel, supervision: Supervision): (keyof Supervision)[] {
  const floor = supervisionFloors[riskLevel]
  return (Object.keys(floor) as (keyof Supervision)[]).filter((field) => supervision[field] < floor[field])
}

export function supervisionRefusal(riskLevel: RiskLevel, supervision: Supervision, reason: string): Refusal | null {
  const below = belowFloor(riskLevel, supervision)
  if (below.length === 0 || reason.trim() !== '') return null
  const floor = supervisionFloors[riskLevel]
  return {
    field: 'supervisionReason',
    messageKey: 'carePlans.supervision.error.belowFloor',
    values: {
      day: floor.observationsPerDay,
      night: floor.observationsPerNight,
      dayTalks: floor.conversationsPerDay,
      nightTalks: floor.conversationsPerNight,
    },
  }
}

/**
 * The longest a level of risk lets pass between two observations in a period: the period shared out among
 * the level's least number of observations. A plan with no level yet (no first case review) is held to
 * the highest, as no one has judged it lower.
 */
export function levelInterval(riskLevel: RiskLevel | null, period: Period): number {
  const floor = supervisionFloors[riskLevel ?? 'high']
  const count = period.kind === 'day' ? floor.observationsPerDay : floor.observationsPerNight
  const length = period.endsAt.getTime() - period.startsAt.getTime()
  return count > 0 ? length / count : length
}

/**
 * S3: observations must not be predictable, and no gap may be longer than the level allows. A period with
 * n observations is cut into n equal slots of length L, one due in each. Each time suggested is drawn from
 * a generator seeded by the plan and the period (the same on every page and process) with three bounds:
 * the gap from the time before is at most the cap; the first time is within half the cap of the period's
 * start and the last within half the cap of its end, so the gap across the change of period is capped too;
 * and each time leaves the last tenth of its slot, to be on time.
 *
 * The cap is the level's interval, or L when the plan asks for fewer than the level's floor. Gaps of at most
 * L over n slots can only be L each, so a plan at exactly its level's floor gets an even round; the times
 * vary in proportion to how much more often than the floor the plan asks to look.
 */
export function suggestedSlots(seed: string, period: Period, count: number, maxGap?: number): Slot[] {
  if (count <= 0) return []
  const random = seededRandom(`${seed}/${period.startsAt.toISOString()}`)
  const start = period.startsAt.getTime()
  const length = (period.endsAt.getTime() - start) / count
  const cap = Math.max(maxGap ?? length, length)
  const slack = cap - length
  const slots: Slot[] = []
  let previous = start - cap / 2
  for (let i = 0; i < count; i++) {
    const slotStart = Math.round(start + i * length)
    const slotEnd = i === count - 1 ? period.endsAt.getTime() : Math.round(start + (i + 1) * length)
    // Late enough that the last time can still come within half the cap of the period's end.
    const earliest = slotStart + Math.max(0, length - cap / 2 - (count - 1 - i) * slack)
    const latest = Math.min(slotStart + 0.9 * (slotEnd - slotStart), previous + cap)
    const low = Math.ceil(earliest / MINUTE) * MINUTE
    const high = Math.floor(latest / MINUTE) * MINUTE
    const suggested =
      high <= low ? Math.max(high, slotStart) : low + Math.floor((random() * (high - low)) / MINUTE) * MINUTE
    previous = suggested
    slots.push({
      period: period.kind,
      startsAt: new Date(slotStart),
      endsAt: new Date(slotEnd),
      suggestedAt: new Date(suggested),
    })
  }
  return slots
}

/** The slots of a plan's supervision from when it was set, over [from, to). */
export function scheduleBetween(
  seed: string,
  supervision: Supervision & { setAt: Date; riskLevel?: RiskLevel | null },
  hours: { dayStartsHour: number; nightStartsHour: number },
  from: Date,
  to: Date,
): Slot[] {
  // Observation times are whole minutes: a slot that begins when the supervision was set (20:09:41) begins
  // at the start of that minute, or an observation recorded at 20:09 would fall before it and not count.
  const setAt = Math.floor(supervision.setAt.getTime() / MINUTE) * MINUTE
  const start = new Date(Math.max(from.getTime(), setAt))
  if (start.getTime() >= to.getTime()) return []
  return periodsBetween(start, to, hours).flatMap((period) =>
    suggestedSlots(
      seed,
      period,
      period.kind === 'day' ? supervision.observationsPerDay : supervision.observationsPerNight,
      levelInterval(supervision.riskLevel ?? null, period),
    )
      .filter((slot) => slot.endsAt.getTime() > start.getTime() && slot.startsAt.getTime() < to.getTime())
      .map((slot) => (slot.startsAt.getTime() < start.getTime() ? { ...slot, startsAt: start } : slot))
      .map((slot) =>
        slot.suggestedAt.getTime() < slot.startsAt.getTime() ? { ...slot, suggestedAt: slot.startsAt } : slot,
      ),
  )
}

/** S3: an entry written down more than this long after the time it claims is marked late. */
export const LATE_ENTRY_MINUTES = 15

export function isLateEntry(entry: { observedAt: Date; recordedAt: Date }): boolean {
  return entry.recordedAt.getTime() - entry.observedAt.getTime() > LATE_ENTRY_MINUTES * MINUTE
}

/**
 * done: observed within the slot; due: the slot is running and no one has looked yet; upcoming; overdue:
 * the slot passed with no observation and no one has looked since; missed: the slot passed unobserved
 * but someone has looked since; late: the only entries for the slot were written late, after it ended.
 *
 * A late entry is kept and shown, but it does not make a slot done after the slot has passed: in two
 * inquests an entry back-dated into a missed slot stopped the overdue alert. Only someone looking now
 * (an observation after the slot) stands the alarm down.
 */
export type SlotState = 'done' | 'due' | 'upcoming' | 'overdue' | 'missed' | 'late'

export type ObservationForSchedule = { observedAt: Date; recordedAt: Date; wasConversation: boolean }

export function slotState(slot: Slot, observations: readonly ObservationForSchedule[], now: Date): SlotState {
  const within = observations.filter(
    (observation) =>
      observation.observedAt.getTime() >= slot.startsAt.getTime() &&
      observation.observedAt.getTime() < slot.endsAt.getTime(),
  )
  const inTime = within.some(
    (observation) => !isLateEntry(observation) || observation.recordedAt.getTime() < slot.endsAt.getTime(),
  )
  if (inTime) return 'done'
  if (now.getTime() < slot.startsAt.getTime()) return 'upcoming'
  if (now.getTime() < slot.endsAt.getTime()) return 'due'
  const since = observations.some(
    (observation) =>
      observation.observedAt.getTime() >= slot.endsAt.getTime() && observation.observedAt.getTime() <= now.getTime(),
  )
  if (since) return 'missed'
  return within.length > 0 ? 'late' : 'overdue'
}

/** The slot to look at next: the running slot if not yet done, or the first upcoming one. */
export function nextDue(states: readonly { slot: Slot; state: SlotState }[]) {
  return states.find((entry) => entry.state === 'due' || entry.state === 'upcoming') ?? null
}

/** Conversations held in a period against those required. */
export function conversationTally(period: Period, observations: readonly ObservationForSchedule[], required: number) {
  const held = observations.filter(
    (observation) =>
      observation.wasConversation &&
      observation.observedAt.getTime() >= period.startsAt.getTime() &&
      observation.observedAt.getTime() < period.endsAt.getTime(),
  ).length
  return { held, required, isShort: held < required }
}

export type AlertStage = 'wing' | 'orderly-officer'

/**
 * S3: an overdue observation alerts the wing at once, and the orderly officer if it is still overdue
 * after the prison's further interval. Only slots that ended in the last day are looked at: an older gap
 * is history, not an alarm.
 */
export function observationAlertsDue(
  states: readonly { slot: Slot; state: SlotState }[],
  now: Date,
  orderlyOfficerAfterMinutes: number,
): { slotEndsAt: Date; stage: AlertStage }[] {
  const alerts: { slotEndsAt: Date; stage: AlertStage }[] = []
  for (const { slot, state } of states) {
    // A slot with only a late entry still alarms: the entry was written after the alert was due.
    if ((state !== 'overdue' && state !== 'late') || slot.endsAt.getTime() < now.getTime() - DAY) continue
    alerts.push({ slotEndsAt: slot.endsAt, stage: 'wing' })
    if (now.getTime() >= slot.endsAt.getTime() + orderlyOfficerAfterMinutes * MINUTE)
      alerts.push({ slotEndsAt: slot.endsAt, stage: 'orderly-officer' })
  }
  return alerts
}

/**
 * The observations that stand: a corrected entry gives way to its correction (which keeps both in the
 * history), so a schedule counts each observation once, at its corrected time.
 */
export function standingObservations<T extends { id: string; correctsId: string | null }>(entries: readonly T[]): T[] {
  const corrected = new Set(entries.map((entry) => entry.correctsId).filter((id): id is string => id !== null))
  return entries.filter((entry) => !corrected.has(entry.id))
}

// ---------------------------------------------------------------------------------------------------
// The order of the care plan lists

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

// ---------------------------------------------------------------------------------------------------
// Alerts, as NOMIS and the HMPPS alerts service code them

export type AlertCode = 'HA' | 'HA1' | 'HA2'
export const alertDescriptions: Record<AlertCode, string> = {
  HA: 'ACCT open',
  HA1: 'ACCT post closure',
  HA2: 'ACCT closed',
}

/** S3: the person's current ACCT alert follows their latest plan. */
export function alertOf(plan: { openedAt: Date; closedAt: Date | null; postClosureReviewedAt: Date | null }): {
  code: AlertCode
  description: string
  activeFrom: Date
} {
  if (plan.postClosureReviewedAt)
    return { code: 'HA2', description: alertDescriptions.HA2, activeFrom: plan.postClosureReviewedAt }
  if (plan.closedAt) return { code: 'HA1', description: alertDescriptions.HA1, activeFrom: plan.closedAt }
  return { code: 'HA', description: alertDescriptions.HA, activeFrom: plan.openedAt }
}

// ---------------------------------------------------------------------------------------------------
// Deadlines met, a measure per prison

export type PlanForMeasure = {
  openedAt: Date
  immediateActionDueAt: Date
  immediateActionAt: Date | null
  assessmentDueAt: Date
  assessmentAt: Date | null
  firstReviewDueAt: Date
  firstReviewAt: Date | null
  reviews: { dueAt: Date | null; heldAt: Date }[]
}

export type Share = { met: number; of: number }

/** The steps whose deadlines are measured: the three of opening, and each scheduled case review after. */
export type MeasuredStep = 'immediateAction' | 'assessment' | 'firstReview' | 'review'
export type MeasuredDeadline = { step: MeasuredStep; dueAt: Date; doneAt: Date | null; met: boolean }

/**
 * S3: the deadlines of one plan that count in [from, to): its three opening deadlines if it opened in the
 * period, and each scheduled review held in it. A deadline still running is left out: it is neither met
 * nor missed yet; one passed with the step not done is missed.
 */
export function measuredDeadlinesOf(plan: PlanForMeasure, from: Date, to: Date, now: Date): MeasuredDeadline[] {
  const within = (at: Date) => at.getTime() >= from.getTime() && at.getTime() < to.getTime()
  const deadlines: Omit<MeasuredDeadline, 'met'>[] = within(plan.openedAt)
    ? [
        { step: 'immediateAction', dueAt: plan.immediateActionDueAt, doneAt: plan.immediateActionAt },
        { step: 'assessment', dueAt: plan.assessmentDueAt, doneAt: plan.assessmentAt },
        { step: 'firstReview', dueAt: plan.firstReviewDueAt, doneAt: plan.firstReviewAt },
      ]
    : []
  for (const review of plan.reviews)
    if (review.dueAt && within(review.heldAt))
      deadlines.push({ step: 'review', dueAt: review.dueAt, doneAt: review.heldAt })
  return deadlines.flatMap((deadline) => {
    const state = deadlineState(deadline.dueAt, deadline.doneAt, now)
    return state === 'pending' ? [] : [{ ...deadline, met: state === 'met' }]
  })
}

/** The longest period the deadlines page reads: a year, so that a prison can set this year beside last. */
export const DEADLINE_PERIOD_MONTHS = 12

/**
 * S3: the period of the deadlines page, whole London days from `fromOn` to `toOn`: it ends no later than
 * today, begins on or before its end, and spans no more than 12 months.
 */
export function deadlinePeriodRefusal(fromOn: IsoDate, toOn: IsoDate, today: IsoDate): Refusal | null {
  if (toOn > today) return { field: 'to', messageKey: 'carePlans.deadlines.error.future', values: {} }
  if (fromOn > toOn) return { field: 'from', messageKey: 'carePlans.deadlines.error.order', values: {} }
  const [year, month, day] = toOn.split('-').map(Number) as [number, number, number]
  const earliest = new Date(Date.UTC(year, month - 1 - DEADLINE_PERIOD_MONTHS, day)).toISOString().slice(0, 10)
  if (fromOn < earliest)
    return {
      field: 'from',
      messageKey: 'carePlans.deadlines.error.tooLong',
      values: { months: DEADLINE_PERIOD_MONTHS },
    }
  return null
}

/** The instants the period of whole days runs between: midnight in London at its start, and after its end. */
export function deadlinePeriodInstants(fromOn: IsoDate, toOn: IsoDate): { from: Date; to: Date } {
  return { from: londonTime(fromOn, 0), to: londonTime(addDays(toOn, 1), 0) }
}

/** The period the page opens on: the last 30 days, today among them. */
export function defaultDeadlinePeriod(today: IsoDate): { fromOn: IsoDate; toOn: IsoDate } {
  return { fromOn: addDays(today, -29), toOn: today }
}

/**
 * The share of plans opened in [from, to) that met each of the three opening deadlines, and of the
 * scheduled reviews held in the period that were on time. A deadline still running is left out: it is
 * neither met nor missed yet.
 */
export function deadlinesMetOf(plans: readonly PlanForMeasure[], from: Date, to: Date, now: Date) {
  const share = (): Share => ({ met: 0, of: 0 })
  const result = { immediateAction: share(), assessment: share(), firstReview: share(), reviewsOnTime: share() }
  for (const plan of plans)
    for (const deadline of measuredDeadlinesOf(plan, from, to, now)) {
      const target = result[deadline.step === 'review' ? 'reviewsOnTime' : deadline.step]
      target.of += 1
      if (deadline.met) target.met += 1
    }
  return result
}

/**
 * S3: how multidisciplinary a prison's case reviews were: the share in which healthcare took part (attended,
 * or sent written input) and the share the person attended.
 */
export function reviewParticipation(
  reviews: readonly { attendees: readonly { kind: string }[]; healthcareInput: string }[],
): { healthcare: Share; person: Share } {
  const of = reviews.length
  return {
    healthcare: {
      met: reviews.filter(
        (review) =>
          review.attendees.some((attendee) => attendee.kind === 'healthcare') || review.healthcareInput.trim() !== '',
      ).length,
      of,
    },
    person: { met: reviews.filter((review) => review.attendees.some((a) => a.kind === 'person')).length, of },
  }
}

/**
 * S3: the entries written late at a prison, by the wing the person is on, the most late first: where
 * records are written after the fact is where the supervision may not be happening.
 */
export function lateEntriesByWing(
  entries: readonly { observedAt: Date; recordedAt: Date; wingName: string | null }[],
): { wingName: string | null; late: number; of: number }[] {
  const wings = new Map<string | null, { wingName: string | null; late: number; of: number }>()
  for (const entry of entries) {
    const wing = wings.get(entry.wingName) ?? { wingName: entry.wingName, late: 0, of: 0 }
    wing.of += 1
    if (isLateEntry(entry)) wing.late += 1
    wings.set(entry.wingName, wing)
  }
  return [...wings.values()]
    .filter((wing) => wing.late > 0)
    .sort((a, b) => b.late - a.late || (a.wingName ?? '~').localeCompare(b.wingName ?? '~'))
}

/** A share as a whole percentage, or null when there was nothing to measure. */
export function percentOf(share: Share): number | null {
  return share.of === 0 ? null : Math.round((100 * share.met) / share.of)
}

export type PlanLevels = {
  openedAt: Date
  closedAt: Date | null
  /** The plan's case reviews, oldest first; one that set no risk level (a closure) changes nothing. */
  reviews: readonly { heldAt: Date; riskLevel: RiskLevel | null }[]
}

/**
 * M4: the days plans spent at each level within [from, to), from their reviews: each level from the review
 * that set it until the next one that set a level, the plan's closure or `to`. `unset` is the time from
 * opening to the first review that set a level. Fractions of a day count, to one decimal place in the sum.
 */
export function daysAtEachLevel(
  plans: readonly PlanLevels[],
  from: Date,
  to: Date,
): Record<RiskLevel | 'unset', number> {
  const milliseconds: Record<RiskLevel | 'unset', number> = { unset: 0, low: 0, raised: 0, high: 0 }
  const add = (level: RiskLevel | 'unset', start: Date, end: Date) => {
    const clippedStart = Math.max(start.getTime(), from.getTime())
    const clippedEnd = Math.min(end.getTime(), to.getTime())
    if (clippedEnd > clippedStart) milliseconds[level] += clippedEnd - clippedStart
  }
  for (const plan of plans) {
    const end = plan.closedAt ?? to
    let level: RiskLevel | 'unset' = 'unset'
    let since = plan.openedAt
    for (const review of plan.reviews) {
      if (!review.riskLevel || review.heldAt.getTime() >= end.getTime()) continue
      add(level, since, review.heldAt)
      level = review.riskLevel
      since = review.heldAt
    }
    add(level, since, end)
  }
  const days = (value: number) => Math.round((value / DAY) * 10) / 10
  return {
    unset: days(milliseconds.unset),
    low: days(milliseconds.low),
    raised: days(milliseconds.raised),
    high: days(milliseconds.high),
  }
}
