import type { Activity, Person, Problem } from './problem.ts'

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
