import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_SLOTS, parseProblem, parseTimetable } from './problem.ts'
import { givenActivity, givenPerson, givenProblem } from './test-problems.ts'

const valid = () =>
  givenProblem({
    people: [givenPerson('A1111AA', { wants: { ENG: 5 } }), givenPerson('B2222BB', { wants: { ENG: 2 } })],
    activities: [givenActivity('ENG')],
  })

function errorsOf(input: unknown): string[] {
  const result = parseProblem(input)
  assert.equal(result.ok, false)
  return result.ok ? [] : result.errors
}

describe('parseProblem', () => {
  it('accepts a valid problem and fills in the 21 default slots', () => {
    const { slots: _slots, ...withoutSlots } = valid()
    const result = parseProblem(withoutSlots)
    assert.equal(result.ok, true)
    if (result.ok) assert.deepEqual(result.value.slots, DEFAULT_SLOTS)
    assert.equal(DEFAULT_SLOTS.length, 21)
  })

  const cases: { name: string; change: (problem: ReturnType<typeof valid>) => void; error: string }[] = [
    {
      name: 'a group meeting in an unknown slot, naming the group and the slot',
      change: (p) => (p.activities[0].groups[0].slots = ['XYZ_AM']),
      error: 'Group ENG/a of activity ENG: unknown slot XYZ_AM',
    },
    {
      name: 'an unavailable slot that does not exist, naming the person',
      change: (p) => (p.people[0].unavailable = ['MON_XX']),
      error: 'Person A1111AA: unknown slot MON_XX in unavailable',
    },
    {
      name: 'a group whose capacity is below its minimum size',
      change: (p) => Object.assign(p.activities[0].groups[0], { capacity: 3, minSize: 6 }),
      error: 'Group ENG/a of activity ENG: capacity 3 is below its minimum size 6',
    },
    {
      name: 'a duplicate person id',
      change: (p) => (p.people[1].id = 'A1111AA'),
      error: 'Person A1111AA is listed twice (duplicate id)',
    },
    {
      name: 'a duplicate activity id',
      change: (p) => p.activities.push({ ...givenActivity('ENG'), groups: givenActivity('ENG-EVENING').groups }),
      error: 'Activity ENG is listed twice (duplicate id)',
    },
    {
      name: 'a duplicate group id',
      change: (p) => p.activities.push({ ...givenActivity('MATHS'), groups: [{ ...p.activities[0].groups[0] }] }),
      error: 'Group ENG/a of activity MATHS: id ENG/a is used by another group (duplicate id)',
    },
    {
      name: 'wants naming an unknown activity',
      change: (p) => (p.people[0].wants = { WELDING: 4 }),
      error: 'Person A1111AA wants unknown activity WELDING',
    },
    {
      name: 'a want weight that is not above 0',
      change: (p) => (p.people[0].wants = { ENG: 0 }),
      error:
        'Person A1111AA: the weight for ENG must be a number above 0 and at most 1,000, not 0 (people[0].wants.ENG)',
    },
    {
      name: 'a separation naming an unknown person',
      change: (p) => (p.separations.people = [['A1111AA', 'Z9999ZZ']]),
      error: 'Separation A1111AA/Z9999ZZ names unknown person Z9999ZZ',
    },
    {
      name: 'a current group that does not exist',
      change: (p) => (p.people[0].current = ['ENG/z']),
      error: 'Person A1111AA: current names unknown group ENG/z',
    },
    {
      name: 'another version',
      change: (p) => Object.assign(p, { version: 2 }),
      error: 'Unsupported problem version 2: expected 1',
    },
    {
      name: 'a want weight of 1e308, naming the field, its path and its limit',
      change: (p) => (p.people[1].wants = { ENG: 1e308 }),
      error:
        'Person B2222BB: the weight for ENG must be a number above 0 and at most 1,000, not 1e+308 (people[1].wants.ENG)',
    },
    {
      name: 'a continuity bonus of 1e308',
      change: (p) => (p.continuityBonus = 1e308),
      error: 'continuityBonus must be a number from 0 to 1,000, not 1e+308 (continuityBonus)',
    },
    {
      name: 'a fairness weight over its limit',
      change: (p) => (p.fairness.weight = 1001),
      error: 'fairness.weight must be a number from 0 to 1,000, not 1001 (fairness.weight)',
    },
    {
      name: 'a fairness target of more sessions than a week can hold',
      change: (p) => (p.fairness.targetSessions = 169),
      error: 'fairness.targetSessions must be a whole number from 0 to 168, not 169 (fairness.targetSessions)',
    },
    {
      name: 'a person allowed more sessions than a week can hold',
      change: (p) => (p.people[1].maxSessions = 1e308),
      error: 'Person B2222BB: maxSessions must be a whole number from 0 to 168, not 1e+308 (people[1].maxSessions)',
    },
    {
      name: 'a group capacity that is not a whole number',
      change: (p) => (p.activities[0].groups[0].capacity = 12.5),
      error:
        'Group ENG/a of activity ENG: capacity must be a whole number from 0 to 10,000, not 12.5 (activities[0].groups[0].capacity)',
    },
    {
      name: 'a group minimum size over its limit',
      change: (p) => Object.assign(p.activities[0].groups[0], { capacity: 10_000, minSize: 10_001 }),
      error:
        'Group ENG/a of activity ENG: minSize must be a whole number from 0 to 10,000, not 10001 (activities[0].groups[0].minSize)',
    },
    {
      name: 'more slots than hours in a week',
      change: (p) =>
        (p.slots = Array.from({ length: 169 }, (_, hour) => `H${hour}`).concat(p.activities[0].groups[0].slots)),
      error: 'slots lists 170 slots: a week has at most 168, one an hour (slots)',
    },
    {
      name: 'a cohort separated from itself',
      change: (p) =>
        (p.separations.cohorts = [
          ['mainstream', 'vulnerable'],
          ['vulnerable', 'vulnerable'],
        ]),
      error:
        'Separation vulnerable/vulnerable names the same cohort twice: a cohort cannot be kept apart from itself (separations.cohorts[1])',
    },
  ]
  for (const { name, change, error } of cases)
    it(`refuses ${name}`, () => {
      const problem = valid()
      change(problem)
      assert.deepEqual(errorsOf(problem), [error])
    })

  it('accepts every number at its limit', () => {
    const problem = valid()
    Object.assign(problem, { continuityBonus: 1000, fairness: { targetSessions: 168, weight: 1000 } })
    Object.assign(problem.people[0], { maxSessions: 168, wants: { ENG: 1000 } })
    Object.assign(problem.activities[0].groups[0], { capacity: 10_000, minSize: 10_000 })
    assert.equal(parseProblem(problem).ok, true)
  })

  it('refuses something that is not an object', () => {
    assert.deepEqual(errorsOf([]), ['The problem must be a JSON object'])
  })
})

describe('parseTimetable', () => {
  it('refuses assignments naming unknown people or groups', () => {
    const result = parseTimetable({ version: 1, assignments: [{ person: 'Z9999ZZ', group: 'ENG/q' }] }, valid())
    assert.deepEqual(result, {
      ok: false,
      errors: ['Assignment 1 names unknown person Z9999ZZ', 'Assignment 1 names unknown group ENG/q'],
    })
  })
})
