import type { IsoDate } from '../../db/schema.ts'
import { londonTime } from '../../platform/dates.ts'
import type { Permission } from '../../platform/permissions.ts'

/**
 * M1: the measures of what works, each with how it is read (a share, a rate per 100 people, hours or days),
 * which way is better, and the page holding the records behind it (behind that page's own permission).
 */
export const measureKeys = [
  'peer-supporters',
  'training-mental-health-first-aid',
  'training-trauma-informed',
  'training-acct',
  'health-and-social-care',
  'supervision',
  'key-work',
  'progress-meetings',
  'first-contact',
  'time-out-of-cell',
  'needs-met',
  'acct-deadlines',
] as const
export type MeasureKey = (typeof measureKeys)[number]

export type MeasureUnit = 'percent' | 'per-hundred' | 'hours' | 'days'
export type Measure = {
  code: MeasureKey
  unit: MeasureUnit
  /** Days to first contact is better lower; everything else is better higher. */
  better: 'higher' | 'lower'
  /** The highest target a governor may set, so a typing slip is refused rather than drawn. */
  maximum: number
  records: { href: string; permission: Permission }
}

/** One measure as a row: its code, unit, which way is better, the highest target, and where its records are. */
const measure = (
  code: MeasureKey,
  unit: Measure['unit'],
  better: Measure['better'],
  maximum: number,
  href: string,
  permission: Permission,
): Measure => ({ code, unit, better, maximum, records: { href, permission } })

const keyWorkFigures = '/dedicated-officers/statistics'
const keyWorkView = 'keywork.view-statistics'

export const measures: readonly Measure[] = [
  measure('peer-supporters', 'per-hundred', 'higher', 100, '/peer-supporters', 'peer-supporters.view'),
  measure('training-mental-health-first-aid', 'percent', 'higher', 100, '/staff?gap=expired-or-missing', 'staff.view'),
  measure('training-trauma-informed', 'percent', 'higher', 100, '/staff?gap=expired-or-missing', 'staff.view'),
  measure('training-acct', 'percent', 'higher', 100, '/staff?without=acct', 'staff.view'),
  measure('health-and-social-care', 'percent', 'higher', 100, '/staff?without=health-and-social-care', 'staff.view'),
  measure('supervision', 'percent', 'higher', 100, '/staff?supervision=overdue', 'staff.view'),
  measure('key-work', 'percent', 'higher', 100, keyWorkFigures, keyWorkView),
  measure('progress-meetings', 'percent', 'higher', 100, `${keyWorkFigures}#progress-meetings`, keyWorkView),
  measure('first-contact', 'days', 'lower', 90, keyWorkFigures, keyWorkView),
  measure('time-out-of-cell', 'hours', 'higher', 100, '/attendance/reports', 'attendance.reports'),
  measure('needs-met', 'percent', 'higher', 100, '/needs-analysis', 'regime.needs-analysis'),
  measure('acct-deadlines', 'percent', 'higher', 100, '/care-plans/deadlines', 'care-plans.lists'),
]

export function isMeasureKey(value: string): value is MeasureKey {
  return (measureKeys as readonly string[]).includes(value)
}

export function measureOf(key: MeasureKey): Measure {
  return measures.find((measure) => measure.code === key)!
}

/** A share as a percentage to one decimal place; null where nothing was due (no figure, rather than 0%). */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10
}

/** Rounded to one decimal place, keeping null. */
export function oneDecimal(value: number | null | undefined): number | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value * 10) / 10
}

