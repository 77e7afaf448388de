import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkTimetable, findViolations, ruleOfKind, type Violation } from './checker.ts'
import type { Problem, Timetable } from './problem.ts'
import { givenActivity, givenPerson, givenProblem } from './test-problems.ts'

const timetable = (...pairs: [string, string][]): Timetable => ({
  version: 1,
  assignments: pairs.map(([person, group]) => ({ person, group })),
})

const problem: Problem = givenProblem({
  people: [
    givenPerson('A1111AA', { wants: { ENG: 5, GYM: 2 }, current: ['ENG/a'], traits: { ageBand: '18-24' } }),
    givenPerson('B2222BB', { wants: { ENG: 3, GYM: 4 }, unavailable: ['TUE_PM'], traits: { ageBand: '50+' } }),
    givenPerson('C3333CC', { cohort: 'vulnerable', wants: { ENG: 3, GYM: 1 }, maxSessions: 1 }),
  ],
  activities: [
    givenActivity('ENG', [
      { slots: ['MON_AM', 'MON_PM'], capacity: 2 },
      { slots: ['TUE_AM'], capacity: 2, minSize: 2 },
    ]),
    givenActivity('GYM', [{ slots: ['MON_AM'], capacity: 3, cohorts: ['mainstream'] }, { slots: ['TUE_PM'] }]),
  ],
  separations: { cohorts: [['mainstream', 'vulnerable']], people: [['A1111AA', 'B2222BB']] },
})

describe('checkTimetable', () => {
  it('accepts a timetable that keeps every rule and scores its three parts', () => {
    const result = checkTimetable(problem, timetable(['A1111AA', 'ENG/a'], ['B2222BB', 'GYM/a'], ['C3333CC', 'GYM/b']))
    assert.deepEqual(result.violations, [])
    assert.equal(result.valid, true)
    assert.deepEqual(result.score, { wants: 5 + 4 + 1, continuity: 0.5, fairness: 2 + 1 + 1, total: 14.5 })
    assert.deepEqual(result.meanSessionsByCohort, { mainstream: 1.5, vulnerable: 1 })
    assert.deepEqual(result.meanSessionsByTrait, { ageBand: { '18-24': 2, '50+': 1 } })
    assert.equal(result.shareWithNoSession, 0)
  })

  it('reports the share of people with no session', () => {
    assert.equal(checkTimetable(problem, timetable(['A1111AA', 'ENG/a'])).shareWithNoSession, 2 / 3)
  })

  const cases: { name: string; rule: number; assignments: [string, string][]; person?: string; group?: string }[] = [
    { name: 'a group of an activity the person does not want', rule: 1, assignments: [['A1111AA', 'NONE/a']] },
    {
      name: 'two groups of one activity',
      rule: 1,
      assignments: [
        ['A1111AA', 'GYM/a'],
        ['A1111AA', 'GYM/b'],
      ],
    },
    {
      name: 'two groups in one slot',
      rule: 2,
      assignments: [
        ['A1111AA', 'ENG/a'],
        ['A1111AA', 'GYM/a'],
      ],
    },
    { name: 'a group when the person is unavailable', rule: 2, assignments: [['B2222BB', 'GYM/b']], person: 'B2222BB' },
    { name: 'more sessions than the person’s most', rule: 3, assignments: [['C3333CC', 'ENG/a']] },
    { name: 'a group below its minimum size', rule: 4, assignments: [['A1111AA', 'ENG/b']], group: 'ENG/b' },
    { name: 'a group of a cohort it does not admit', rule: 5, assignments: [['C3333CC', 'GYM/a']], group: 'GYM/a' },
    {
      name: 'separated people in one group',
      rule: 6,
      assignments: [
        ['A1111AA', 'GYM/a'],
        ['B2222BB', 'GYM/a'],
      ],
      group: 'GYM/a',
    },
  ]
  for (const { name, rule, assignments, person, group } of cases)
    it(`breaks rule ${rule} with ${name}`, () => {
      const withNone = problem.activities.some((a) => a.id === 'NONE')
        ? problem
        : { ...problem, activities: [...problem.activities, givenActivity('NONE', [{ slots: ['TUE_PM'] }])] }
      const result = checkTimetable(withNone, timetable(...assignments))
      assert.equal(result.valid, false)
      assert.deepEqual(
        result.violations.map((violation) => violation.rule),
        [rule],
      )
      const [violation] = result.violations
      assert.ok(violation.person !== undefined || violation.group !== undefined)
      if (person) assert.equal(violation.person, person)
      if (group) assert.equal(violation.group, group)
    })

  it('breaks rule 4 with a group above its capacity', () => {
    const full = givenProblem({
      people: ['A', 'B', 'C'].map((id) => givenPerson(id, { wants: { ENG: 1 } })),
      activities: [givenActivity('ENG', [{ capacity: 2 }])],
    })
    const result = checkTimetable(full, timetable(['A', 'ENG/a'], ['B', 'ENG/a'], ['C', 'ENG/a']))
    assert.deepEqual(
      result.violations.map(({ rule, group }) => ({ rule, group })),
      [{ rule: 4, group: 'ENG/a' }],
    )
  })

  it('breaks rule 5 with separated cohorts in one group', () => {
    const result = checkTimetable(problem, timetable(['A1111AA', 'GYM/b'], ['C3333CC', 'GYM/b']))
    assert.deepEqual(
      result.violations.map(({ rule, group }) => ({ rule, group })),
      [{ rule: 5, group: 'GYM/b' }],
    )
  })
})

