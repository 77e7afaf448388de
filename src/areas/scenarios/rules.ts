import { activityCategories } from '../../db/schema.ts'
import type { Problem, Timetable } from '../../allocator/index.ts'
import { chartColours } from '../../platform/chart-colours.ts'
import { niceCeiling, wrapText } from '../../platform/charts.ts'
import { notRecorded } from '../people/characteristic-names.ts'
import type { Refusal } from '../../platform/forms.ts'

/** The activity categories of the offer, in the order the pages list them. */
export const categories = activityCategories
export type Category = (typeof categories)[number]

export const weekSlots: readonly string[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].flatMap((day) =>
  ['AM', 'PM', 'ED'].map((part) => `${day}_${part}`),
)

export type NewGroup = { activityCode: string; code: string; slots: string[]; capacity: number; minSize: number }

/**
 * R6: what a scenario changes in the prison's set-up. Everything else is the set-up as it stands when the
 * scenario is run, so a scenario saved in spring still asks its question of the prison as it is.
 */
export type ScenarioChanges = {
  /** Per category, the change in every group's capacity, in per cent (-25 is a quarter smaller). */
  capacityPercent: Partial<Record<Category, number>>
  /** Per category, a new minimum size for every group (from a new local risk assessment). */
  minSize: Partial<Record<Category, number>>
  /** Allocator group ids that cannot run (no staff to run them). */
  closedGroups: string[]
  /** Slots added to the usable day: evenings, weekends. */
  extraSlots: string[]
  /** Groups added for the scenario, usually in the new slots. */
  extraGroups: NewGroup[]
}

export function noChanges(): ScenarioChanges {
  return { capacityPercent: {}, minSize: {}, closedGroups: [], extraSlots: [], extraGroups: [] }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

/** Reads changes saved as JSON, keeping only what is well formed: a scenario never fails to open. */
export function readChanges(json: unknown): ScenarioChanges {
  const changes = noChanges()
  if (!isRecord(json)) return changes
  for (const key of ['capacityPercent', 'minSize'] as const) {
    const values = json[key]
    if (!isRecord(values)) continue
    for (const category of categories) {
      const value = values[category]
      if (typeof value === 'number' && Number.isInteger(value)) changes[key][category] = value
    }
  }
  changes.closedGroups = strings(json.closedGroups)
  changes.extraSlots = strings(json.extraSlots).filter((slot) => weekSlots.includes(slot))
  changes.extraGroups = (Array.isArray(json.extraGroups) ? json.extraGroups : []).flatMap((group) =>
    isRecord(group) &&
    typeof group.activityCode === 'string' &&
    typeof group.code === 'string' &&
    typeof group.capacity === 'number' &&
    typeof group.minSize === 'number'
      ? [
          {
            activityCode: group.activityCode,
            code: group.code,
            slots: strings(group.slots).filter((slot) => weekSlots.includes(slot)),
            capacity: group.capacity,
            minSize: group.minSize,
          },
        ]
      : [],
  )
  return changes
}

export type { Refusal }

/** Per-cent changes between -90 (a tenth of the places) and +200 (three times as many); sizes up to 200. */
export function changesProblems(changes: ScenarioChanges): Refusal[] {
  const problems: Refusal[] = []
  for (const category of categories) {
    const percent = changes.capacityPercent[category]
    if (percent !== undefined && (percent < -90 || percent > 200))
      problems.push({
        field: `capacity-${category}`,
        messageKey: 'scenarios.error.capacityPercent',
        values: { category },
      })
    const minSize = changes.minSize[category]
    if (minSize !== undefined && (minSize < 0 || minSize > 200))
      problems.push({ field: `minSize-${category}`, messageKey: 'scenarios.error.minSize', values: { category } })
  }
  return problems
}

/** A group added to a scenario: at least one slot of the (scenario's) usable day, sizes that make sense. */
export function newGroupProblems(
  group: NewGroup,
  known: { activityCodes: ReadonlySet<string>; groupIds: ReadonlySet<string>; usableSlots: ReadonlySet<string> },
): Refusal[] {
  const problems: Refusal[] = []
  if (!known.activityCodes.has(group.activityCode))
    problems.push({ field: 'activityCode', messageKey: 'scenarios.group.error.activity', values: {} })
  if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(group.code))
    problems.push({ field: 'code', messageKey: 'scenarios.group.error.code', values: {} })
  else if (known.groupIds.has(`${group.activityCode}/${group.code}`))
    problems.push({ field: 'code', messageKey: 'scenarios.group.error.codeTaken', values: { code: group.code } })
  if (group.slots.length === 0) problems.push({ field: 'slots', messageKey: 'scenarios.group.error.slots', values: {} })
  else if (group.slots.some((slot) => !known.usableSlots.has(slot)))
    problems.push({ field: 'slots', messageKey: 'scenarios.group.error.unusableSlot', values: {} })
  if (!Number.isInteger(group.capacity) || group.capacity < 1 || group.capacity > 200)
    problems.push({ field: 'capacity', messageKey: 'scenarios.group.error.capacity', values: {} })
  else if (!Number.isInteger(group.minSize) || group.minSize < 0 || group.minSize > group.capacity)
    problems.push({ field: 'minSize', messageKey: 'scenarios.group.error.minSize', values: {} })
  return problems
}

