import { checkTimetable } from '../../../allocator/index.ts'
import type { Problem, Score, Timetable, Violation, ViolationKind } from '../../../allocator/index.ts'
import type { Plural, Translate } from '../../../platform/i18n.ts'
import { characteristicValueText } from '../../people/characteristic-names.ts'

/**
 * R5: the checker's verdict on a timetable as a run keeps it, and its broken rules worded in the reader's
 * language. Pure: no database, HTTP or templates.
 */
/**
 * A broken rule as a run keeps it: the checker's kind and values (ids and counts), from which a page words it
 * in the reader's language. A run kept before violations had kinds (December 2026) has the checker's English
 * alone, and shows it.
 */
export type KeptViolation =
  | (Violation extends infer V ? (V extends Violation ? Omit<V, 'person' | 'group'> : never) : never)
  | { rule: number; message: string; kind?: undefined; values?: undefined }

/** The checker's verdict on one timetable, as a run keeps it: scores, equality figures and broken rules. */
export type Verdict = {
  valid: boolean
  /** The first broken rules. */
  violations: KeptViolation[]
  violationCount: number
  score: Score
  meanSessionsByCohort: Record<string, number>
  meanSessionsByTrait: Record<string, Record<string, number>>
  shareWithNoSession: number
  meanSessions: number
  assignments: number
}

export function verdictOf(problem: Problem, timetable: Timetable): Verdict {
  const result = checkTimetable(problem, timetable)
  const sessionsOf = new Map(
    problem.activities.flatMap((activity) => activity.groups.map((group) => [group.id, group.slots.length] as const)),
  )
  const sessions = timetable.assignments.reduce((sum, { group }) => sum + (sessionsOf.get(group) ?? 0), 0)
  return {
    valid: result.valid,
    violations: result.violations.slice(0, 20).map(keptViolation),
    violationCount: result.violations.length,
    score: result.score,
    meanSessionsByCohort: result.meanSessionsByCohort,
    meanSessionsByTrait: result.meanSessionsByTrait,
    shareWithNoSession: result.shareWithNoSession,
    meanSessions: problem.people.length === 0 ? 0 : sessions / problem.people.length,
    assignments: timetable.assignments.length,
  }
}

/** The person and group at fault are in its values already: a run keeps them once. */
function keptViolation({ rule, kind, values, message }: Violation): KeptViolation {
  return { rule, kind, values, message } as KeptViolation
}

/** The values of each kind that name a group, and an activity, by the allocator's ids. */
const groupValues: Record<ViolationKind, readonly string[]> = {
  notWanted: ['group'],
  sameActivity: ['group', 'other'],
  clash: ['group', 'other'],
  unavailable: ['group'],
  tooManySessions: [],
  overCapacity: ['group'],
  belowMinimum: ['group'],
  cohortNotAdmitted: ['group'],
  cohortsSeparated: ['group'],
  peopleSeparated: ['group'],
}

/**
 * A violation with its groups and activity named as the prison knows them ('Barbering/a' for 'WRK-BARBER/a'),
 * for a page; prison numbers stay as they are, as in a refusal.
 */
export function violationNamed(
  violation: KeptViolation,
  names: { group: (groupId: string) => string; activity: (activityCode: string) => string },
): KeptViolation {
  if (!violation.kind) return violation
  const values: Record<string, string | number> = { ...violation.values }
  for (const key of groupValues[violation.kind]) values[key] = names.group(String(values[key]))
  if (typeof values.activity === 'string') values.activity = names.activity(values.activity)
  return { ...violation, values } as KeptViolation
}

/** 'MON_AM' as 'Monday morning', in the reader's language. */
export function slotText(t: Translate, slot: string): string {
  const [day, part] = slot.split('_') as [string, string]
  return t('allocation.slot', { day: t(`allocation.day.${day}`), part: t(`allocation.part.${part}`) })
}

/** The value each counted kind's message turns on, for the language's plural forms ('1 person', '3 people'). */
const countOf: Partial<Record<ViolationKind, string>> = {
  tooManySessions: 'sessions',
  overCapacity: 'size',
  belowMinimum: 'size',
}

/**
 * A broken rule in the reader's language, from its kind and values (`allocation.violation.<kind>`): a slot
 * named as the reader knows it ('Monday morning') and a cohort as the person's record names it ('vulnerable
 * prisoners'), never by their codes. A violation kept with the checker's English alone shows that English.
 */
export function violationText(t: Translate, plural: Plural, violation: KeptViolation): string {
  if (!violation.kind) return violation.message
  const values: Record<string, string | number> = { ...violation.values }
  if (typeof values.slot === 'string') values.slot = slotText(t, values.slot)
  if (violation.kind === 'cohortNotAdmitted' || violation.kind === 'cohortsSeparated')
    for (const key of ['cohort', 'other'])
      if (typeof values[key] === 'string') values[key] = characteristicValueText(t, 'cohort', values[key]).toLowerCase()
  const key = `allocation.violation.${violation.kind}`
  const counted = countOf[violation.kind]
  return counted ? plural(key, Number(values[counted]), values) : t(key, values)
}