describe('findViolations', () => {
  const withNone = { ...problem, activities: [...problem.activities, givenActivity('NONE', [{ slots: ['TUE_PM'] }])] }
  const full = givenProblem({
    people: ['A', 'B', 'C'].map((id) => givenPerson(id, { wants: { ENG: 1 } })),
    activities: [givenActivity('ENG', [{ capacity: 2 }])],
  })
  const cases: { problem: Problem; assignments: [string, string][]; violation: Omit<Violation, 'person' | 'group'> }[] =
    [
      {
        problem: withNone,
        assignments: [['A1111AA', 'NONE/a']],
        violation: {
          rule: 1,
          kind: 'notWanted',
          values: { person: 'A1111AA', group: 'NONE/a', activity: 'NONE' },
          message: 'A1111AA does not want NONE',
        },
      },
      {
        problem,
        assignments: [
          ['A1111AA', 'GYM/a'],
          ['A1111AA', 'GYM/b'],
        ],
        violation: {
          rule: 1,
          kind: 'sameActivity',
          values: { person: 'A1111AA', group: 'GYM/b', other: 'GYM/a', activity: 'GYM' },
          message: 'A1111AA is in more than one group of GYM',
        },
      },
      {
        problem,
        assignments: [
          ['A1111AA', 'ENG/a'],
          ['A1111AA', 'GYM/a'],
        ],
        violation: {
          rule: 2,
          kind: 'clash',
          values: { person: 'A1111AA', group: 'GYM/a', other: 'ENG/a', slot: 'MON_AM' },
          message: 'A1111AA has GYM/a and ENG/a both in MON_AM',
        },
      },
      {
        problem,
        assignments: [['B2222BB', 'GYM/b']],
        violation: {
          rule: 2,
          kind: 'unavailable',
          values: { person: 'B2222BB', group: 'GYM/b', slot: 'TUE_PM' },
          message: 'GYM/b meets in TUE_PM, when B2222BB is unavailable',
        },
      },
      {
        problem,
        assignments: [['C3333CC', 'ENG/a']],
        violation: {
          rule: 3,
          kind: 'tooManySessions',
          values: { person: 'C3333CC', sessions: 2, most: 1 },
          message: 'C3333CC has 2 sessions, more than their most of 1',
        },
      },
      {
        problem: full,
        assignments: [
          ['A', 'ENG/a'],
          ['B', 'ENG/a'],
          ['C', 'ENG/a'],
        ],
        violation: {
          rule: 4,
          kind: 'overCapacity',
          values: { group: 'ENG/a', size: 3, capacity: 2 },
          message: 'ENG/a has 3 people, above its capacity of 2',
        },
      },
      {
        problem,
        assignments: [['A1111AA', 'ENG/b']],
        violation: {
          rule: 4,
          kind: 'belowMinimum',
          values: { group: 'ENG/b', size: 1, minimum: 2 },
          message: 'ENG/b has 1 person, below its minimum of 2',
        },
      },
      {
        problem,
        assignments: [['C3333CC', 'GYM/a']],
        violation: {
          rule: 5,
          kind: 'cohortNotAdmitted',
          values: { person: 'C3333CC', group: 'GYM/a', cohort: 'vulnerable' },
          message: 'GYM/a does not admit C3333CC’s cohort vulnerable',
        },
      },
      {
        problem,
        assignments: [
          ['A1111AA', 'GYM/b'],
          ['C3333CC', 'GYM/b'],
        ],
        violation: {
          rule: 5,
          kind: 'cohortsSeparated',
          values: { group: 'GYM/b', cohort: 'mainstream', other: 'vulnerable' },
          message: 'GYM/b holds the separated cohorts mainstream and vulnerable',
        },
      },
      {
        problem,
        assignments: [
          ['A1111AA', 'GYM/a'],
          ['B2222BB', 'GYM/a'],
        ],
        violation: {
          rule: 6,
          kind: 'peopleSeparated',
          values: { group: 'GYM/a', person: 'A1111AA', other: 'B2222BB' },
          message: 'GYM/a holds A1111AA and B2222BB, who are separated',
        },
      },
    ]
  for (const { problem: given, assignments, violation } of cases)
    it(`tells a ${violation.kind} violation by its kind and values, with the checker’s English`, () => {
      const found = findViolations(given, timetable(...assignments))
      assert.deepEqual(
        found.map(({ rule, kind, values, message }) => ({ rule, kind, values, message })),
        [violation],
      )
      const [{ person, group }] = found
      assert.equal(person, 'person' in violation.values ? violation.values.person : undefined)
      assert.equal(group, 'group' in violation.values ? violation.values.group : undefined)
    })

  it('has a case for every kind', () => {
    assert.deepEqual(new Set(cases.map(({ violation }) => violation.kind)), new Set(Object.keys(ruleOfKind)))
  })
})
