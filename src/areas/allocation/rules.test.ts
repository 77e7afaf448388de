import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ruleOfKind, type Problem, type ViolationKind, type ViolationValues } from '../../allocator/index.ts'
import { givenPerson, givenProblem } from '../../allocator/test-problems.ts'
import { allMessages } from '../../app.ts'
import { createTranslator } from '../../platform/i18n.ts'
import {
  boundShown,
  ethnicGroupOf,
  goneFrom,
  goneNamed,
  groupChanges,
  manualChangeRefusals,
  peopleWithNoSession,
  percentBelowBound,
  solverFigures,
  verdictOf,
  violationNamed,
  violationText,
  type KeptViolation,
  type ManualChange,
} from './rules.ts'

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

describe('violationText', () => {
  const translator = createTranslator(allMessages, { strict: true })
  const inEnglish = (violation: KeptViolation) =>
    violationText(translator.forLanguage('en'), translator.pluralFor('en'), violation)
  const inWelsh = (violation: KeptViolation) =>
    violationText(translator.forLanguage('cy'), translator.pluralFor('cy'), violation)
  const kept = <K extends ViolationKind>(kind: K, values: ViolationValues[K]) =>
    ({ rule: ruleOfKind[kind], kind, values, message: 'the checker’s English' }) as KeptViolation

  const cases: [KeptViolation, string, string][] = [
    [
      kept('notWanted', { person: 'A1111AA', group: 'Barbering/a', activity: 'Barbering' }),
      'A1111AA is in Barbering/a, but their needs assessment does not ask for Barbering',
      'Mae A1111AA yn y grŵp Barbering/a, ond nid yw eu hasesiad anghenion yn gofyn am y gweithgaredd Barbering',
    ],
    [
      kept('sameActivity', { person: 'A1111AA', group: 'Gym/b', other: 'Gym/a', activity: 'Gym' }),
      'A1111AA is in Gym/b and in Gym/a, two groups of the same activity (Gym)',
      'Mae A1111AA yn y grŵp Gym/b ac yn y grŵp Gym/a, o’r un gweithgaredd (Gym)',
    ],
    [
      kept('clash', { person: 'A1111AA', group: 'Gym/a', other: 'Barbering/a', slot: 'MON_AM' }),
      'A1111AA is in Gym/a and in Barbering/a, which meet in the same session (Monday morning)',
      'Mae A1111AA yn y grŵp Gym/a ac yn y grŵp Barbering/a, sy’n cwrdd yn yr un sesiwn (bore Dydd Llun)',
    ],
    [
      kept('unavailable', { person: 'E5555EE', group: 'Gym/b', slot: 'TUE_ED' }),
      'E5555EE is in Gym/b, which meets on Tuesday evening, when they are not available',
      'Mae E5555EE yn y grŵp Gym/b, sy’n cwrdd yn sesiwn gyda’r nos Dydd Mawrth, pan nad ydynt ar gael',
    ],
    [
      kept('tooManySessions', { person: 'G7777GG', sessions: 12, most: 10 }),
      'G7777GG has 12 sessions a week, more than the most of 10',
      'Mae gan G7777GG 12 sesiwn yr wythnos, mwy na’r uchafswm o 10',
    ],
    [
      kept('tooManySessions', { person: 'G7777GG', sessions: 1, most: 0 }),
      'G7777GG has 1 session a week, more than the most of 0',
      'Mae gan G7777GG 1 sesiwn yr wythnos, mwy na’r uchafswm o 0',
    ],
    [
      kept('overCapacity', { group: 'Gym/a', size: 3, capacity: 2 }),
      'Gym/a has 3 people, but room for only 2',
      'Mae 3 o bobl yn y grŵp Gym/a, ond dim ond lle i 2 sydd ynddo',
    ],
    [
      kept('overCapacity', { group: 'Gym/a', size: 1, capacity: 0 }),
      'Gym/a has 1 person, but room for only 0',
      'Mae 1 person yn y grŵp Gym/a, ond dim ond lle i 0 sydd ynddo',
    ],
    [
      kept('belowMinimum', { group: 'Barbering/a', size: 1, minimum: 4 }),
      'Only 1 person is in Barbering/a, which needs at least 4 to run',
      'Dim ond 1 person sydd yn y grŵp Barbering/a, ond mae angen o leiaf 4 arno i redeg',
    ],
    [
      kept('belowMinimum', { group: 'Barbering/a', size: 2, minimum: 4 }),
      'Only 2 people are in Barbering/a, which needs at least 4 to run',
      'Dim ond 2 o bobl sydd yn y grŵp Barbering/a, ond mae angen o leiaf 4 arno i redeg',
    ],
    [
      kept('cohortNotAdmitted', { person: 'F6666FF', group: 'Gym/a', cohort: 'vulnerable' }),
      'F6666FF is in Gym/a, which does not admit the vulnerable prisoners cohort',
      'Mae F6666FF yn y grŵp Gym/a, nad yw’n derbyn y garfan carcharorion agored i niwed',
    ],
    [
      kept('cohortsSeparated', { group: 'Gym/b', cohort: 'mainstream', other: 'vulnerable' }),
      'Gym/b holds both the mainstream cohort and the vulnerable prisoners cohort, which are kept apart',
      'Mae’r grŵp Gym/b yn cynnwys y garfan prif ffrwd a’r garfan carcharorion agored i niwed, sy’n cael eu cadw ar wahân',
    ],
    [
      kept('peopleSeparated', { group: 'Gym/b', person: 'B2222BB', other: 'C3333CC' }),
      'B2222BB and C3333CC are both in Gym/b, but have a non-association',
      'Mae B2222BB a’r person C3333CC yn y grŵp Gym/b, ond mae gwaharddiad cymysgu rhyngddynt',
    ],
  ]
  for (const [violation, english, welsh] of cases)
    it(`words a ${violation.kind} violation in English and Welsh: “${english}”`, () => {
      assert.equal(inEnglish(violation), english)
      assert.equal(inWelsh(violation), welsh)
    })

  it('has a case for every kind the checker finds', () => {
    assert.deepEqual(new Set(cases.map(([violation]) => violation.kind)), new Set(Object.keys(ruleOfKind)))
  })

  it('shows a violation kept before violations had kinds in the checker’s English, as it was kept', () => {
    const old = JSON.parse('{"rule": 4, "message": "ENG/a has 3 people, above its capacity of 2"}') as KeptViolation
    assert.equal(inEnglish(old), 'ENG/a has 3 people, above its capacity of 2')
    assert.equal(inWelsh(old), 'ENG/a has 3 people, above its capacity of 2')
  })

  it('keeps each kind and its values in a run’s verdict, and names its groups and activity for a page', () => {
    const problem = prison()
    const verdict = verdictOf(problem, {
      version: 1,
      assignments: [
        { person: 'D4444DD', group: 'BARBER/b' },
        { person: 'B2222BB', group: 'GYM/b' },
        { person: 'C3333CC', group: 'GYM/b' },
      ],
    })
    assert.deepEqual(verdict.violations, [
      {
        rule: 1,
        kind: 'notWanted',
        values: { person: 'D4444DD', group: 'BARBER/b', activity: 'BARBER' },
        message: 'D4444DD does not want BARBER',
      },
      {
        rule: 6,
        kind: 'peopleSeparated',
        values: { group: 'GYM/b', person: 'B2222BB', other: 'C3333CC' },
        message: 'GYM/b holds B2222BB and C3333CC, who are separated',
      },
    ])
    const names = { group: (id: string) => id.replace('BARBER', 'Barbering'), activity: () => 'Barbering' }
    assert.deepEqual(
      verdict.violations.map((violation) => violationNamed(violation, names).values),
      [
        { person: 'D4444DD', group: 'Barbering/b', activity: 'Barbering' },
        { group: 'GYM/b', person: 'B2222BB', other: 'C3333CC' },
      ],
    )
  })
})

