import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { JourneyStageName } from '../../db/schema.ts'
import {
  allowedNextStages,
  handoverKind,
  isAllowedTransition,
  isToChase,
  needsNamedPerson,
  responsibilityGaps,
  responsibleNow,
} from './rules.ts'

const officer = { staffUserId: 'o1', displayName: 'Sam Officer' }
const dedicated = { staffUserId: 'k1', displayName: 'Kim Keyworker' }

describe('isAllowedTransition', () => {
  const cases: [JourneyStageName | null, JourneyStageName, boolean][] = [
    [null, 'reception', true],
    [null, 'residential', true],
    [null, 'release', false],
    [null, 'transfer-in', false],
    ['reception', 'first-night', true],
    ['reception', 'induction', false],
    ['reception', 'release', true],
    ['first-night', 'induction', true],
    ['first-night', 'residential', false],
    ['induction', 'residential', true],
    ['induction', 'reception', false],
    ['residential', 'release', true],
    ['residential', 'transfer-out', false],
    ['residential', 'induction', false],
    ['transfer-in', 'first-night', true],
    ['transfer-in', 'residential', true],
    ['transfer-in', 'transfer-out', false],
    ['transfer-out', 'residential', false],
    ['release', 'reception', true],
    ['release', 'residential', false],
    ['reception', 'reception', true],
    ['first-night', 'first-night', true],
    ['induction', 'induction', true],
    ['transfer-in', 'transfer-in', true],
    ['residential', 'residential', false],
    ['transfer-out', 'transfer-out', false],
    ['release', 'release', false],
  ]
  for (const [from, to, allowed] of cases)
    it(`${allowed ? 'allows' : 'refuses'} ${from ?? 'no journey'} to ${to}`, () => {
      assert.equal(isAllowedTransition(from, to), allowed)
      assert.equal(allowedNextStages(from).includes(to), allowed)
    })

  it('never offers a transfer by hand: a handover records it', () => {
    for (const from of [
      null,
      'reception',
      'first-night',
      'induction',
      'residential',
      'transfer-in',
      'release',
    ] as const)
      for (const stage of allowedNextStages(from))
        assert.ok(!stage.startsWith('transfer') || stage === from, `${from} offers ${stage}`)
  })

  it('offers the current stage first, to name someone new without moving on', () => {
    assert.deepEqual(allowedNextStages('induction'), ['induction', 'residential', 'release'])
  })
})

describe('needsNamedPerson', () => {
  it('needs a named person at every stage but release', () => {
    assert.equal(needsNamedPerson('reception'), true)
    assert.equal(needsNamedPerson('transfer-in'), true)
    assert.equal(needsNamedPerson('release'), false)
  })
})

describe('responsibleNow', () => {
  const cases: {
    name: string
    stage: JourneyStageName | null
    named: typeof officer | null
    dedicatedOfficer: typeof dedicated | null
    expected: ReturnType<typeof responsibleNow>
  }[] = [
    {
      name: 'names the reception officer at reception',
      stage: 'reception',
      named: officer,
      dedicatedOfficer: dedicated,
      expected: { kind: 'responsible', role: 'reception-officer', person: officer },
    },
    {
      name: 'names the first-night officer on the first night',
      stage: 'first-night',
      named: officer,
      dedicatedOfficer: null,
      expected: { kind: 'responsible', role: 'first-night-officer', person: officer },
    },
    {
      name: 'names the induction officer at induction, not the dedicated officer',
      stage: 'induction',
      named: officer,
      dedicatedOfficer: dedicated,
      expected: { kind: 'responsible', role: 'induction-officer', person: officer },
    },
    {
      name: 'is a gap at induction with no named person',
      stage: 'induction',
      named: null,
      dedicatedOfficer: dedicated,
      expected: { kind: 'gap', gap: 'no-named-person' },
    },
    {
      name: 'names the dedicated officer on the wing, whoever moved the person there',
      stage: 'residential',
      named: officer,
      dedicatedOfficer: dedicated,
      expected: { kind: 'responsible', role: 'dedicated-officer', person: dedicated },
    },
    {
      name: 'is a gap on the wing with no dedicated officer, even with a named person',
      stage: 'residential',
      named: officer,
      dedicatedOfficer: null,
      expected: { kind: 'gap', gap: 'no-dedicated-officer' },
    },
    {
      name: 'names the receiving officer after a transfer in',
      stage: 'transfer-in',
      named: officer,
      dedicatedOfficer: null,
      expected: { kind: 'responsible', role: 'reception-officer', person: officer },
    },
    {
      name: 'is a gap when no journey is recorded',
      stage: null,
      named: null,
      dedicatedOfficer: dedicated,
      expected: { kind: 'gap', gap: 'no-journey' },
    },
    {
      name: 'is no gap once the person is released',
      stage: 'release',
      named: null,
      dedicatedOfficer: null,
      expected: { kind: 'released' },
    },
  ]
  for (const { name, stage, named, dedicatedOfficer, expected } of cases)
    it(name, () => assert.deepEqual(responsibleNow(stage, named, dedicatedOfficer), expected))
})

