import { DEFAULT_SLOTS } from '../../allocator/index.ts'
import type { Problem, Timetable } from '../../allocator/index.ts'
import type { IsoDate, NonAssociationLevel } from '../../db/schema.ts'
import { ageOn } from '../../platform/views.ts'
import { ageBandOf } from '../people/rules.ts'

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

const notRecorded = 'not recorded'

/** Ethnicity codes (W1, B2, A9…) by their 2011 census group: the letter, as equality monitoring reports them. */
export function ethnicGroupOf(ethnicity: string | null): string {
  if (!ethnicity || ethnicity === 'NS') return notRecorded
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