/** The month an ISO date falls in, as '2026-11'. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7)
}

/** The `count` months ending with the month of `today`, oldest first. */
export function monthsEnding(today: IsoDate, count = 12): string[] {
  const year = Number(today.slice(0, 4))
  const month = Number(today.slice(5, 7)) - 1
  const result: string[] = []
  for (let back = count - 1; back >= 0; back--) {
    const index = year * 12 + month - back
    result.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`)
  }
  return result
}

/** Whether a figure meets its target, reading the measure the right way round; null with either missing. */
export function meetsTarget(value: number | null, target: number | null, better: 'higher' | 'lower'): boolean | null {
  if (value === null || target === null) return null
  return better === 'higher' ? value >= target : value <= target
}

/**
 * Issue 19, a long page summarises first: of the measures, how many meet their target this month, how many do
 * not, and how many cannot be judged (no target set, or no figure to hold against it).
 */
export function targetCounts(judged: readonly { met: boolean | null }[]): {
  met: number
  notMet: number
  unjudged: number
} {
  const counts = { met: 0, notMet: 0, unjudged: 0 }
  for (const { met } of judged) counts[met === null ? 'unjudged' : met ? 'met' : 'notMet'] += 1
  return counts
}

export { niceCeiling, trendChart, type TrendChart, type TrendPoint } from '../../platform/charts.ts'

/** M2: how a self-harm incident was done, and the worst injury, as the form offers them. */
export const incidentMethods = [
  'cutting',
  'ligature',
  'self-strangulation',
  'overdose',
  'swallowing',
  'head-banging',
  'burning',
  'other',
] as const
export const incidentInjuries = ['none', 'minor', 'treated-in-prison', 'hospital'] as const

/** M2: a count per 1,000 people, to one decimal place; null for an empty prison. */
export function perThousand(count: number, population: number): number | null {
  return population === 0 ? null : Math.round((count / population) * 10_000) / 10
}

/** M2: the first day of the rolling 12 months ending today. */
export function rollingYearFrom(today: IsoDate): IsoDate {
  const [year, month, day] = today.split('-').map(Number)
  // A year before 29 February is 28 February (not 1 March, as moving the year of a date would give).
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate()
  const date = new Date(Date.UTC(year - 1, month - 1, Math.min(day, lastDay)))
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}

/**
 * M2: the instant the rolling 12 months begin, for records kept as instants (incidents, handovers, care plan
 * days): midnight in the prison on its first day. UTC's midnight is an hour late in summer, and an incident
 * in that first hour would fall outside the year the page names.
 */
export function rollingYearStart(today: IsoDate): Date {
  return londonTime(rollingYearFrom(today), 0)
}

/** The instant a month ('2026-07') begins in the prison: midnight in London on its first day. */
export function monthStart(month: string): Date {
  return londonTime(`${month}-01`, 0)
}

export type Disproportion = {
  ratio: number | null
  lower: number | null
  upper: number | null
  /** Marked: the whole 95% interval lies above 1 (refused more often), on at least 3 refusals in the group. */
  flagged: boolean
}

/**
 * M2, the perverse-incentive watch: how much more often transfers of people with a self-harm history or an
 * open care plan are refused or delayed than everyone else's (`refused` counts both), as a rate ratio with
 * its 95% confidence interval (the log method, with 0.5 added to every cell where any is empty so the
 * interval exists).
 */
export function refusalDisproportion(
  group: { refused: number; total: number },
  others: { refused: number; total: number },
): Disproportion {
  if (group.total === 0 || others.total === 0) return { ratio: null, lower: null, upper: null, flagged: false }
  const empty = group.refused === 0 || others.refused === 0
  const a = group.refused + (empty ? 0.5 : 0)
  const n1 = group.total + (empty ? 1 : 0)
  const c = others.refused + (empty ? 0.5 : 0)
  const n2 = others.total + (empty ? 1 : 0)
  const ratio = a / n1 / (c / n2)
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
  const lower = Math.exp(Math.log(ratio) - 1.96 * se)
  const upper = Math.exp(Math.log(ratio) + 1.96 * se)
  return {
    ratio: Math.round(ratio * 100) / 100,
    lower: Math.round(lower * 100) / 100,
    upper: Math.round(upper * 100) / 100,
    flagged: group.refused >= 3 && lower > 1,
  }
}

const dayMs = 24 * 60 * 60 * 1000

/**
 * M2: what the receiving prison did with a transfer handover. Refused: it said no. Delayed: it let the chase
 * days it sets itself (J3) pass from the sending without an answer, whether it acknowledged later or has
 * still not answered; chasing does not restart this clock, as it does the reminder to chase. Waiting: not
 * answered yet, still inside the chase days, so not yet counted either way.
 */
export type HandoverOutcome = 'refused' | 'delayed' | 'in-time' | 'waiting'

export function handoverOutcome(
  handover: { createdAt: Date; acknowledgedAt: Date | null; refusedAt: Date | null; chaseDays: number },
  now: Date,
): HandoverOutcome {
  if (handover.refusedAt) return 'refused'
  const dueBy = handover.createdAt.getTime() + handover.chaseDays * dayMs
  if (handover.acknowledgedAt) return handover.acknowledgedAt.getTime() >= dueBy ? 'delayed' : 'in-time'
  return now.getTime() >= dueBy ? 'delayed' : 'waiting'
}

export type WatchHandover = {
  personId: string
  createdAt: Date
  acknowledgedAt: Date | null
  refusedAt: Date | null
  chaseDays: number
  /** Whether the handover carried an open care plan when it was sent (the care plans area fills it in). */
  openCarePlanWhenSent: boolean
}

/**
 * M2: the watch's group is the people who, when the handover was sent, had harmed themselves before (a
 * recorded incident) or were on an open care plan; everyone else is the comparison.
 */
export function isInWatchGroup(handover: WatchHandover, firstSelfHarmAt: Date | undefined): boolean {
  return handover.openCarePlanWhenSent || (firstSelfHarmAt !== undefined && firstSelfHarmAt < handover.createdAt)
}

export type WatchTally = { total: number; refused: number; delayed: number; waiting: number }

/**
 * M2: the transfers of the group and of everyone else, each counted once by its outcome, and how much more
 * often the group's were refused or delayed. `total` is the transfers with an outcome: those still waiting
 * inside their chase days are counted apart and left out of the rate.
 */
export function transferWatch(
  handovers: readonly WatchHandover[],
  firstSelfHarm: ReadonlyMap<string, Date>,
  now: Date,
): { group: WatchTally; others: WatchTally } & Disproportion {
  const group: WatchTally = { total: 0, refused: 0, delayed: 0, waiting: 0 }
  const others: WatchTally = { total: 0, refused: 0, delayed: 0, waiting: 0 }
  for (const handover of handovers) {
    const tally = isInWatchGroup(handover, firstSelfHarm.get(handover.personId)) ? group : others
    const outcome = handoverOutcome(handover, now)
    if (outcome === 'waiting') {
      tally.waiting += 1
      continue
    }
    tally.total += 1
    if (outcome === 'refused') tally.refused += 1
    if (outcome === 'delayed') tally.delayed += 1
  }
  const against = (tally: WatchTally) => ({ refused: tally.refused + tally.delayed, total: tally.total })
  return { group, others, ...refusalDisproportion(against(group), against(others)) }
}

/** M2: the longest investigation reference kept (the table's own check says the same). */
export const investigationReferenceMaximum = 40

/** M2: a death in custody needs the reference of the Prisons and Probation Ombudsman's investigation. */
export function investigationReferenceRefusal(
  reference: string,
): { field: 'investigationReference'; messageKey: string; values: Record<string, number> } | null {
  const trimmed = reference.trim()
  if (trimmed === '')
    return { field: 'investigationReference', messageKey: 'measures.death.error.reference', values: {} }
  if (trimmed.length > investigationReferenceMaximum)
    return {
      field: 'investigationReference',
      messageKey: 'measures.death.error.referenceLength',
      values: { maximum: investigationReferenceMaximum },
    }
  return null
}

/** M2: the self-harm incidents list, a page at a time. */
export const INCIDENTS_PAGE_SIZE = 50
