import type { IsoDate } from '../../db/schema.ts'
import type { FieldRefusal } from '../../platform/forms.ts'

/**
 * M4: the unit costs a prison works with. Each has a default and the source it came from. We found no
 * published figure we could cite for any of these at a prison's level, so every default says "Demo figure"
 * with how it was reckoned: a governor replaces them with the prison's own and names where they came from.
 */
export const unitCostItems = [
  'staff-hour',
  'course-mental-health-first-aid',
  'course-trauma-informed',
  'course-acct-assessor',
  'course-acct-case-manager',
  'course-health-and-social-care',
  'peer-supporter',
  'key-work-session',
  'group-session',
  'care-plan-day-unset',
  'care-plan-day-low',
  'care-plan-day-raised',
  'care-plan-day-high',
  'self-harm-incident',
  'hospital-escort',
  'death-in-custody',
  'inquest',
] as const
export type UnitCostItem = (typeof unitCostItems)[number]

export type UnitCost = { item: UnitCostItem; pence: number; source: string; isDefault: boolean }

const demo = (how: string) => `Demo figure (${how}): replace with your prison’s own`

export const defaultUnitCosts: Record<UnitCostItem, { pence: number; source: string }> = {
  'staff-hour': { pence: 30_00, source: demo('a band 3 officer’s pay with employer’s costs, per hour worked') },
  'course-mental-health-first-aid': { pence: 300_00, source: demo('near a two-day open course’s fee') },
  'course-trauma-informed': { pence: 150_00, source: demo('a one-day course’s fee') },
  'course-acct-assessor': { pence: 250_00, source: demo('a trainer’s day shared by a small group') },
  'course-acct-case-manager': { pence: 250_00, source: demo('a trainer’s day shared by a small group') },
  'course-health-and-social-care': { pence: 1_800_00, source: demo('a level 3 diploma’s fees') },
  'peer-supporter': { pence: 500_00, source: demo('training, supervision and meetings of one supporter a year') },
  'key-work-session': { pence: 25_00, source: demo('45 minutes of an officer’s time with writing it up') },
  'group-session': { pence: 150_00, source: demo('an instructor’s half day with materials') },
  'care-plan-day-unset': { pence: 120_00, source: demo('staff time for observations before the first review') },
  'care-plan-day-low': { pence: 60_00, source: demo('staff time for observations and conversations') },
  'care-plan-day-raised': { pence: 120_00, source: demo('staff time for observations and conversations') },
  'care-plan-day-high': { pence: 300_00, source: demo('staff time for observations and conversations') },
  'self-harm-incident': { pence: 800_00, source: demo('staff response, treatment in prison and recording') },
  'hospital-escort': { pence: 1_000_00, source: demo('two officers for eight hours with transport') },
  'death-in-custody': { pence: 50_000_00, source: demo('investigation, staff care and family liaison') },
  inquest: { pence: 100_000_00, source: demo('the prison’s part in an inquest: staff time and legal costs') },
}

/** The most a unit cost may be, so a slip of the keyboard (an extra nought or three) is refused, not costed. */
export function maximumPence(item: UnitCostItem): number {
  if (item === 'staff-hour') return 1_000_00
  if (item === 'death-in-custody' || item === 'inquest') return 10_000_000_00
  if (item === 'self-harm-incident' || item === 'hospital-escort') return 1_000_000_00
  return 100_000_00
}

export function isUnitCostItem(value: string): value is UnitCostItem {
  return (unitCostItems as readonly string[]).includes(value)
}

/** The prison's own costs where it set them, the defaults elsewhere. */
export function unitCostsOf(
  saved: ReadonlyMap<string, { pence: number; source: string }>,
): Record<UnitCostItem, UnitCost> {
  return Object.fromEntries(
    unitCostItems.map((item) => {
      const own = saved.get(item)
      return [item, own ? { item, ...own, isDefault: false } : { item, ...defaultUnitCosts[item], isDefault: true }]
    }),
  ) as Record<UnitCostItem, UnitCost>
}

/**
 * Pounds and pence as typed ("1,234.50", "£30", "30.5") as whole pence; null for anything else, including a
 * minus sign and a third decimal place.
 */
export function penceOf(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/^£\s*/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null
  const [pounds, pence = ''] = cleaned.split('.') as [string, string?]
  const whole = Number(pounds) * 100 + Number(pence.padEnd(2, '0'))
  return Number.isSafeInteger(whole) ? whole : null
}

