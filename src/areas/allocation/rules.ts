import { checkTimetable, DEFAULT_SLOTS, findViolations } from '../../allocator/index.ts'
import type {
  Activity,
  ActivityGroup,
  Person,
  Problem,
  RuleNumber,
  Score,
  SolveStats,
  Timetable,
  Violation,
  ViolationKind,
} from '../../allocator/index.ts'
import type { IsoDate, NonAssociationLevel } from '../../db/schema.ts'
import type { Plural, Translate } from '../../platform/i18n.ts'
import { characteristicValueText, notRecorded } from '../people/characteristic-names.ts'
import { ageBandOf, ageOn } from '../people/rules.ts'

/**
 * R4, R5: the levels of an open non-association that keep two people out of the same activity group.
 * The HMPPS levels are cumulative (a wing non-association keeps people apart in their cell, on their landing
 * and on their wing), and activities draw people from every wing into one room: two people who must not
 * share a wing must not share a classroom or a workshop either, and 'regime' says so outright. Cell and
 * landing levels are about where people live; they may meet in a supervised activity as they do on the wing.
 */
export const separatingLevels: readonly NonAssociationLevel[] = ['wing', 'regime']

export type RegimePolicy = {
  maxSessionsPerPerson: number
  fairnessTargetSessions: number
  fairnessWeight: number
  continuityBonus: number
}

export const defaultRegimePolicy: RegimePolicy = {
  maxSessionsPerPerson: 10,
  fairnessTargetSessions: 10,
  fairnessWeight: 1,
  continuityBonus: 0.5,
}

/** What the database holds about a prison's regime, read by the store and turned into a problem here. */
export type RegimeFacts = {
  policy: RegimePolicy
  /** The usable day: slots the prison runs. */
  slots: readonly string[]
  activities: readonly {
    code: string
    category: string
    groups: readonly {
      code: string
      slots: readonly string[]
      capacity: number
      minSize: number
      cohorts: readonly string[] | null
    }[]
  }[]
  people: readonly {
    prisonNumber: string
    cohort: string
    dateOfBirth: IsoDate
    sex: string | null
    ethnicity: string | null
    religion: string | null
    disability: string | null
  }[]
  /** Prison number, activity code, weight. */
  wants: readonly { prisonNumber: string; activityCode: string; weight: number }[]
  unavailable: readonly { prisonNumber: string; slot: string }[]
  /** Prison number and allocator group id (activity code/group code) of every current allocation. */
  current: readonly { prisonNumber: string; groupId: string }[]
  cohortSeparations: readonly [string, string][]
  /** Open non-associations at a separating level, between two people at the prison. */
  nonAssociations: readonly [string, string][]
}

/**
 * Changes a scenario makes to the prison as it is (R6). The problem is plain JSON, so a caller may change
 * it further; these are the changes the scenario pages offer.
 */
export type ProblemOverrides = {
  /** Allocator group id to a new capacity (a smaller group after a risk assessment, a bigger room). */
  capacities?: Record<string, number>
  /** Slots added to the usable day (evenings, weekends): groups that meet in them then run there. */
  extraSlots?: readonly string[]
  /** Allocator group ids that do not run (no staff to run them). */
  closedGroups?: readonly string[]
  /** Groups added for the scenario, to an activity the prison has. */
  extraGroups?: readonly {
    activityCode: string
    code: string
    slots: readonly string[]
    capacity: number
    minSize?: number
    cohorts?: readonly string[] | null
  }[]
  /** The most sessions a person may have in a week. */
  maxSessionsPerPerson?: number
}

export function groupIdOf(activityCode: string, groupCode: string): string {
  return `${activityCode}/${groupCode}`
}

/**
 * Ethnicity codes (W1, B2, A9…) by their 2011 census group, as equality monitoring reports them.
 * A person who preferred not to say (NS) is 'not-stated', as their other characteristics are, not 'not recorded'.
 */
export function ethnicGroupOf(ethnicity: string | null): string {
  if (ethnicity === 'NS') return 'not-stated'
  if (!ethnicity) return notRecorded
  const groups: Record<string, string> = { W: 'White', B: 'Black', A: 'Asian', M: 'Mixed', O: 'Other' }
  return groups[ethnicity[0]] ?? notRecorded
}

/**
 * R5: the allocator's problem (format 1, ALLOCATION.md) from what the prison has recorded. Groups keep only
 * the slots of the usable day (a group left with none does not run); wants, unavailable slots and current
 * groups outside the problem are left out, so that the problem always passes the allocator's validation.
 * Traits are the protected characteristics the equality report needs; they never enter the objective.
 */
