import type { IsoDate, RiskLevel } from '../../../db/schema.ts'
import { addDays, londonTime } from '../../../platform/dates.ts'
import type { Refusal } from '../../../platform/forms.ts'
import { DAY } from './durations.ts'
import { deadlineState } from './steps.ts'
import { isLateEntry } from './supervision.ts'

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