describe('responsibilityGaps', () => {
  it('lists only the gaps, the longest-waiting first', () => {
    const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T09:00:00Z`)
    const gaps = responsibilityGaps([
      { id: 'covered', stage: 'reception', namedPerson: officer, dedicatedOfficer: null, since: at(1) },
      { id: 'newest', stage: 'reception', namedPerson: null, dedicatedOfficer: null, since: at(20) },
      { id: 'oldest', stage: null, namedPerson: null, dedicatedOfficer: null, since: at(2) },
      { id: 'wing', stage: 'residential', namedPerson: officer, dedicatedOfficer: null, since: at(10) },
      { id: 'released', stage: 'release', namedPerson: null, dedicatedOfficer: null, since: at(3) },
    ])
    assert.deepEqual(
      gaps.map((gap) => [gap.id, gap.gap]),
      [
        ['oldest', 'no-journey'],
        ['wing', 'no-dedicated-officer'],
        ['newest', 'no-named-person'],
      ],
    )
  })
})

describe('handoverKind', () => {
  it('marks a move from a young offender institution to an adult prison as youth-to-adult', () => {
    assert.equal(handoverKind('young-offender', 'training'), 'youth-to-adult')
  })
  it('keeps a move between two young offender institutions a transfer', () => {
    assert.equal(handoverKind('young-offender', 'young-offender'), 'transfer')
  })
  it('keeps a move between adult prisons a transfer', () => {
    assert.equal(handoverKind('reception', 'training'), 'transfer')
  })
})

describe('isToChase', () => {
  const createdAt = new Date('2026-11-20T09:00:00Z')
  const pending = { createdAt, acknowledgedAt: null, refusedAt: null }
  it('chases a handover unanswered for exactly the chase days', () => {
    assert.equal(isToChase(pending, 2, new Date('2026-11-22T09:00:00Z')), true)
  })
  it('does not chase one a minute short of the chase days', () => {
    assert.equal(isToChase(pending, 2, new Date('2026-11-22T08:59:00Z')), false)
  })
  it('does not chase again until the chase days have passed since the last chase', () => {
    const chased = { ...pending, lastChasedAt: new Date('2026-11-22T09:00:00Z') }
    assert.equal(isToChase(chased, 2, new Date('2026-11-24T08:59:00Z')), false)
    assert.equal(isToChase(chased, 2, new Date('2026-11-24T09:00:00Z')), true)
  })
  it('does not chase an acknowledged handover', () => {
    assert.equal(isToChase({ ...pending, acknowledgedAt: createdAt }, 2, new Date('2026-11-30T09:00:00Z')), false)
  })
  it('does not chase a refused handover', () => {
    assert.equal(isToChase({ ...pending, refusedAt: createdAt }, 2, new Date('2026-11-30T09:00:00Z')), false)
  })
})