export function buildProblem(facts: RegimeFacts, today: IsoDate, overrides: ProblemOverrides = {}): Problem {
  const usable = new Set([...facts.slots, ...(overrides.extraSlots ?? [])])
  const slots = DEFAULT_SLOTS.filter((slot) => usable.has(slot))
  const closed = new Set(overrides.closedGroups ?? [])
  const activities = facts.activities.map((activity) => {
    const defined = [
      ...activity.groups,
      ...(overrides.extraGroups ?? []).filter((group) => group.activityCode === activity.code),
    ]
    const groups = defined.flatMap((group) => {
      const id = groupIdOf(activity.code, group.code)
      const groupSlots = group.slots.filter((slot) => usable.has(slot))
      if (closed.has(id) || groupSlots.length === 0) return []
      const capacity = overrides.capacities?.[id] ?? group.capacity
      return [
        {
          id,
          slots: DEFAULT_SLOTS.filter((slot) => groupSlots.includes(slot)),
          capacity,
          minSize: Math.min(group.minSize ?? 0, capacity),
          ...(group.cohorts ? { cohorts: [...group.cohorts] } : {}),
        },
      ]
    })
    return { id: activity.code, category: activity.category, groups }
  })
  const activityIds = new Set(activities.map((activity) => activity.id))
  const groupIds = new Set(activities.flatMap((activity) => activity.groups.map((group) => group.id)))

  const wants = new Map<string, Record<string, number>>()
  for (const want of facts.wants)
    if (activityIds.has(want.activityCode) && want.weight > 0) {
      const entry = wants.get(want.prisonNumber) ?? {}
      entry[want.activityCode] = want.weight
      wants.set(want.prisonNumber, entry)
    }
  const unavailable = new Map<string, string[]>()
  for (const { prisonNumber, slot } of facts.unavailable)
    if (usable.has(slot)) unavailable.set(prisonNumber, [...(unavailable.get(prisonNumber) ?? []), slot])
  const current = new Map<string, string[]>()
  for (const { prisonNumber, groupId } of facts.current)
    if (groupIds.has(groupId)) current.set(prisonNumber, [...(current.get(prisonNumber) ?? []), groupId])

  const maxSessions = overrides.maxSessionsPerPerson ?? facts.policy.maxSessionsPerPerson
  const people = facts.people.map((person) => ({
    id: person.prisonNumber,
    cohort: person.cohort,
    maxSessions,
    unavailable: DEFAULT_SLOTS.filter((slot) => unavailable.get(person.prisonNumber)?.includes(slot)),
    wants: wants.get(person.prisonNumber) ?? {},
    current: (current.get(person.prisonNumber) ?? []).sort(),
    traits: {
      ageBand: ageBandOf(ageOn(person.dateOfBirth, today)),
      ethnicGroup: ethnicGroupOf(person.ethnicity),
      religion: person.religion || notRecorded,
      disability: person.disability || notRecorded,
      sex: person.sex || notRecorded,
    },
  }))
  const personIds = new Set(people.map((person) => person.id))

  return {
    version: 1,
    slots,
    fairness: { targetSessions: facts.policy.fairnessTargetSessions, weight: facts.policy.fairnessWeight },
    continuityBonus: facts.policy.continuityBonus,
    people,
    activities,
    separations: {
      cohorts: facts.cohortSeparations.map(([a, b]) => [a, b]),
      people: facts.nonAssociations
        .filter(([a, b]) => a !== b && personIds.has(a) && personIds.has(b))
        .map(([a, b]) => [a, b]),
    },
  }
}

/** Today's timetable: everyone's current groups, as the allocator writes a timetable. */
export function currentTimetable(problem: Problem): Timetable {
  return {
    version: 1,
    assignments: problem.people.flatMap((person) => person.current.map((group) => ({ person: person.id, group }))),
  }
}

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

/**
 * Someone or a group a kept timetable names that the prison's problem no longer has: a person who has left
 * or moved prison, a group that has closed or no longer meets in the usable day. Worded by its message key.
 */
export type Gone =
  | { messageKey: 'allocation.gone.person'; values: { person: string } }
  | { messageKey: 'allocation.gone.group'; values: { group: string } }

/**
 * R5: why a kept timetable can no longer be judged against the prison as it is now, each person and group
 * once: what the allocator's `parseTimetable` refuses in its own English, for a page to word.
 */
export function goneFrom(problem: Problem, kept: Timetable): Gone[] {
  const people = new Set(problem.people.map((person) => person.id))
  const groups = new Set(problem.activities.flatMap((activity) => activity.groups.map((group) => group.id)))
  const gonePeople = new Set<string>()
  const goneGroups = new Set<string>()
  for (const { person, group } of kept.assignments) {
    if (!people.has(person)) gonePeople.add(person)
    if (!groups.has(group)) goneGroups.add(group)
  }
  return [
    ...[...gonePeople].map((person) => ({ messageKey: 'allocation.gone.person' as const, values: { person } })),
    ...[...goneGroups].map((group) => ({ messageKey: 'allocation.gone.group' as const, values: { group } })),
  ]
}

