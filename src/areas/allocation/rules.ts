import { DEFAULT_SLOTS, findViolations } from '../../allocator/index.ts'
import type { Activity, ActivityGroup, Person, Problem, RuleNumber, Timetable } from '../../allocator/index.ts'
import type { IsoDate, NonAssociationLevel } from '../../db/schema.ts'
import { notRecorded } from '../people/characteristic-names.ts'
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

// R5's verdicts and review, by subject; importers keep importing from here.
export * from './rules/verdicts.ts'
export * from './rules/review.ts'