describe('goneFrom', () => {
  it('names each person and group a kept timetable holds that the prison no longer has, once', () => {
    const problem = prison()
    const gone = goneFrom(problem, {
      version: 1,
      assignments: [
        { person: 'A1111AA', group: 'BARBER/a' },
        { person: 'Z9999ZZ', group: 'BARBER/a' },
        { person: 'Z9999ZZ', group: 'BARBER/c' },
        { person: 'Y8888YY', group: 'BARBER/c' },
      ],
    })
    assert.deepEqual(gone, [
      { messageKey: 'allocation.gone.person', values: { person: 'Z9999ZZ' } },
      { messageKey: 'allocation.gone.person', values: { person: 'Y8888YY' } },
      { messageKey: 'allocation.gone.group', values: { group: 'BARBER/c' } },
    ])
    assert.deepEqual(goneFrom(problem, today(problem)), [])
    const names = { group: (id: string) => id.replace('BARBER', 'Barbering') }
    assert.deepEqual(
      gone.map((reason) => goneNamed(reason, names).values),
      [{ person: 'Z9999ZZ' }, { person: 'Y8888YY' }, { group: 'Barbering/c' }],
    )
  })

  it('words who or what has gone in English and Welsh', () => {
    const translator = createTranslator(allMessages, { strict: true })
    const [english, welsh] = [translator.forLanguage('en'), translator.forLanguage('cy')]
    assert.equal(english('allocation.gone.person', { person: 'Z9999ZZ' }), 'Z9999ZZ is no longer at this prison')
    assert.equal(welsh('allocation.gone.person', { person: 'Z9999ZZ' }), 'Nid yw Z9999ZZ yn y carchar hwn mwyach')
    assert.equal(
      english('allocation.gone.group', { group: 'Barbering/c' }),
      'Barbering/c no longer runs in the prison’s usable day',
    )
    assert.equal(
      welsh('allocation.gone.group', { group: 'Barbering/c' }),
      'Nid yw’r grŵp Barbering/c yn rhedeg yn niwrnod defnyddiadwy’r carchar mwyach',
    )
  })
})

