/**
 * M3: equality of access and outcomes. For each protected characteristic, each group's rate of a measure is
 * set against the rate of everyone in the other groups shown (the comparator), as a relative
 * rate index (RRI) with its 95% confidence interval by the log method; an interval that excludes 1 is flagged.
 * Small numbers are protected: a count under 5 is shown as "fewer than 5" and every rate behind it withheld.
 */

import type { IsoDate } from '../../db/schema.ts'
import { addDays, londonTime } from '../../platform/dates.ts'

export const SMALL_NUMBER = 5

/**
 * How far back the counts look; attendance and feedback are taken over the weeks the attendance area reads
 * time out of cell over, as the measures page does.
 */
const COUNT_DAYS = 365

/**
 * The days the counts (concerns, care plans, change requests) are taken over, the last of them today, and the
 * instant the first begins in the prison: London's midnight, not UTC's, which is an hour later in summer.
 */
export function countingWindow(today: IsoDate): { from: IsoDate; startsAt: Date } {
  const from = addDays(today, -(COUNT_DAYS - 1))
  return { from, startsAt: londonTime(from, 0) }
}

/** The 97.5th percentile of the standard normal distribution: a two-sided 95% interval. */
export const Z_95 = 1.959964

/**
 * A count as it may be shown: the number, only that it is under 5, or (for a share of a group) only that all
 * but fewer than 5 of the group had it, since the whole count would say of nearly each of them that it happened.
 */
export type Protected =
  | { value: number }
  | { fewerThanFive: true }
  | { allButFewerThanFive: true }
  /** Not small itself, but withheld so that a small group beside it cannot be worked out (`withheldGroups`). */
  | { withheld: true }

/** A count as words, in the export's English or by the page's translator. */
export function protectedText(
  value: Protected,
  words: { fewerThanFive: string; allButFewerThanFive: string; withheld: string },
) {
  if ('withheld' in value) return words.withheld
  if ('fewerThanFive' in value) return words.fewerThanFive
  if ('allButFewerThanFive' in value) return words.allButFewerThanFive
  return String(value.value)
}

export function protectedCount(count: number): Protected {
  return count < SMALL_NUMBER ? { fewerThanFive: true } : { value: count }
}

/**
 * The people a rate is worked out over: how many, the mean of their per-person values (0 or 1 for "had a
 * care plan opened", a number for "sessions a week") and the variance of those values over the people
 * themselves (divided by n, not n - 1), so that for 0-or-1 values the interval below is exactly the usual
 * log-method interval of a risk ratio.
 */
export type Summary = { people: number; events: number; mean: number; variance: number }

export function summarise(values: readonly number[]): Summary {
  const people = values.length
  if (people === 0) return { people: 0, events: 0, mean: 0, variance: 0 }
  const total = values.reduce((sum, value) => sum + value, 0)
  const mean = total / people
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / people
  return { people, events: values.filter((value) => value > 0).length, mean, variance }
}

/**
 * `summarise` of the values of everyone in the groups shown but one, with the same sums in the same order, so the
 * same figures to the last bit; without a list of them for each of the groups of every characteristic and
 * measure, which was most of the equality page's time. (Not the whole less the group: that sum rounds
 * differently.)
 */
function summariseOthers(
  measured: readonly { group: string; value: number }[],
  group: string,
  withheld: ReadonlySet<string>,
): Summary {
  const counted = (person: { group: string }) => person.group !== group && !withheld.has(person.group)
  let people = 0
  let total = 0
  for (const person of measured)
    if (counted(person)) {
      people += 1
      total += person.value
    }
  if (people === 0) return { people: 0, events: 0, mean: 0, variance: 0 }
  const mean = total / people
  let squares = 0
  let events = 0
  for (const person of measured)
    if (counted(person)) {
      squares += (person.value - mean) ** 2
      if (person.value > 0) events += 1
    }
  return { people, events, mean, variance: squares / people }
}

export type RelativeRate = { index: number; lower: number; upper: number; excludesOne: boolean }

/**
 * The group's rate over the comparator's, with its 95% confidence interval by the log method:
 * ln(RRI) ± 1.96 × SE, where SE² = var₁ / (n₁ × mean₁²) + var₂ / (n₂ × mean₂²) (the delta method). For 0-or-1
 * values this is SE² = 1/a − 1/n₁ + 1/c − 1/n₂, the textbook interval of a risk ratio. Null where a rate is
 * zero or a side has nobody: there is no ratio to take the logarithm of.
 */
