import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  allocationRefusal,
  caseloadLimitOf,
  defaultPolicy,
  datesByPerson,
  deliveryOver,
  daysFromReception,
  isPastFirstContact,
  nextSessionDue,
  officersListed,
  OFFICERS_LISTED,
  policyProblems,
  recommendForWing,
  wellbeingFlags,
  type CheckInReading,
  type OfficerForAllocation,
  type OfficerWithCaseload,
} from './rules.ts'

const today = '2026-11-25'

function officer(overrides: Partial<OfficerForAllocation> = {}): OfficerForAllocation {
  return {
    staffUserId: 'o1',
    displayName: 'Sam Jones',
    role: 'keyworker',
    staffStatus: 'active',
    reactivationOn: null,
    caseloadLimitOverride: null,
    safeguardingExpiresOn: '2027-01-01',
    mentalHealthFirstAidExpiresOn: '2027-01-01',
    ...overrides,
  }
}

const room = { count: 3, limit: 6 }

describe('allocationRefusal', () => {
  const cases: [string, Partial<OfficerForAllocation>, { count: number; limit: number }, string | null][] = [
    ['accepts an officer with current training and room', {}, room, null],
    ['accepts an officer whose safeguarding training expires today', { safeguardingExpiresOn: today }, room, null],
    [
      'refuses an officer whose safeguarding training expired yesterday',
      { safeguardingExpiresOn: '2026-11-24' },
      room,
      'keywork.refusal.safeguarding',
    ],
    [
      'refuses an officer with no safeguarding training',
      { safeguardingExpiresOn: null },
      room,
      'keywork.refusal.safeguarding',
    ],
    [
      'accepts an officer whose mental health first aid expires today',
      { mentalHealthFirstAidExpiresOn: today },
      room,
      null,
    ],
    [
      'refuses an officer whose mental health first aid expired yesterday',
      { mentalHealthFirstAidExpiresOn: '2026-11-24' },
      room,
      'keywork.refusal.mentalHealthFirstAid',
    ],
    [
      'refuses an officer with no mental health first aid',
      { mentalHealthFirstAidExpiresOn: null },
      room,
      'keywork.refusal.mentalHealthFirstAid',
    ],
    [
      'refuses an officer on annual leave with no reactivation date',
      { staffStatus: 'annual-leave' },
      room,
      'keywork.refusal.unavailable',
    ],
    [
      'refuses an officer on long-term absence until tomorrow',
      { staffStatus: 'long-term-absence', reactivationOn: '2026-11-26' },
      room,
      'keywork.refusal.unavailable',
    ],
    [
      'accepts an officer whose reactivation date is today',
      { staffStatus: 'annual-leave', reactivationOn: today },
      room,
      null,
    ],
    [
      'accepts an officer whose reactivation date was yesterday',
      { staffStatus: 'no-prisoner-contact', reactivationOn: '2026-11-24' },
      room,
      null,
    ],
    ['refuses an inactive officer', { staffStatus: 'inactive' }, room, 'keywork.refusal.unavailable'],
    ['accepts an officer with one place left', {}, { count: 5, limit: 6 }, null],
    ['refuses an officer whose caseload is full', {}, { count: 6, limit: 6 }, 'keywork.refusal.full'],
    ['refuses an officer with a limit of 0', {}, { count: 0, limit: 0 }, 'keywork.refusal.full'],
  ]
  for (const [name, overrides, caseload, expected] of cases)
    it(name, () => {
      assert.equal(allocationRefusal(officer(overrides), today, caseload)?.messageKey ?? null, expected)
    })

  it('names the officer in each refusal, and the limit when full', () => {
    const refusal = allocationRefusal(officer(), today, { count: 9, limit: 9 })
    assert.deepEqual(refusal, {
      field: 'staffUserId',
      messageKey: 'keywork.refusal.full',
      values: { name: 'Sam Jones', limit: 9 },
    })
    assert.equal(allocationRefusal(officer({ safeguardingExpiresOn: null }), today, room)?.values?.name, 'Sam Jones')
  })
})