/** M4: a unit cost is refused when it is not money, is above the item's maximum, or says nothing of its source. */
export function unitCostRefusals(item: UnitCostItem, amount: string, source: string): FieldRefusal[] {
  const refusals: FieldRefusal[] = []
  const pence = penceOf(amount)
  if (pence === null) refusals.push({ field: 'amount', messageKey: 'costing.unitCost.error.amount' })
  else if (pence > maximumPence(item))
    refusals.push({
      field: 'amount',
      messageKey: 'costing.unitCost.error.tooHigh',
      values: { maximum: poundsText(maximumPence(item)) },
    })
  if (source.trim().length === 0) refusals.push({ field: 'source', messageKey: 'costing.unitCost.error.source' })
  else if (source.trim().length > 300)
    refusals.push({ field: 'source', messageKey: 'costing.unitCost.error.sourceLength' })
  return refusals
}

/** Whole pence as pounds for a message: 123456 as "1,234.56". */
export function poundsText(pence: number): string {
  return (pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

// ---------------------------------------------------------------------------------------------------
// Assumptions

/**
 * The numbers the page works with that no record holds. `null` as a default means "from the records" (the
 * staff list, the key work figures) for a count, and "no change assumed" for an expected change.
 */
export const assumptionNames = [
  'staff-counted',
  'key-work-sessions-due',
  'hours-mental-health-first-aid',
  'hours-trauma-informed',
  'hours-acct',
  'acct-case-managers-percent',
  'hours-health-and-social-care',
  'group-session-hours',
  'people-per-group',
  'incidents-fall-percent',
  'care-plan-days-fall-percent',
] as const
export type AssumptionName = (typeof assumptionNames)[number]

/** An expected change: shown as a saving only when the governor enters it with its source. */
export const effectNames = ['incidents-fall-percent', 'care-plan-days-fall-percent'] as const
export type EffectName = (typeof effectNames)[number]
export function isEffect(name: AssumptionName): name is EffectName {
  return (effectNames as readonly string[]).includes(name)
}

export const assumptionDefaults: Record<
  AssumptionName,
  { value: number | null; minimum: number; maximum: number; whole: boolean }
> = {
  'staff-counted': { value: null, minimum: 0, maximum: 10_000, whole: true },
  'key-work-sessions-due': { value: null, minimum: 0, maximum: 1_000_000, whole: true },
  'hours-mental-health-first-aid': { value: 14, minimum: 0, maximum: 500, whole: false },
  'hours-trauma-informed': { value: 7, minimum: 0, maximum: 500, whole: false },
  'hours-acct': { value: 7, minimum: 0, maximum: 500, whole: false },
  'acct-case-managers-percent': { value: 20, minimum: 0, maximum: 100, whole: false },
  'hours-health-and-social-care': { value: 40, minimum: 0, maximum: 2_000, whole: false },
  // A group of nobody, or of no time, would make more time out of cell cost nothing.
  'group-session-hours': { value: 2.5, minimum: 0.5, maximum: 12, whole: false },
  'people-per-group': { value: 10, minimum: 1, maximum: 100, whole: true },
  'incidents-fall-percent': { value: null, minimum: 0, maximum: 100, whole: false },
  'care-plan-days-fall-percent': { value: null, minimum: 0, maximum: 100, whole: false },
}

export type Assumption = { name: AssumptionName; value: number | null; source: string; isDefault: boolean }
export type Assumptions = Record<AssumptionName, Assumption>

export function assumptionsOf(saved: ReadonlyMap<string, { value: number | null; source: string }>): Assumptions {
  return Object.fromEntries(
    assumptionNames.map((name) => {
      const own = saved.get(name)
      return [
        name,
        own
          ? { name, value: own.value, source: own.source, isDefault: false }
          : { name, value: assumptionDefaults[name].value, source: '', isDefault: true },
      ]
    }),
  ) as Assumptions
}

/**
 * M4: the assumptions form, read field by field: a number in range (blank is allowed where blank means "from
 * the records" or "no change"), and an expected change only with the source it comes from.
 */
export function readAssumptions(form: Record<string, unknown>): {
  values: Record<AssumptionName, { value: number | null; source: string }>
  refusals: FieldRefusal[]
} {
  const refusals: FieldRefusal[] = []
  const values = {} as Record<AssumptionName, { value: number | null; source: string }>
  for (const name of assumptionNames) {
    const rule = assumptionDefaults[name]
    const sent = form[name]
    // A list or an object in place of a number is no number: refused, not read as an empty box.
    const typed = typeof sent === 'string' ? sent.trim().replace(/,/g, '') : sent === undefined ? '' : '?'
    const source = typeof form[`${name}-source`] === 'string' ? (form[`${name}-source`] as string).trim() : ''
    let value: number | null = null
    if (typed === '') {
      if (rule.value !== null) refusals.push({ field: name, messageKey: 'costing.assumptions.error.required' })
    } else if (
      !/^\d+(\.\d+)?$/.test(typed) ||
      Number(typed) < rule.minimum ||
      Number(typed) > rule.maximum ||
      (rule.whole && !/^\d+$/.test(typed))
    ) {
      refusals.push({
        field: name,
        messageKey: rule.whole ? 'costing.assumptions.error.whole' : 'costing.assumptions.error.range',
        values: { minimum: rule.minimum, maximum: rule.maximum.toLocaleString('en-GB') },
      })
    } else value = Number(typed)
    if (isEffect(name)) {
      if (value !== null && value > 0 && source === '')
        refusals.push({ field: `${name}-source`, messageKey: 'costing.assumptions.error.effectSource' })
      if (source.length > 300)
        refusals.push({ field: `${name}-source`, messageKey: 'costing.assumptions.error.sourceLength' })
    }
    values[name] = { value, source: isEffect(name) ? source : '' }
  }
  return { values, refusals }
}

// ---------------------------------------------------------------------------------------------------
// Today's situation, a year

export type Period = { from: IsoDate; to: IsoDate }
export type CarePlanLevel = 'unset' | 'low' | 'raised' | 'high'
export const carePlanLevels: readonly CarePlanLevel[] = ['unset', 'low', 'raised', 'high']

export type TodayCounts = {
  period: Period
  incidents: number
  hospitalEscorts: number
  deaths: number
  carePlanDays: Record<CarePlanLevel, number>
}

export type TodayLine = { code: UnitCostItem; count: number; unitPence: number; yearlyPence: number }

/** Count times unit cost, in whole pence (a fraction of a care plan day is costed as a fraction). */
export function lineCost(count: number, unitPence: number): number {
  return Math.round(count * unitPence)
}

/** M4: what today's situation costs over the rolling year: each count, at its unit cost. */
export function todayLines(counts: TodayCounts, costs: Record<UnitCostItem, UnitCost>): TodayLine[] {
  const line = (code: UnitCostItem, count: number): TodayLine => ({
    code,
    count,
    unitPence: costs[code].pence,
    yearlyPence: lineCost(count, costs[code].pence),
  })
  return [
    line('self-harm-incident', counts.incidents),
    line('hospital-escort', counts.hospitalEscorts),
    ...carePlanLevels.map((level) => line(`care-plan-day-${level}`, counts.carePlanDays[level])),
    line('death-in-custody', counts.deaths),
    line('inquest', counts.deaths),
  ]
}

export function totalPence(lines: readonly { yearlyPence: number }[]): number {
  return lines.reduce((sum, line) => sum + line.yearlyPence, 0)
}

// ---------------------------------------------------------------------------------------------------
// The package of what works, a year

export const packageCodes = [
  'peer-supporters',
  'training-mental-health-first-aid',
  'training-trauma-informed',
  'training-acct',
  'health-and-social-care',
  'key-work',
  'time-out-of-cell',
] as const
export type PackageCode = (typeof packageCodes)[number]

/** A measure of what works as the measures dashboard shows it: its latest figure and the prison's target. */
export type MeasureFigure = { code: string; value: number | null; target: number | null }

export type PackageBasis = {
  /** People on the roll: peer supporters are per 100 of them, and time out of cell is each one's. */
  population: number
  /** Staff counted for the training shares. */
  staff: number
  /** Key work sessions due over a year. */
  keyWorkSessionsDue: number
}

export type PackageLine = {
  code: PackageCode
  now: number | null
  target: number | null
  state: 'no-target' | 'no-figure' | 'met' | 'gap'
  /** People to train or recruit, or sessions to hold, a year. */
  gap: number
  gapUnit: 'people' | 'sessions'
  unitPence: number
  yearlyPence: number
}

/** How many whole people or sessions make up a share of a base: a part of one counts as one. */
export function wholeGap(now: number, target: number, base: number, per: number): number {
  if (target <= now) return 0
  // Rounded first so 1e-12 of floating point never asks for one more person.
  return Math.ceil(Math.round(((target - now) * base * 1e6) / per) / 1e6)
}

/**
 * M4: the yearly cost of raising each measure of what works to the prison's target. A line with no target
 * costs nothing and says so; so does one already at its target. Training is the course and the staff hours
 * away from the wing; peer supporters and key work their unit cost; time out of cell the group sessions
 * needed to give everyone the hours missing, at the assumed length and size of a group.
 */
export function packageLines(
  figures: readonly MeasureFigure[],
  costs: Record<UnitCostItem, UnitCost>,
  assumptions: Assumptions,
  basis: PackageBasis,
): PackageLine[] {
  const hour = costs['staff-hour'].pence
  const hours = (name: AssumptionName) => assumptions[name].value ?? 0
  const acctShare = (assumptions['acct-case-managers-percent'].value ?? 0) / 100
  const perPerson: Record<PackageCode, number> = {
    'peer-supporters': costs['peer-supporter'].pence,
    'training-mental-health-first-aid':
      costs['course-mental-health-first-aid'].pence + hours('hours-mental-health-first-aid') * hour,
    'training-trauma-informed': costs['course-trauma-informed'].pence + hours('hours-trauma-informed') * hour,
    'training-acct':
      costs['course-acct-assessor'].pence +
      acctShare * costs['course-acct-case-manager'].pence +
      hours('hours-acct') * hour,
    'health-and-social-care':
      costs['course-health-and-social-care'].pence + hours('hours-health-and-social-care') * hour,
    'key-work': costs['key-work-session'].pence,
    'time-out-of-cell': costs['group-session'].pence,
  }
  const groupHours = assumptions['group-session-hours'].value ?? 0
  const groupSize = assumptions['people-per-group'].value ?? 0
  const gapOf = (code: PackageCode, now: number, target: number): number => {
    if (code === 'peer-supporters') return wholeGap(now, target, basis.population, 100)
    if (code === 'key-work') return wholeGap(now, target, basis.keyWorkSessionsDue, 100)
    // Hours a week for each person, over 52 weeks, in group sessions of the assumed length and size.
    if (code === 'time-out-of-cell')
      return groupHours > 0 && groupSize > 0 ? wholeGap(now, target, basis.population * 52, groupHours * groupSize) : 0
    return wholeGap(now, target, basis.staff, 100)
  }
  return packageCodes.map((code) => {
    const figure = figures.find((entry) => entry.code === code)
    const now = figure?.value ?? null
    const target = figure?.target ?? null
    const unitPence = Math.round(perPerson[code])
    const gapUnit = code === 'key-work' || code === 'time-out-of-cell' ? 'sessions' : 'people'
    if (target === null) return { code, now, target, state: 'no-target', gap: 0, gapUnit, unitPence, yearlyPence: 0 }
    if (now === null) return { code, now, target, state: 'no-figure', gap: 0, gapUnit, unitPence, yearlyPence: 0 }
    const gap = gapOf(code, now, target)
    return {
      code,
      now,
      target,
      state: gap === 0 ? 'met' : 'gap',
      gap,
      gapUnit,
      unitPence,
      yearlyPence: lineCost(gap, unitPence),
    }
  })
}

// ---------------------------------------------------------------------------------------------------
// What the governor says the package would change

export type StatedSaving = { name: EffectName; percent: number; source: string; ofPence: number; savingPence: number }

/**
 * M4: the only savings the page shows: those the governor entered, with their source, and only on the lines
 * they speak of (incidents falling saves on incidents, not on escorts or deaths). Nothing entered: none.
 */
export function statedSavings(today: readonly TodayLine[], assumptions: Assumptions): StatedSaving[] {
  const of: Record<EffectName, number> = {
    'incidents-fall-percent': totalPence(today.filter((line) => line.code === 'self-harm-incident')),
    'care-plan-days-fall-percent': totalPence(today.filter((line) => line.code.startsWith('care-plan-day-'))),
  }
  return effectNames.flatMap((name) => {
    const { value, source } = assumptions[name]
    if (value === null || value <= 0 || source.trim() === '') return []
    return [{ name, percent: value, source, ofPence: of[name], savingPence: Math.round((of[name] * value) / 100) }]
  })
}