export function relativeRateIndex(group: Summary, comparator: Summary, z = Z_95): RelativeRate | null {
  if (group.people === 0 || comparator.people === 0 || group.mean <= 0 || comparator.mean <= 0) return null
  const index = group.mean / comparator.mean
  const standardError = Math.sqrt(
    group.variance / (group.people * group.mean ** 2) +
      comparator.variance / (comparator.people * comparator.mean ** 2),
  )
  const lower = Math.exp(Math.log(index) - z * standardError)
  const upper = Math.exp(Math.log(index) + z * standardError)
  return { index, lower, upper, excludesOne: lower > 1 || upper < 1 }
}

/**
 * How a measure counts: `proportion` is the share of people with something (a care plan opened, a concern
 * raised, a change request), whose count is the people it happened to; `mean` is an amount per person
 * (sessions a week, hours out of cell, days waiting, feedback score), whose count is the people measured.
 */
export type MeasureKind = 'proportion' | 'mean'

export type EqualityRow = {
  group: string
  people: Protected
  count: Protected
  /** The group's rate (a share, or a mean per person); null where withheld to protect small numbers. */
  rate: number | null
  comparatorRate: number | null
  relativeRate: RelativeRate | null
  /** The interval excludes 1: the group's rate differs from everyone else's by more than chance would explain. */
  flagged: boolean
}

type Counts = Pick<Summary, 'people' | 'events'>

function countOf(kind: MeasureKind, summary: Counts): number {
  return kind === 'proportion' ? summary.events : summary.people
}

/** A share of a group that those it did not happen to, fewer than 5, would give away. */
function nearlyAll(kind: MeasureKind, summary: Counts): boolean {
  return kind === 'proportion' && summary.people - summary.events < SMALL_NUMBER
}

function isSmall(kind: MeasureKind, summary: Counts): boolean {
  return summary.people < SMALL_NUMBER || countOf(kind, summary) < SMALL_NUMBER || nearlyAll(kind, summary)
}

function countShown(kind: MeasureKind, summary: Summary): Protected {
  const count = countOf(kind, summary)
  return count >= SMALL_NUMBER && nearlyAll(kind, summary) ? { allButFewerThanFive: true } : protectedCount(count)
}

/**
 * The groups whose figures are withheld: every small group, and where groups make up a larger one whose figures
 * are shown too (each ethnicity within its ethnic group), enough of the others in it, fewest people first, that
 * the larger group's figures less those shown never give away a small group's. Together the groups withheld
 * within one larger group are never small.
 */
export function withheldGroups(
  kind: MeasureKind,
  groups: ReadonlyMap<string, Counts>,
  partOf?: (group: string) => string | null,
): Set<string> {
  const withheld = new Set([...groups].filter(([, counts]) => isSmall(kind, counts)).map(([group]) => group))
  if (!partOf) return withheld
  const counts = (group: string) => groups.get(group)!
  for (const [larger, members] of Map.groupBy(groups.keys(), partOf)) {
    if (larger === null) continue
    const shown = members
      .filter((group) => !withheld.has(group))
      .sort((a, b) => counts(a).people - counts(b).people || a.localeCompare(b))
    const together = { people: 0, events: 0 }
    for (const group of members.filter((member) => withheld.has(member))) {
      together.people += counts(group).people
      together.events += counts(group).events
    }
    while (together.people > 0 && isSmall(kind, together) && shown.length > 0) {
      const next = shown.shift()!
      withheld.add(next)
      together.people += counts(next).people
      together.events += counts(next).events
    }
  }
  return withheld
}

/**
 * M3: one row per group of a characteristic, each against everyone else measured in the groups shown. A person
 * with no recorded value for the characteristic is in no group and no comparator; a person with no value for
 * the measure (no feedback given) is left out of both. Rates and the index are withheld wherever a count behind
 * them, the group's or the comparator's, is under 5. A withheld group is in no comparator, since a comparator
 * less the groups shown beside it would give its figures away; `partOf` names the larger group each is in,
 * where that is shown too (`withheldGroups`).
 */