describe('caseloadLimitOf', () => {
  it('is the prison’s default without an officer’s own limit', () => {
    assert.equal(caseloadLimitOf({ caseloadLimitOverride: null }, defaultPolicy), 6)
  })
  it('is the officer’s own limit when set, even 0', () => {
    assert.equal(caseloadLimitOf({ caseloadLimitOverride: 9 }, defaultPolicy), 9)
    assert.equal(caseloadLimitOf({ caseloadLimitOverride: 0 }, defaultPolicy), 0)
  })
  it('never goes above the prison’s extended caseload', () => {
    assert.equal(caseloadLimitOf({ caseloadLimitOverride: 10 }, defaultPolicy), 9)
    assert.equal(caseloadLimitOf({ caseloadLimitOverride: 12 }, { ...defaultPolicy, caseloadExtended: 12 }), 12)
  })
})

describe('recommendForWing', () => {
  const entry = (id: string, name: string, count: number, limit = 6, overrides: Partial<OfficerForAllocation> = {}) =>
    ({
      officer: officer({ staffUserId: id, displayName: name, ...overrides }),
      caseload: { count, limit },
    }) satisfies OfficerWithCaseload
  const person = (personId: string, needsSpecialistAllocation = false) => ({ personId, needsSpecialistAllocation })

  /** Whom p1 is recommended, Bea having been their officer before. */
  const withBeaBefore = (alex: OfficerWithCaseload, bea: OfficerWithCaseload) =>
    recommendForWing([person('p1')], [alex, bea], new Map([['p1', ['b']]]), today)

  it('prefers a previous officer still eligible and under capacity (continuity)', () => {
    assert.deepEqual(withBeaBefore(entry('a', 'Alex', 0), entry('b', 'Bea', 5)), [
      { personId: 'p1', staffUserId: 'b', reason: 'continuity' },
    ])
  })

  it('passes over a previous officer whose caseload is full', () => {
    assert.deepEqual(withBeaBefore(entry('a', 'Alex', 0), entry('b', 'Bea', 6)), [
      { personId: 'p1', staffUserId: 'a', reason: 'lowest-ratio' },
    ])
  })

  it('passes over a previous officer whose training has lapsed', () => {
    const lapsed = entry('b', 'Bea', 0, 6, { safeguardingExpiresOn: '2026-11-24' })
    assert.deepEqual(withBeaBefore(entry('a', 'Alex', 2), lapsed), [
      { personId: 'p1', staffUserId: 'a', reason: 'lowest-ratio' },
    ])
  })

  it('chooses the lowest caseload-to-capacity ratio, not the fewest people', () => {
    // Alex 3/9 = 0.33, Bea 2/4 = 0.5
    const result = recommendForWing(
      [person('p1')],
      [entry('b', 'Bea', 2, 4), entry('a', 'Alex', 3, 9)],
      new Map(),
      today,
    )
    assert.equal(result[0]?.staffUserId, 'a')
  })

  it('never recommends an ineligible officer, even an empty one', () => {
    const result = recommendForWing(
      [person('p1')],
      [entry('a', 'Alex', 0, 6, { staffStatus: 'annual-leave' }), entry('b', 'Bea', 5)],
      new Map(),
      today,
    )
    assert.equal(result[0]?.staffUserId, 'b')
  })

  it('leaves out people needing a specialist', () => {
    const result = recommendForWing([person('p1', true)], [entry('a', 'Alex', 0)], new Map(), today)
    assert.deepEqual(result, [{ personId: 'p1', staffUserId: null, reason: 'specialist' }])
  })

  it('says when no officer is eligible', () => {
    const result = recommendForWing([person('p1')], [entry('a', 'Alex', 6)], new Map(), today)
    assert.deepEqual(result, [{ personId: 'p1', staffUserId: null, reason: 'no-eligible-officer' }])
  })

  it('counts each placement towards the next and spreads a wing evenly', () => {
    const result = recommendForWing(
      [person('p1'), person('p2'), person('p3')],
      [entry('a', 'Alex', 0, 2), entry('b', 'Bea', 0, 2)],
      new Map(),
      today,
    )
    assert.deepEqual(
      result.map((r) => r.staffUserId),
      ['a', 'b', 'a'],
    )
  })

  it('breaks ties by name, then by id, whatever the order given', () => {
    const officers = [entry('z', 'Cat', 1), entry('y', 'Bea', 1), entry('x', 'Bea', 1)]
    assert.equal(recommendForWing([person('p1')], officers, new Map(), today)[0]?.staffUserId, 'x')
    assert.equal(recommendForWing([person('p1')], [...officers].reverse(), new Map(), today)[0]?.staffUserId, 'x')
  })
})