describe('percentBelowBound', () => {
  it('is the share of the bound the score falls short of, in percent, rounded up to one decimal place', () => {
    assert.equal(percentBelowBound(6548, 6864), 4.7) // 4.6037…%: "within 4.6%" would understate it
    assert.equal(percentBelowBound(954, 1000), 4.6)
    assert.equal(percentBelowBound(95.4, 100), 4.6) // 4.6 in floating point is 4.6000000000000005
    assert.equal(percentBelowBound(999.99, 1000), 0.1) // a gap too small to show is still a gap
    assert.equal(percentBelowBound(0, 1000), 100)
  })

  it('is 0% when the score reaches the bound, and never negative', () => {
    assert.equal(percentBelowBound(6864, 6864), 0)
    // The bound and the checker sum in different orders: the last digits may put the score a hair above.
    assert.equal(percentBelowBound(6864 + 1e-9, 6864), 0)
    assert.equal(percentBelowBound(6864 - 1e-9, 6864), 0)
    assert.equal(percentBelowBound(7000, 6864), 0)
    // A prison with nobody to place: no score and no bound.
    assert.equal(percentBelowBound(0, 0), 0)
  })

  it('shows the bound rounded up, so that no timetable could score more than it says', () => {
    assert.equal(boundShown(6863.71), 6863.8)
    assert.equal(boundShown(6864), 6864)
    assert.equal(boundShown(6864 + 1e-9), 6864)
  })
})

describe('solverFigures', () => {
  const stats = {
    objective: 10,
    constructed: 8,
    afterLocalSearch: 9,
    rounds: 12,
    improvingRounds: 3,
    stoppedBy: 'patience' as const,
    elapsedMs: 250,
    upperBound: 10.5,
    boundMs: 9,
  }

  it('keeps the time, the rounds, why the solver stopped and its proven bound', () => {
    assert.deepEqual(solverFigures(stats), { elapsedMs: 250, rounds: 12, stoppedBy: 'patience', upperBound: 10.5 })
  })

  it('keeps no bound that is not a number, which would prove nothing', () => {
    for (const upperBound of [Infinity, NaN])
      assert.equal('upperBound' in solverFigures({ ...stats, upperBound }), false)
  })
})