/**
 * R6: the group sizes and closures of a scenario, applied to a problem built from the prison's records
 * (with the scenario's new slots and groups already in it). A capacity never falls below one place, and a
 * minimum size never rises above the capacity. Groups the scenario adds keep the sizes given them.
 */
export function applyGroupChanges(problem: Problem, changes: ScenarioChanges): Problem {
  const closed = new Set(changes.closedGroups)
  // A group the scenario adds has the sizes its manager gave it; the category's changes are for existing ones.
  const added = new Set(changes.extraGroups.map((group) => `${group.activityCode}/${group.code}`))
  return {
    ...problem,
    activities: problem.activities.map((activity) => {
      const category = activity.category as Category
      const percent = changes.capacityPercent[category] ?? 0
      const minSize = changes.minSize[category]
      return {
        ...activity,
        groups: activity.groups
          .filter((group) => !closed.has(group.id))
          .map((group) => {
            if (added.has(group.id)) return group
            const capacity = Math.max(1, Math.round((group.capacity * (100 + percent)) / 100))
            return { ...group, capacity, minSize: Math.min(minSize ?? group.minSize, capacity) }
          }),
      }
    }),
  }
}

/** Today's timetable: everyone's current groups that are still in the problem. */
export function currentTimetableOf(problem: Problem): Timetable {
  return {
    version: 1,
    assignments: problem.people.flatMap((person) => person.current.map((group) => ({ person: person.id, group }))),
  }
}

export type Spread = { mean: number; sd: number; p10: number; median: number; p90: number }
export type BreakdownRow = {
  value: string
  people: number
  meanHours: number
  needsMet: number | null
  noSession: number
}

export type ScenarioFigures = {
  people: number
  hours: Spread
  meanSessions: number
  /** The share of all wanted weight that was placed; null when nobody wants anything. */
  needsMet: number | null
  noSession: number
  noSessionShare: number
  byCohort: BreakdownRow[]
  /** Trait name (sex, ethnicGroup, ageBand…) to its rows. */
  byTrait: Record<string, BreakdownRow[]>
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.ceil(position)
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below)
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, sd: 0, p10: 0, median: 0, p90: 0 }
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length
  const sorted = [...values].sort((a, b) => a - b)
  return {
    mean,
    sd: Math.sqrt(variance),
    p10: quantile(sorted, 0.1),
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
  }
}

type PersonResult = { cohort: string; traits: Record<string, string>; hours: number; wanted: number; placed: number }

function breakdown(results: readonly PersonResult[], keyOf: (result: PersonResult) => string): BreakdownRow[] {
  const groups = new Map<string, PersonResult[]>()
  for (const result of results) {
    const key = keyOf(result)
    groups.set(key, [...(groups.get(key) ?? []), result])
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, members]) => {
      const wanted = members.reduce((sum, member) => sum + member.wanted, 0)
      return {
        value,
        people: members.length,
        meanHours: members.reduce((sum, member) => sum + member.hours, 0) / members.length,
        needsMet: wanted === 0 ? null : members.reduce((sum, member) => sum + member.placed, 0) / wanted,
        noSession: members.filter((member) => member.hours === 0).length / members.length,
      }
    })
}

/**
 * R6: what a timetable means for people: hours out of cell a week (mean and spread), the share of their
 * wanted weight placed, people with no session, and the same by cohort and by each protected characteristic.
 */
export function scenarioFigures(
  problem: Problem,
  timetable: Timetable,
  hoursOfSlot: (slot: string) => number,
): ScenarioFigures {
  const groups = new Map<string, { activity: string; slots: string[] }>()
  for (const activity of problem.activities)
    for (const group of activity.groups) groups.set(group.id, { activity: activity.id, slots: group.slots })
  const assigned = new Map<string, string[]>()
  for (const { person, group } of timetable.assignments) assigned.set(person, [...(assigned.get(person) ?? []), group])

  let sessions = 0
  const results: PersonResult[] = problem.people.map((person) => {
    let hours = 0
    let placed = 0
    const placedActivities = new Set<string>()
    for (const groupId of assigned.get(person.id) ?? []) {
      const group = groups.get(groupId)
      if (!group) continue
      sessions += group.slots.length
      for (const slot of group.slots) hours += hoursOfSlot(slot)
      if (!placedActivities.has(group.activity)) {
        placedActivities.add(group.activity)
        placed += person.wants[group.activity] ?? 0
      }
    }
    const wanted = Object.values(person.wants).reduce((sum, weight) => sum + weight, 0)
    return { cohort: person.cohort, traits: person.traits, hours, wanted, placed }
  })
  const wanted = results.reduce((sum, result) => sum + result.wanted, 0)
  const noSession = results.filter((result) => result.hours === 0).length
  const traitNames = [...new Set(problem.people.flatMap((person) => Object.keys(person.traits)))].sort()
  return {
    people: results.length,
    hours: spreadOf(results.map((result) => result.hours)),
    meanSessions: results.length === 0 ? 0 : sessions / results.length,
    needsMet: wanted === 0 ? null : results.reduce((sum, result) => sum + result.placed, 0) / wanted,
    noSession,
    noSessionShare: results.length === 0 ? 0 : noSession / results.length,
    byCohort: breakdown(results, (result) => result.cohort),
    byTrait: Object.fromEntries(
      traitNames.map((name) => [name, breakdown(results, (result) => result.traits[name] ?? notRecorded)]),
    ),
  }
}