export function compareGroups(
  kind: MeasureKind,
  people: readonly { group: string | null; value: number | null }[],
  groupOrder: readonly string[] = [],
  partOf?: (group: string) => string | null,
): EqualityRow[] {
  const measured = people.filter(
    (person): person is { group: string; value: number } => person.group !== null && person.value !== null,
  )
  // Each group's own list, in the order people come, so its sums are the ones `summarise` of that list adds.
  const eachGroup = new Map(
    [...Map.groupBy(measured, (person) => person.group)].map(([group, members]) => [
      group,
      summarise(members.map((member) => member.value)),
    ]),
  )
  const groups = [...eachGroup.keys()].sort((a, b) => {
    const ia = groupOrder.indexOf(a)
    const ib = groupOrder.indexOf(b)
    return (ia === -1 ? groupOrder.length : ia) - (ib === -1 ? groupOrder.length : ib) || a.localeCompare(b)
  })
  const withheld = withheldGroups(kind, eachGroup, partOf)
  return groups.map((group) => {
    const inGroup = eachGroup.get(group)!
    const comparator = summariseOthers(measured, group, withheld)
    const groupShown = !withheld.has(group)
    const comparatorShown = !isSmall(kind, comparator)
    const relativeRate = groupShown && comparatorShown ? relativeRateIndex(inGroup, comparator) : null
    // Withheld beside a small group: its numbers, less the larger group's, would be the small group's.
    const besideSmall = !groupShown && !isSmall(kind, inGroup)
    return {
      group,
      people: besideSmall ? { withheld: true } : protectedCount(inGroup.people),
      count: besideSmall ? { withheld: true } : countShown(kind, inGroup),
      rate: groupShown ? inGroup.mean : null,
      comparatorRate: comparatorShown ? comparator.mean : null,
      relativeRate,
      flagged: relativeRate?.excludesOne ?? false,
    }
  })
}

/**
 * M3, time waiting for an activity: the whole days from when a person's wants were recorded (their latest needs
 * assessment) to today, counted from their reception instead where that is later (an assessment made at
 * another prison, or before a return to custody), or where they have no assessment dated. Never below 0.
 */
export function daysWaiting(assessedOn: string | null, receptionOn: string, today: string): number {
  const since = assessedOn !== null && assessedOn > receptionOn ? assessedOn : receptionOn
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000)
  return Math.max(0, days)
}

/** ONS's five broad ethnic groups, from the first letter of the 2011 census code (W1 … O9). */
export const ethnicGroups = ['W', 'M', 'A', 'B', 'O'] as const

export function ethnicGroupOf(code: string | null): string | null {
  if (!code || code === 'NS') return null
  const group = code.charAt(0)
  return (ethnicGroups as readonly string[]).includes(group) ? group : null
}

/** A characteristic's recorded value as a group, or null where not recorded or the person preferred not to say. */
export function recordedValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const trimmed = value.trim()
  if (trimmed === '' || ['NS', 'not-stated', 'prefer-not-to-say', 'unknown'].includes(trimmed)) return null
  return trimmed
}

/**
 * One line per group for the export; a count under 5 is written "fewer than 5", one that leaves fewer than 5 of the
 * group out "all but fewer than 5", and the rates behind either left blank.
 */
export function equalityCsvRows(
  rows: readonly (EqualityRow & { characteristic: string; measure: string })[],
): string[][] {
  const count = (value: Protected) =>
    protectedText(value, {
      fewerThanFive: 'fewer than 5',
      allButFewerThanFive: 'all but fewer than 5',
      withheld: 'withheld',
    })
  const number = (value: number | null | undefined) => (value === null || value === undefined ? '' : value.toFixed(3))
  return [
    [
      'characteristic',
      'group',
      'measure',
      'people',
      'count',
      'rate',
      'comparator rate',
      'relative rate index',
      'lower 95%',
      'upper 95%',
      'interval excludes 1',
    ],
    ...rows.map((row) => [
      row.characteristic,
      row.group,
      row.measure,
      count(row.people),
      count(row.count),
      number(row.rate),
      number(row.comparatorRate),
      number(row.relativeRate?.index),
      number(row.relativeRate?.lower),
      number(row.relativeRate?.upper),
      row.relativeRate ? (row.flagged ? 'yes' : 'no') : '',
    ]),
  ]
}