/** A gone group named as the prison knows it, as a violation's are. */
export function goneNamed(gone: Gone, names: { group: (groupId: string) => string }): Gone {
  return gone.messageKey === 'allocation.gone.group'
    ? { ...gone, values: { group: names.group(gone.values.group) } }
    : gone
}

/** What a run keeps besides its problem and timetable: the proposal judged beside the timetable of the day. */
export type RunResult = {
  proposal: Verdict
  today: Verdict
  solver: SolverFigures | null
}

/**
 * The solver's figures a run keeps. `upperBound` (issue 19) is the allocator's proven upper bound on the score
 * of any timetable for the run's problem, in the units of `score.total`; a run kept before December 2026 has none.
 */
export type SolverFigures = { elapsedMs: number; rounds: number; stoppedBy: string; upperBound?: number }

/** The solver's figures worth keeping from its stats: a bound that is not a finite number proves nothing. */
export function solverFigures(stats: SolveStats): SolverFigures {
  const { elapsedMs, rounds, stoppedBy, upperBound } = stats
  return { elapsedMs, rounds, stoppedBy, ...(Number.isFinite(upperBound) ? { upperBound } : {}) }
}

/**
 * The bound and the checker add the same scores in different orders, so they may differ in the last digits
 * (bound.ts: about 1e-12 of the total); a gap or an overshoot smaller than this share is rounding, not a gap.
 */
const SUM_ROUNDING = 1e-9

/** `value` rounded up to one decimal place, a difference of summing order below it not counting as more. */
function upToOneDecimal(value: number): number {
  return Math.ceil(10 * value - 10 * SUM_ROUNDING * Math.max(1, Math.abs(value))) / 10
}

/**
 * Issue 19: how far, in percent, a timetable's score may be below the best timetable possible, from the proven
 * upper bound: (upperBound − total) / upperBound, rounded up to one decimal place so that "within 4.6%" is never
 * an understatement (the best possible is at most the bound, so the true gap is at most this). Never negative:
 * a score at or above the bound (by rounding) is 0, the best possible.
 */
export function percentBelowBound(total: number, upperBound: number): number {
  if (!(upperBound > 0)) return 0
  const share = (upperBound - total) / upperBound
  if (share <= SUM_ROUNDING) return 0
  return upToOneDecimal(100 * share)
}

/** The bound as a page says it: rounded up to one decimal place, so that "could score no more than" stays true. */
export function boundShown(upperBound: number): number {
  return upToOneDecimal(upperBound)
}

export type GroupChange = { groupId: string; joins: string[]; leaves: string[]; stays: number }

/** R5 review: who joins and who leaves each group, compared with the groups people are in today. */
export function groupChanges(problem: Problem, proposal: Timetable): GroupChange[] {
  const proposed = new Set(proposal.assignments.map(({ person, group }) => `${person}\n${group}`))
  const today = new Set(problem.people.flatMap((person) => person.current.map((group) => `${person.id}\n${group}`)))
  const changes = new Map<string, GroupChange>()
  const changeOf = (groupId: string) => {
    let change = changes.get(groupId)
    if (!change) {
      change = { groupId, joins: [], leaves: [], stays: 0 }
      changes.set(groupId, change)
    }
    return change
  }
  for (const activity of problem.activities) for (const group of activity.groups) changeOf(group.id)
  for (const key of proposed) {
    const [person, group] = key.split('\n') as [string, string]
    if (today.has(key)) changeOf(group).stays += 1
    else changeOf(group).joins.push(person)
  }
  for (const key of today) {
    const [person, group] = key.split('\n') as [string, string]
    if (!proposed.has(key)) changeOf(group).leaves.push(person)
  }
  for (const change of changes.values()) {
    change.joins.sort()
    change.leaves.sort()
  }
  return [...changes.values()]
}

/** Prison numbers of the people a timetable gives no session. */
export function peopleWithNoSession(problem: Problem, timetable: Timetable): string[] {
  const placed = new Set(timetable.assignments.map(({ person }) => person))
  return problem.people.filter((person) => !placed.has(person.id)).map((person) => person.id)
}

/** A manual change refused: which of the six rules, in words a manager can act on. */
export type ChangeRefusal = { rule: RuleNumber; messageKey: string; values: Record<string, string | number> }

export type ManualChange = { kind: 'add' | 'remove'; person: string; group: string }

/**
 * R5: a change by hand after acceptance goes through the same six rules as the allocator: the checker judges
 * the timetable before and after, and only the rules the change itself breaks refuse it (a group already
 * below its minimum after releases does not stop someone leaving it). Each refusal names the rule and the
 * people or group concerned.
 */
