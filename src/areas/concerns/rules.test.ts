import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  actRefusal,
  countsAsReceipt,
  defaultConcernPolicy,
  effectiveUrgency,
  escalateAt,
  isDueToEscalate,
  mayAct,
  maySeeDetail,
  namesIn,
  policyProblems,
  recipientsOf,
  statusOf,
} from './rules.ts'

const raisedAt = new Date('2026-11-25T10:00:00Z')
const minutesLater = (minutes: number) => new Date(raisedAt.getTime() + minutes * 60_000)

describe('escalateAt', () => {
  for (const [urgency, minutes] of [
    ['immediate', 15],
    ['today', 240],
    ['can-wait', 1440],
  ] as const)
    it(`gives an ${urgency} concern ${minutes} minutes by default`, () => {
      assert.deepEqual(escalateAt(raisedAt, urgency, defaultConcernPolicy), minutesLater(minutes))
    })

  it('follows the prison’s own times', () => {
    const policy = { immediateMinutes: 10, todayMinutes: 120, canWaitMinutes: 720 }
    assert.deepEqual(escalateAt(raisedAt, 'today', policy), minutesLater(120))
  })
})

describe('effectiveUrgency', () => {
  it('makes a concern about someone not safe right now immediate, whatever the raiser chose', () => {
    assert.equal(effectiveUrgency('can-wait', 'no'), 'immediate')
  })
  it('keeps the raiser’s choice when the person is safe or they are not sure', () => {
    assert.equal(effectiveUrgency('can-wait', 'yes'), 'can-wait')
    assert.equal(effectiveUrgency('today', 'not-sure'), 'today')
  })
})

describe('isDueToEscalate', () => {
  const open = { actedAt: null, escalatedAt: null, escalateAt: minutesLater(15) }
  it('escalates an unacted concern at its time to the minute', () => {
    assert.equal(isDueToEscalate(open, minutesLater(15)), true)
  })
  it('leaves it a minute before', () => {
    assert.equal(isDueToEscalate(open, minutesLater(14)), false)
  })
  it('never escalates one someone acted on, or one already escalated', () => {
    assert.equal(isDueToEscalate({ ...open, actedAt: minutesLater(5) }, minutesLater(60)), false)
    assert.equal(isDueToEscalate({ ...open, escalatedAt: minutesLater(16) }, minutesLater(60)), false)
  })
})

describe('policyProblems', () => {
  it('accepts the defaults', () => {
    assert.deepEqual(policyProblems(defaultConcernPolicy), [])
  })
  it('refuses a time of no minutes and names the field', () => {
    assert.deepEqual(
      policyProblems({ ...defaultConcernPolicy, immediateMinutes: 0 }).map((problem) => problem.field),
      ['immediateMinutes'],
    )
  })
  it('refuses concerns for today with less time than immediate ones', () => {
    assert.deepEqual(policyProblems({ immediateMinutes: 30, todayMinutes: 20, canWaitMinutes: 1440 }), [
      { field: 'todayMinutes', messageKey: 'concerns.settings.error.todayOrder' },
    ])
  })
  it('accepts equal times on both sides of the order', () => {
    assert.deepEqual(policyProblems({ immediateMinutes: 60, todayMinutes: 60, canWaitMinutes: 60 }), [])
  })
})

describe('maySeeDetail', () => {
  const raiser = 'raiser-id'
  const sensitive = { isSensitive: true, raisedBy: raiser }
  const ordinary = { isSensitive: false, raisedBy: raiser }
  it('shows a sensitive concern to safer custody and healthcare only', () => {
    assert.equal(maySeeDetail({ id: 'x', role: 'safercustody' }, sensitive), true)
    assert.equal(maySeeDetail({ id: 'x', role: 'healthcare' }, sensitive), true)
    for (const role of ['officer', 'keyworker', 'governor', 'admin', 'partner', 'monitor', 'chaplain'] as const)
      assert.equal(maySeeDetail({ id: 'x', role }, sensitive), false, role)
  })
  it('hides a sensitive concern even from the partner worker who raised it', () => {
    assert.equal(maySeeDetail({ id: raiser, role: 'partner' }, sensitive), false)
  })
  it('shows an ordinary concern to those who act on concerns and to its raiser', () => {
    assert.equal(maySeeDetail({ id: 'x', role: 'officer' }, ordinary), true)
    assert.equal(maySeeDetail({ id: raiser, role: 'partner' }, ordinary), true)
  })
  it('hides an ordinary concern from a partner worker who did not raise it', () => {
    assert.equal(maySeeDetail({ id: 'x', role: 'partner' }, ordinary), false)
    assert.equal(maySeeDetail({ id: 'x', role: 'monitor' }, ordinary), false)
  })
})