describe('nextSessionDue', () => {
  it('is the interval after the last session', () => {
    assert.equal(nextSessionDue('2026-11-20', '2026-10-01', 7), '2026-11-27')
  })
  it('is the interval after allocation when there has been no session', () => {
    assert.equal(nextSessionDue(null, '2026-11-20', 7), '2026-11-27')
  })
})

describe('datesByPerson', () => {
  it('gathers each person’s dates in the order held', () => {
    const dates = datesByPerson([
      { personId: 'a', heldOn: '2026-11-02' },
      { personId: 'b', heldOn: '2026-11-03' },
      { personId: 'a', heldOn: '2026-11-09' },
    ])
    assert.deepEqual(
      [...dates],
      [
        ['a', ['2026-11-02', '2026-11-09']],
        ['b', ['2026-11-03']],
      ],
    )
  })
})

describe('deliveryOver', () => {
  const period = { from: '2026-11-01', to: '2026-11-28' }
  it('counts one session due per interval of the days allocated in the period', () => {
    assert.deepEqual(deliveryOver([{ personId: 'p', coveredFrom: '2026-10-01', sessionDates: [] }], period, 7), {
      due: 4,
      held: 0,
      heldWhenDue: 0,
      complianceRate: 0,
    })
  })
  it('counts a part interval as nothing due: 6 days is none, 7 days is one', () => {
    const six = deliveryOver([{ personId: 'p', coveredFrom: '2026-11-23', sessionDates: [] }], period, 7)
    const seven = deliveryOver([{ personId: 'p', coveredFrom: '2026-11-22', sessionDates: [] }], period, 7)
    assert.equal(six.due, 0)
    assert.equal(six.complianceRate, null)
    assert.equal(seven.due, 1)
  })
  it('counts sessions held in the period only, for a compliance rate of held over due', () => {
    const result = deliveryOver(
      [
        {
          personId: 'p',
          coveredFrom: '2026-10-01',
          sessionDates: ['2026-10-31', '2026-11-01', '2026-11-15', '2026-11-29'],
        },
      ],
      period,
      7,
    )
    assert.deepEqual(result, { due: 4, held: 2, heldWhenDue: 2, complianceRate: 0.5 })
  })
  it('counts no more held when due than due for each person, so one person’s extra sessions never cover another’s', () => {
    const result = deliveryOver(
      [
        { personId: 'often', coveredFrom: '2026-11-15', sessionDates: ['2026-11-16', '2026-11-18', '2026-11-20'] },
        { personId: 'new', coveredFrom: '2026-11-25', sessionDates: ['2026-11-26'] },
        { personId: 'missed', coveredFrom: '2026-11-15', sessionDates: [] },
      ],
      period,
      7,
    )
    assert.deepEqual(result, { due: 4, held: 4, heldWhenDue: 2, complianceRate: 1 })
  })
})

