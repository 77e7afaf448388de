import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { byRiskAndUrgency } from './lists.ts'

describe('byRiskAndUrgency', () => {
  const plan = (name: string, riskLevel: 'low' | 'raised' | 'high' | null, ...dueAts: string[]) => ({
    name,
    riskLevel,
    dueAts: dueAts.map((dueAt) => new Date(dueAt)),
  })
  const names = (plans: readonly { name: string }[]) => plans.map((entry) => entry.name)

  it('puts the highest risk first, whatever is due', () => {
    const plans = [
      plan('Adams', 'low', '2026-12-03T07:32:00Z'),
      plan('Baker', 'raised', '2026-12-10T10:00:00Z'),
      plan('Clark', 'high', '2026-12-20T10:00:00Z'),
    ]
    assert.deepEqual(names(byRiskAndUrgency(plans)), ['Clark', 'Baker', 'Adams'])
  })
  it('puts a plan not yet reviewed, with no level, beside the high', () => {
    const plans = [
      plan('Adams', 'raised', '2026-12-03T07:32:00Z'),
      plan('Baker', null, '2026-12-05T10:00:00Z'),
      plan('Clark', 'high', '2026-12-04T10:00:00Z'),
    ]
    assert.deepEqual(names(byRiskAndUrgency(plans)), ['Clark', 'Baker', 'Adams'])
  })
  it('within a level, puts what has been overdue longest first, then what is due soonest', () => {
    const plans = [
      plan('Adams', 'raised', '2026-12-06T10:00:00Z'),
      plan('Baker', 'raised', '2026-12-05T10:00:00Z', '2026-12-03T07:32:00Z'),
      plan('Clark', 'raised', '2026-12-04T02:00:00Z'),
      plan('Davis', 'raised'),
    ]
    assert.deepEqual(names(byRiskAndUrgency(plans)), ['Baker', 'Clark', 'Adams', 'Davis'])
  })
  it('keeps the order it was given for plans at the same level and equally urgent', () => {
    const plans = [plan('Adams', 'low', '2026-12-06T10:00:00Z'), plan('Baker', 'low', '2026-12-06T10:00:00Z')]
    assert.deepEqual(names(byRiskAndUrgency(plans)), ['Adams', 'Baker'])
    assert.deepEqual(names(byRiskAndUrgency([plan('Davis', 'low'), plan('Evans', 'low')])), ['Davis', 'Evans'])
  })
})