export type ChartOption = { label: string; figures: ScenarioFigures }

/** A line of wrapped text and the baseline it sits on. */
export type ChartLine = { text: string; y: number }

export type ChartPanel = {
  title: ChartLine[]
  y: number
  height: number
  /** Where the gridlines start and end, and the baseline of their labels. */
  gridTop: number
  gridBottom: number
  axisY: number
  axis: { x: number; label: string }[]
  bars: {
    label: string
    /** The option's name, whole, wrapped over as many lines as it needs above its bar. */
    labelLines: ChartLine[]
    y: number
    width: number
    value: string
    whisker: { x1: number; x2: number } | null
    isToday: boolean
  }[]
}

/**
 * R6: the geometry of the comparison chart, drawn as SVG by the page: one panel per measure, one bar per
 * option (today first), and for hours a line from the 10th to the 90th percentile to show the spread. Each
 * option's name sits whole above its bar, over as many lines as it needs; so does each panel's title. The
 * page puts the same figures in a table beside it.
 */
export function chartLayout(
  options: readonly ChartOption[],
  titles: { hours: string; needsMet: string; noSession: string },
  format: { hours: (value: number) => string; percent: (value: number) => string },
) {
  const width = 460
  // Room for half of the first tick's label, and for the figure printed after the longest bar.
  const plotLeft = 16
  const plotWidth = width - plotLeft - 64
  const barHeight = 22
  const gap = 10
  const titleLine = 20
  const labelLine = 18
  const panels: ChartPanel[] = []
  let y = 0
  const maxHours = Math.max(1, ...options.map((option) => option.figures.hours.p90))
  const hoursScale = niceCeiling(maxHours)
  const measures = [
    {
      title: titles.hours,
      maximum: hoursScale,
      value: (f: ScenarioFigures) => f.hours.mean,
      text: (f: ScenarioFigures) => format.hours(f.hours.mean),
      whisker: (f: ScenarioFigures) => [f.hours.p10, f.hours.p90] as const,
      tick: format.hours,
    },
    {
      title: titles.needsMet,
      maximum: 1,
      value: (f: ScenarioFigures) => f.needsMet ?? 0,
      text: (f: ScenarioFigures) => format.percent(f.needsMet ?? 0),
      whisker: null,
      tick: format.percent,
    },
    {
      title: titles.noSession,
      maximum: 1,
      value: (f: ScenarioFigures) => f.noSessionShare,
      text: (f: ScenarioFigures) => format.percent(f.noSessionShare),
      whisker: null,
      tick: format.percent,
    },
  ]
  const labels = options.map((option) => wrapText(option.label, width, 14))
  for (const measure of measures) {
    const scale = (value: number) => (plotWidth * Math.min(value, measure.maximum)) / measure.maximum
    const title = wrapText(measure.title, width, 15, { bold: true }).map((text, index) => ({
      text,
      y: y + 16 + index * titleLine,
    }))
    const gridTop = y + title.length * titleLine + 4
    let cursor = gridTop + 4
    const bars = options.map((option, index) => {
      const labelLines = labels[index].map((text, line) => ({ text, y: cursor + 14 + line * labelLine }))
      const barY = cursor + labels[index].length * labelLine + 2
      cursor = barY + barHeight + gap
      const whisker = measure.whisker?.(option.figures)
      return {
        label: option.label,
        labelLines,
        y: barY,
        width: Math.max(1, scale(measure.value(option.figures))),
        value: measure.text(option.figures),
        whisker: whisker ? { x1: plotLeft + scale(whisker[0]), x2: plotLeft + scale(whisker[1]) } : null,
        isToday: index === 0,
      }
    })
    const gridBottom = cursor - gap + 4
    const height = gridBottom + 28 - y
    panels.push({
      title,
      y,
      height,
      gridTop,
      gridBottom,
      axisY: gridBottom + 16,
      axis: [0, 0.25, 0.5, 0.75, 1].map((share) => ({
        x: plotLeft + plotWidth * share,
        label: measure.tick(measure.maximum * share),
      })),
      bars,
    })
    y += height
  }
  return { width, height: y, plotLeft, plotWidth, barHeight, panels, colours: chartColours }
}
