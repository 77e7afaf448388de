import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Problem } from '../../allocator/index.ts'
import { givenPerson, givenProblem } from '../../allocator/test-problems.ts'
import { ethnicGroupOf, groupChanges, manualChangeRefusals, peopleWithNoSession, type ManualChange } from './rules.ts'

/** Two activities on Monday morning, a group with a minimum of two, and people with every kind of limit. */
function prison(): Problem {
  const person = (id: string, overrides: Partial<Problem['people'][number]> = {}) =>
    givenPerson(id, { wants: { BARBER: 5, GYM: 3 }, ...overrides })
  return givenProblem({
    slots: ['MON_AM', 'MON_PM', 'TUE_AM'],
    people: [
      person('A1111AA', { current: ['BARBER/a'] }),
      person('B2222BB', { current: ['BARBER/a'] }),
      person('C3333CC'),
      person('D4444DD', { wants: { GYM: 3 } }),
      person('E5555EE', { unavailable: ['MON_AM'] }),
      person('F6666FF', { cohort: 'vulnerable' }),
      person('G7777GG', { maxSessions: 1, current: ['GYM/b'] }),
    ],
    activities: [
      {
        id: 'BARBER',
        category: 'work',
        groups: [
          { id: 'BARBER/a', slots: ['MON_AM'], capacity: 3, minSize: 2 },
          { id: 'BARBER/b', slots: ['TUE_AM'], capacity: 3, minSize: 0 },
        ],
      },
      {
        id: 'GYM',
        category: 'gym',
        groups: [
          { id: 'GYM/a', slots: ['MON_AM'], capacity: 1, minSize: 0, cohorts: ['mainstream'] },
          { id: 'GYM/b', slots: ['MON_PM'], capacity: 5, minSize: 0 },
        ],
      },
    ],
    separations: { cohorts: [['mainstream', 'vulnerable']], people: [['B2222BB', 'C3333CC']] },
  })
}

const today = (problem: Problem) => ({
  version: 1 as const,
  assignments: problem.people.flatMap((p) => p.current.map((group) => ({ person: p.id, group }))),
})

function refusalsFor(change: ManualChange) {
  const problem = prison()
  return manualChangeRefusals(problem, today(problem), change).map((refusal) => [
    refusal.rule,
    refusal.messageKey,
    refusal.values,
  ])
}

describe('manualChangeRefusals', () => {
  it('accepts a person who keeps all six rules', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'D4444DD', group: 'GYM/b' }), [])
  })

  it('refuses a group holding someone the person must not meet, and names them (rule 6)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'C3333CC', group: 'BARBER/a' }), [
      [6, 'allocation.refusal.nonAssociation', { person: 'C3333CC', group: 'BARBER/a', other: 'B2222BB' }],
    ])
  })

  it('refuses an activity the needs assessment does not ask for (rule 1)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'D4444DD', group: 'BARBER/b' }), [
      [1, 'allocation.refusal.notWanted', { person: 'D4444DD', group: 'BARBER/b', activity: 'BARBER' }],
    ])
  })

  it('refuses a second group of the same activity (rule 1)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'A1111AA', group: 'BARBER/b' }), [
      [1, 'allocation.refusal.sameActivity', { person: 'A1111AA', group: 'BARBER/b', other: 'BARBER/a' }],
    ])
  })

  it('refuses a group meeting when the person is in another group or unavailable (rule 2)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'A1111AA', group: 'GYM/a' }), [
      [2, 'allocation.refusal.clash', { person: 'A1111AA', group: 'GYM/a', other: 'BARBER/a', slot: 'MON_AM' }],
    ])
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'E5555EE', group: 'BARBER/a' }), [
      [2, 'allocation.refusal.unavailable', { person: 'E5555EE', group: 'BARBER/a', slot: 'MON_AM' }],
    ])
  })

  it('refuses more sessions than the person’s most in a week (rule 3)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'G7777GG', group: 'BARBER/b' }), [
      [3, 'allocation.refusal.tooMany', { person: 'G7777GG', group: 'BARBER/b', sessions: 2, most: 1 }],
    ])
  })

  it('refuses a full group, and leaving a group that would fall below its minimum (rule 4)', () => {
    const problem = prison()
    const full = manualChangeRefusals(
      problem,
      { version: 1, assignments: [...today(problem).assignments, { person: 'C3333CC', group: 'GYM/a' }] },
      { kind: 'add', person: 'D4444DD', group: 'GYM/a' },
    )
    assert.deepEqual(
      full.map((refusal) => refusal.messageKey),
      ['allocation.refusal.full'],
    )
    assert.deepEqual(refusalsFor({ kind: 'remove', person: 'A1111AA', group: 'BARBER/a' }), [
      [4, 'allocation.refusal.belowMinimum', { person: 'A1111AA', group: 'BARBER/a', size: 1, minimum: 2 }],
    ])
  })

  it('refuses a cohort the group does not admit, and a cohort kept apart from its members (rule 5)', () => {
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'F6666FF', group: 'GYM/a' }), [
      [5, 'allocation.refusal.cohortNotAdmitted', { person: 'F6666FF', group: 'GYM/a', cohort: 'vulnerable' }],
    ])
    assert.deepEqual(refusalsFor({ kind: 'add', person: 'F6666FF', group: 'GYM/b' }), [
      [
        5,
        'allocation.refusal.cohortSeparated',
        { person: 'F6666FF', group: 'GYM/b', cohort: 'vulnerable', other: 'mainstream' },
      ],
    ])
  })

  it('lets someone leave a group already below its minimum, as releases leave it', () => {
    const problem = prison()
    const alone = {
      version: 1 as const,
      assignments: [{ person: 'A1111AA', group: 'BARBER/a' }],
    }
    assert.deepEqual(manualChangeRefusals(problem, alone, { kind: 'remove', person: 'A1111AA', group: 'BARBER/a' }), [])
  })
})

describe('groupChanges and peopleWithNoSession', () => {
  it('lists who joins, who leaves and how many stay in each group, and who has no session', () => {
    const problem = prison()
    const proposal = {
      version: 1 as const,
      assignments: [
        { person: 'A1111AA', group: 'BARBER/a' },
        { person: 'C3333CC', group: 'BARBER/a' },
        { person: 'B2222BB', group: 'GYM/b' },
      ],
    }
    const changes = Object.fromEntries(groupChanges(problem, proposal).map((change) => [change.groupId, change]))
    assert.deepEqual(changes['BARBER/a'], { groupId: 'BARBER/a', joins: ['C3333CC'], leaves: ['B2222BB'], stays: 1 })
    assert.deepEqual(changes['GYM/b'], { groupId: 'GYM/b', joins: ['B2222BB'], leaves: ['G7777GG'], stays: 0 })
    assert.deepEqual(peopleWithNoSession(problem, proposal), ['D4444DD', 'E5555EE', 'F6666FF', 'G7777GG'])
  })
})

describe('ethnicGroupOf', () => {
  it('reports an ethnicity code by its census group, one the person preferred not to give as not stated and a missing one as not recorded', () => {
    assert.deepEqual(['W1', 'B2', 'A9', 'M1', 'O2', 'NS', null].map(ethnicGroupOf), [
      'White',
      'Black',
      'Asian',
      'Mixed',
      'Other',
      'not-stated',
      'not recorded',
    ])
  })
})