export function manualChangeRefusals(problem: Problem, current: Timetable, change: ManualChange): ChangeRefusal[] {
  const person = problem.people.find((candidate) => candidate.id === change.person)
  const found = problem.activities
    .flatMap((activity) => activity.groups.map((group) => ({ activity, group })))
    .find(({ group }) => group.id === change.group)
  if (!person) return [{ rule: 1, messageKey: 'allocation.refusal.notHere', values: { person: change.person } }]
  if (!found) return [{ rule: 2, messageKey: 'allocation.refusal.notRunning', values: { group: change.group } }]
  const isMember = current.assignments.some((a) => a.person === change.person && a.group === change.group)
  if (change.kind === 'add' && isMember)
    return [{ rule: 1, messageKey: 'allocation.refusal.alreadyIn', values: { person: person.id, group: change.group } }]
  if (change.kind === 'remove' && !isMember)
    return [{ rule: 1, messageKey: 'allocation.refusal.notIn', values: { person: person.id, group: change.group } }]

  const after: Timetable = {
    version: 1,
    assignments:
      change.kind === 'add'
        ? [...current.assignments, { person: change.person, group: change.group }]
        : current.assignments.filter((a) => !(a.person === change.person && a.group === change.group)),
  }
  const before = new Set(findViolations(problem, current).map((violation) => violation.message))
  const broken = findViolations(problem, after).filter((violation) => !before.has(violation.message))
  const rules = [...new Set(broken.map((violation) => violation.rule))].sort()
  return rules.flatMap((rule) => explain(rule, problem, after, person, found.activity, found.group, change.kind))
}

function explain(
  rule: RuleNumber,
  problem: Problem,
  after: Timetable,
  person: Person,
  activity: Activity,
  group: ActivityGroup,
  kind: ManualChange['kind'],
): ChangeRefusal[] {
  const base = { person: person.id, group: group.id }
  const groupById = new Map(
    problem.activities.flatMap((a) => a.groups.map((g) => [g.id, { activity: a, group: g }] as const)),
  )
  const theirs = after.assignments
    .filter((a) => a.person === person.id && a.group !== group.id)
    .map((a) => groupById.get(a.group)!)
  const members = after.assignments.filter((a) => a.group === group.id).map((a) => a.person)
  if (rule === 1) {
    if (!(person.wants[activity.id] > 0))
      return [{ rule, messageKey: 'allocation.refusal.notWanted', values: { ...base, activity: activity.id } }]
    const other = theirs.find((g) => g.activity.id === activity.id)
    return [{ rule, messageKey: 'allocation.refusal.sameActivity', values: { ...base, other: other?.group.id ?? '' } }]
  }
  if (rule === 2) {
    const refusals: ChangeRefusal[] = []
    for (const slot of group.slots) {
      const clash = theirs.find((g) => g.group.slots.includes(slot))
      if (clash)
        refusals.push({
          rule,
          messageKey: 'allocation.refusal.clash',
          values: { ...base, other: clash.group.id, slot },
        })
      if (person.unavailable.includes(slot))
        refusals.push({ rule, messageKey: 'allocation.refusal.unavailable', values: { ...base, slot } })
    }
    return refusals
  }
  if (rule === 3) {
    const sessions = [group, ...theirs.map((g) => g.group)].reduce((sum, g) => sum + g.slots.length, 0)
    return [{ rule, messageKey: 'allocation.refusal.tooMany', values: { ...base, sessions, most: person.maxSessions } }]
  }
  if (rule === 4)
    return kind === 'add'
      ? [{ rule, messageKey: 'allocation.refusal.full', values: { ...base, capacity: group.capacity } }]
      : [
          {
            rule,
            messageKey: 'allocation.refusal.belowMinimum',
            values: { ...base, size: members.length, minimum: group.minSize },
          },
        ]
  const cohortOf = new Map(problem.people.map((p) => [p.id, p.cohort]))
  if (rule === 5) {
    if (group.cohorts && !group.cohorts.includes(person.cohort))
      return [{ rule, messageKey: 'allocation.refusal.cohortNotAdmitted', values: { ...base, cohort: person.cohort } }]
    const separated = new Set(
      problem.separations.cohorts.flatMap(([a, b]) => (a === person.cohort ? [b] : b === person.cohort ? [a] : [])),
    )
    const other = members.map((m) => cohortOf.get(m)!).find((cohort) => separated.has(cohort)) ?? ''
    return [
      { rule, messageKey: 'allocation.refusal.cohortSeparated', values: { ...base, cohort: person.cohort, other } },
    ]
  }
  const separatedFrom = new Set(
    problem.separations.people.flatMap(([a, b]) => (a === person.id ? [b] : b === person.id ? [a] : [])),
  )
  return members
    .filter((member) => separatedFrom.has(member))
    .map((other) => ({ rule, messageKey: 'allocation.refusal.nonAssociation', values: { ...base, other } }))
}