describe('mayAct and actRefusal', () => {
  const open = { isSensitive: false, raisedBy: 'r', actedAt: null }
  it('lets an officer act on an open concern, not a partner worker who raised it', () => {
    assert.equal(mayAct({ id: 'o', role: 'officer' }, open), true)
    assert.equal(mayAct({ id: 'r', role: 'partner' }, open), false)
  })
  it('lets nobody act twice', () => {
    assert.equal(mayAct({ id: 'o', role: 'safercustody' }, { ...open, actedAt: raisedAt }), false)
    assert.equal(actRefusal({ actedAt: raisedAt }, { outcome: 'spoke-with-person', note: '' })?.field, 'outcome')
  })
  it('asks why when there is to be no further action', () => {
    assert.deepEqual(actRefusal({ actedAt: null }, { outcome: 'no-further-action', note: '  ' }), {
      field: 'note',
      messageKey: 'concerns.act.error.reason',
    })
    assert.equal(actRefusal({ actedAt: null }, { outcome: 'no-further-action', note: 'Seen, settled' }), null)
  })
  it('leaves no further action on a concern of suicide or self-harm risk to a safer custody lead or the orderly officer', () => {
    const atRisk = { actedAt: null, indicatesSelfHarmRisk: true }
    const nothingMore = { outcome: 'no-further-action' as const, note: 'Seen, settled' }
    assert.deepEqual(actRefusal(atRisk, nothingMore, { role: 'officer' }), {
      field: 'outcome',
      messageKey: 'concerns.act.error.managerDecides',
    })
    assert.equal(actRefusal(atRisk, nothingMore, { role: 'safercustody' }), null)
    assert.equal(actRefusal(atRisk, nothingMore, { role: 'governor' }), null)
    assert.equal(actRefusal(atRisk, { ...nothingMore, note: '' }, { role: 'governor' })?.field, 'note')
    assert.equal(actRefusal(atRisk, { outcome: 'spoke-with-person', note: '' }, { role: 'officer' }), null)
  })
  it('needs no note to say they spoke with the person', () => {
    assert.equal(actRefusal({ actedAt: null }, { outcome: 'spoke-with-person', note: '' }), null)
  })
})

describe('statusOf and countsAsReceipt', () => {
  it('moves from sent to received to acted on', () => {
    assert.equal(statusOf({ receivedAt: null, actedAt: null }), 'sent')
    assert.equal(statusOf({ receivedAt: raisedAt, actedAt: null }), 'received')
    assert.equal(statusOf({ receivedAt: raisedAt, actedAt: raisedAt }), 'acted-on')
  })
  it('counts an opening by someone who acts on concerns as receipt, never the raiser’s own', () => {
    assert.equal(countsAsReceipt({ id: 'o', role: 'officer' }, { raisedBy: 'r' }), true)
    assert.equal(countsAsReceipt({ id: 'r', role: 'officer' }, { raisedBy: 'r' }), false)
    assert.equal(countsAsReceipt({ id: 'a', role: 'admin' }, { raisedBy: 'r' }), false)
  })
})

describe('recipientsOf', () => {
  it('tells the responsible officer and every safer custody lead once each', () => {
    assert.deepEqual(recipientsOf('officer', ['lead-1', 'lead-2', 'officer']), ['officer', 'lead-1', 'lead-2'])
  })
  it('tells safer custody alone when nobody is named as responsible', () => {
    assert.deepEqual(recipientsOf(null, ['lead-1']), ['lead-1'])
  })
})

describe('namesIn', () => {
  const cases: [string, { firstName: string; lastName: string }[]][] = [
    ['Dean Morgan', [{ firstName: 'Dean', lastName: 'Morgan' }]],
    ['  dean   morgan ', [{ firstName: 'dean', lastName: 'morgan' }]],
    ['Morgan, Dean', [{ firstName: 'Dean', lastName: 'Morgan' }]],
    [
      'Mary Ann Jones',
      [
        { firstName: 'Mary', lastName: 'Ann Jones' },
        { firstName: 'Mary Ann', lastName: 'Jones' },
      ],
    ],
    ['Morgan', []],
    ['Morgan,', []],
    ['a, b, c', []],
    ['', []],
  ]
  for (const [typed, names] of cases)
    it(`reads ${JSON.stringify(typed)} as ${names.length} way(s) to split a name`, () => {
      assert.deepEqual(namesIn(typed), names)
    })
})
