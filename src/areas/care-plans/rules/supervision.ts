import type { RiskLevel } from '../../../db/schema.ts'
import { addDays, londonDate, londonTime } from '../../../platform/dates.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { DAY, MINUTE } from './durations.ts'

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

/**
 * Issue 19: a dashboard of sixty plans worked out every plan's periods and suggested times on every request,
 * a twentieth of the server thread under load, though both are the same for hours: the periods for the same
 * window (every plan on one page asks for the same one), and a plan's slots for as long as its period and
 * supervision stay (they are seeded by the plan and the period). Both are pure, so kept: the last window's
 * periods, and up to `SLOTS_KEPT` plans' periods' slots, frozen so that no caller changes another's.
 */
let lastPeriods: { key: string; periods: readonly Period[] } | undefined
const keptSlots = new Map<string, readonly Slot[]>()
const SLOTS_KEPT = 20_000

function periodsKept(from: Date, to: Date, hours: { dayStartsHour: number; nightStartsHour: number }) {
  const key = `${from.getTime()} ${to.getTime()} ${hours.dayStartsHour} ${hours.nightStartsHour}`
  if (lastPeriods?.key === key) return lastPeriods.periods
  const periods = periodsBetween(from, to, hours).map((period) => Object.freeze(period))
  lastPeriods = { key, periods }
  return periods
}

function slotsKept(seed: string, period: Period, count: number, maxGap: number | undefined): readonly Slot[] {
  const key = `${seed} ${period.kind} ${period.startsAt.getTime()} ${period.endsAt.getTime()} ${count} ${maxGap}`
  const kept = keptSlots.get(key)
  if (kept) return kept
  const slots = suggestedSlots(seed, period, count, maxGap).map((slot) => Object.freeze(slot))
  if (keptSlots.size >= SLOTS_KEPT) keptSlots.clear()
  keptSlots.set(key, slots)
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
  return periodsKept(start, to, hours).flatMap((period) =>
    slotsKept(
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

export function slotState(
  slot: Slot,
  observations: readonly Omit<ObservationForSchedule, 'wasConversation'>[],
  now: Date,
): SlotState {
  const within = observations.filter(
    (observation) =>
      observation.observedAt.getTime() >= slot.startsAt.getTime() &&
      observation.observedAt.getTime() < slot.endsAt.getTime(),
  )
  const seenSince = observations.some(
    (observation) =>
      observation.observedAt.getTime() >= slot.endsAt.getTime() && observation.observedAt.getTime() <= now.getTime(),
  )
  return stateOfSlot(slot, within, seenSince, now)
}

/**
 * Each slot's state as `slotState` gives it, for a whole schedule at once: the observations are put in time order
 * once and each slot finds its own by halving, rather than every slot reading every observation. A dashboard
 * reads a day and a half of slots against two days of observations for every plan open (issue 19).
 */
export function slotStates(
  slots: readonly Slot[],
  observations: readonly Omit<ObservationForSchedule, 'wasConversation'>[],
  now: Date,
): SlotState[] {
  const inOrder = [...observations].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime())
  const firstAtOrAfter = (instant: Date) => {
    let [low, high] = [0, inOrder.length]
    while (low < high) {
      const middle = (low + high) >>> 1
      if (inOrder[middle].observedAt.getTime() < instant.getTime()) low = middle + 1
      else high = middle
    }
    return low
  }
  return slots.map((slot) => {
    const [from, to] = [firstAtOrAfter(slot.startsAt), firstAtOrAfter(slot.endsAt)]
    const within = inOrder.slice(from, to)
    // Observed after the slot ended and by now: the first observed after it is the earliest such.
    const seenSince = to < inOrder.length && inOrder[to].observedAt.getTime() <= now.getTime()
    return stateOfSlot(slot, within, seenSince, now)
  })
}

/** A slot's state from the observations within it, and whether anyone has looked since it ended. */
function stateOfSlot(
  slot: Slot,
  within: readonly Omit<ObservationForSchedule, 'wasConversation'>[],
  seenSince: boolean,
  now: Date,
): SlotState {
  const inTime = within.some(
    (observation) => !isLateEntry(observation) || observation.recordedAt.getTime() < slot.endsAt.getTime(),
  )
  if (inTime) return 'done'
  if (now.getTime() < slot.startsAt.getTime()) return 'upcoming'
  if (now.getTime() < slot.endsAt.getTime()) return 'due'
  if (seenSince) return 'missed'
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
