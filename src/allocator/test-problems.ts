import fc from 'fast-check'
import { checkTimetable, findViolations } from './checker.ts'
import type { Activity, ActivityAllocation, Person, Problem } from './problem.ts'

/** Small builders for the allocator's tests: a problem with only what a test cares about spelt out. */
export function givenPerson(id: string, overrides: Partial<Person> = {}): Person {
  return {
    id,
    cohort: 'mainstream',
    maxSessions: 10,
    unavailable: [],
    wants: {},
    current: [],
    traits: {},
    ...overrides,
  }
}

export function givenActivity(id: string, groups: Partial<Activity['groups'][number]>[] = [{}]): Activity {
  return {
    id,
    category: 'education',
    groups: groups.map((group, index) => ({
      id: `${id}/${String.fromCharCode(97 + index)}`,
      slots: ['MON_AM'],
      capacity: 10,
      minSize: 0,
      ...group,
    })),
  }
}

export function givenProblem(overrides: Partial<Problem> = {}): Problem {
  return {
    version: 1,
    slots: ['MON_AM', 'MON_PM', 'TUE_AM', 'TUE_PM'],
    fairness: { targetSessions: 10, weight: 1 },
    continuityBonus: 0.5,
    people: [],
    activities: [],
    separations: { cohorts: [], people: [] },
    ...overrides,
  }
}

/** The four slots of the small problems below. */
export const SLOTS = ['MON_AM', 'MON_PM', 'TUE_AM', 'TUE_PM']

/** Random small prisons: every rule in play (clashes, capacities, minimum sizes, cohorts, separations). */
export function smallProblem(limits: { people: number; activities: number; groups: number }): fc.Arbitrary<Problem> {
  const group = fc.record({
    slots: fc.subarray(SLOTS, { minLength: 1, maxLength: 2 }),
    capacity: fc.integer({ min: 1, max: 3 }),
    minSize: fc.integer({ min: 0, max: 2 }),
    cohorts: fc.option(fc.subarray(['mainstream', 'vulnerable'], { minLength: 1 }), { nil: undefined }),
  })
  const activity = fc.array(group, { minLength: 1, maxLength: limits.groups })
  const person = fc.record({
    cohort: fc.constantFrom('mainstream', 'vulnerable'),
    maxSessions: fc.integer({ min: 0, max: 4 }),
    unavailable: fc.subarray(SLOTS, { maxLength: 1 }),
    wants: fc.array(fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }), {
      minLength: limits.activities,
      maxLength: limits.activities,
    }),
    current: fc.array(fc.boolean(), {
      minLength: limits.activities * limits.groups,
      maxLength: limits.activities * limits.groups,
    }),
  })
  return fc
    .record({
      activities: fc.array(activity, { minLength: 1, maxLength: limits.activities }),
      people: fc.array(person, { minLength: 1, maxLength: limits.people }),
      separatePeople: fc.array(fc.tuple(fc.nat(limits.people - 1), fc.nat(limits.people - 1)), { maxLength: 2 }),
      separateCohorts: fc.boolean(),
      fairnessWeight: fc.constantFrom(0, 1, 2.5),
      continuityBonus: fc.constantFrom(0, 0.5, 3),
    })
    .map((drawn) => {
      const activities = drawn.activities.map((groups, a) =>
        givenActivity(
          `ACT${a}`,
          groups.map((g) => ({ ...g, minSize: Math.min(g.minSize, g.capacity) })),
        ),
      )
      const groupIds = activities.flatMap((activity) => activity.groups.map((g) => g.id))
      const people = drawn.people.map((p, i) =>
        givenPerson(`P${i}`, {
          cohort: p.cohort,
          maxSessions: p.maxSessions,
          unavailable: p.unavailable,
          wants: Object.fromEntries(
            activities.flatMap((activity, a) => (p.wants[a] === undefined ? [] : [[activity.id, p.wants[a]]])),
          ),
          current: groupIds.filter((_, g) => p.current[g]),
        }),
      )
      const separations = {
        cohorts: drawn.separateCohorts ? ([['mainstream', 'vulnerable']] as [string, string][]) : [],
        people: drawn.separatePeople
          .filter(([a, b]) => a !== b && a < people.length && b < people.length)
          .map(([a, b]) => [people[a].id, people[b].id] as [string, string]),
      }
      return givenProblem({
        slots: SLOTS,
        people,
        activities,
        separations,
        fairness: { targetSessions: 3, weight: drawn.fairnessWeight },
        continuityBonus: drawn.continuityBonus,
      })
    })
}

/** The best objective over every timetable, found by trying them all (tiny problems only). */
export function exhaustiveOptimum(problem: Problem): number {
  const groupsOf = (activityId: string) => problem.activities.find((a) => a.id === activityId)!.groups
  // Each person's own choices first (rules 1-3), so that only the group-level rules are left to combine.
  const choicesByPerson = problem.people.map((person) => {
    let choices: string[][] = [[]]
    for (const activityId of Object.keys(person.wants))
      choices = choices.flatMap((choice) => [choice, ...groupsOf(activityId).map((g) => [...choice, g.id])])
    return choices.filter(
      (choice) =>
        findViolations(
          { ...problem, people: [person], separations: { cohorts: [], people: [] } },
          { version: 1, assignments: choice.map((group) => ({ person: person.id, group })) },
        ).filter((v) => v.rule <= 3).length === 0,
    )
  })
  let best = 0
  const assignments: ActivityAllocation[] = []
  const visit = (i: number) => {
    if (i === problem.people.length) {
      const timetable = { version: 1 as const, assignments }
      const result = checkTimetable(problem, timetable)
      if (result.valid) best = Math.max(best, result.score.total)
      return
    }
    for (const choice of choicesByPerson[i]) {
      for (const group of choice) assignments.push({ person: problem.people[i].id, group })
      visit(i + 1)
      assignments.length -= choice.length
    }
  }
  visit(0)
  return best
}