describe('wellbeingFlags', () => {
  const reading = (recordedOn: string, values: Partial<Omit<CheckInReading, 'recordedOn'>> = {}): CheckInReading => ({
    recordedOn,
    mood: 4,
    sleep: 4,
    familyContact: 4,
    worries: 4,
    ...values,
  })
  const flags = (readings: CheckInReading[], lastSessionOn: string | null = '2026-11-20') =>
    wellbeingFlags(readings, lastSessionOn, '2026-10-01', today, 7)

  it('raises nothing for steady readings', () => {
    assert.deepEqual(flags([reading('2026-11-13'), reading('2026-11-20')]), [])
  })
  it('flags a drop of 2 on one scale since the previous check-in, saying which and from what to what', () => {
    assert.deepEqual(flags([reading('2026-11-13', { sleep: 4 }), reading('2026-11-20', { sleep: 2 })]), [
      { kind: 'drop', scale: 'sleep', from: 4, to: 2 },
    ])
  })
  it('does not flag a drop of 1', () => {
    assert.deepEqual(flags([reading('2026-11-13', { mood: 4 }), reading('2026-11-20', { mood: 3 })]), [])
  })
  it('compares only the latest two check-ins', () => {
    assert.deepEqual(
      flags([
        reading('2026-11-06', { mood: 5 }),
        reading('2026-11-13', { mood: 3 }),
        reading('2026-11-20', { mood: 3 }),
      ]),
      [],
    )
  })
  it('flags three low readings in a row on one scale', () => {
    const low = { worries: 2 }
    assert.deepEqual(flags([reading('2026-11-06', low), reading('2026-11-13', low), reading('2026-11-20', low)]), [
      { kind: 'low-run', scale: 'worries' },
    ])
  })
  it('does not flag two low readings in a row', () => {
    assert.deepEqual(flags([reading('2026-11-13', { worries: 2 }), reading('2026-11-20', { worries: 2 })]), [])
  })
  it('does not count a reading of 3 as low', () => {
    const readings = [
      reading('2026-11-06', { familyContact: 2 }),
      reading('2026-11-13', { familyContact: 3 }),
      reading('2026-11-20', { familyContact: 2 }),
    ]
    assert.deepEqual(flags(readings), [])
  })
  it('does not flag low readings on different scales', () => {
    const readings = [
      reading('2026-11-06', { mood: 2 }),
      reading('2026-11-13', { sleep: 2, mood: 2 }),
      reading('2026-11-20', { sleep: 2, mood: 3 }),
    ]
    assert.deepEqual(flags(readings), [])
  })
  it('flags missed sessions after more than twice the interval with no session', () => {
    assert.deepEqual(flags([], '2026-11-10'), [{ kind: 'missed-sessions', days: 15 }])
  })
  it('does not flag missed sessions at exactly twice the interval', () => {
    assert.deepEqual(flags([], '2026-11-11'), [])
  })
  it('counts from allocation when there has been no session yet', () => {
    assert.deepEqual(wellbeingFlags([], null, '2026-11-10', today, 7), [{ kind: 'missed-sessions', days: 15 }])
    assert.deepEqual(wellbeingFlags([], null, '2026-11-11', today, 7), [])
  })
  it('raises no missed-session flag for a person with no officer and no session', () => {
    assert.deepEqual(wellbeingFlags([], null, null, today, 7), [])
  })
})

describe('J2: first contact', () => {
  it('counts days from reception, or null when it has not happened', () => {
    assert.equal(daysFromReception('2026-11-01', '2026-11-04'), 3)
    assert.equal(daysFromReception('2026-11-01', null), null)
  })
  it('lists a person with no session more than the threshold after reception', () => {
    assert.equal(isPastFirstContact('2026-11-17', null, today, 7), true)
  })
  it('does not list a person exactly at the threshold', () => {
    assert.equal(isPastFirstContact('2026-11-18', null, today, 7), false)
  })
  it('does not list a person who has had a session', () => {
    assert.equal(isPastFirstContact('2026-11-01', '2026-11-20', today, 7), false)
  })
})

describe('policyProblems', () => {
  it('accepts an extended caseload equal to the default', () => {
    assert.deepEqual(policyProblems({ ...defaultPolicy, caseloadDefault: 6, caseloadExtended: 6 }), [])
  })
  it('refuses an extended caseload below the default', () => {
    assert.deepEqual(
      policyProblems({ ...defaultPolicy, caseloadDefault: 6, caseloadExtended: 5 }).map((p) => p.field),
      ['caseloadExtended'],
    )
  })
})

describe('officersListed', () => {
  const officer = (name: string, complianceRate: number | null) => ({ name, complianceRate })
  const names = (listed: { shown: { name: string }[] }) => listed.shown.map((shown) => shown.name)

  it('lists every officer, in the order given, while there are no more than it lists, or when all are asked for', () => {
    const few = [officer('Ann', 0.9), officer('Bea', 0.1)]
    assert.deepEqual(names(officersListed(few, false)), ['Ann', 'Bea'])
    const many = Array.from({ length: OFFICERS_LISTED + 1 }, (_, n) => officer(`Officer ${n}`, n / 100))
    const all = officersListed(many, true)
    assert.deepEqual([all.of, all.shown.length], ['all', OFFICERS_LISTED + 1])
  })

  it('lists the lowest compliance first when there are more, those with no session due last', () => {
    const many = Array.from({ length: OFFICERS_LISTED + 2 }, (_, n) =>
      officer(`Officer ${n}`, n === 0 ? null : 1 - n / 100),
    )
    const listed = officersListed(many, false)
    assert.equal(listed.of, 'lowest-compliance')
    assert.equal(listed.shown.length, OFFICERS_LISTED)
    assert.equal(names(listed)[0], `Officer ${OFFICERS_LISTED + 1}`)
    assert.ok(!names(listed).includes('Officer 0'), 'no session due: no rate to be low')
  })
})
