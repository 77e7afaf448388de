import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { attendanceRefusal, caseManagerChangeRefusal, closureChecklist, closureRefusal } from './reviews.ts'

const at = (text: string) => new Date(text)

describe('attendanceRefusal', () => {
  const present = {
    personPresent: true,
    personAbsentReason: '',
    healthcarePresent: true,
    healthcareInput: '',
    healthcareAbsentReason: '',
  }
  it('needs to know whether the person attended, and why not when they did not', () => {
    assert.equal(attendanceRefusal('scheduled', { ...present, personPresent: null })?.field, 'personPresent')
    assert.equal(attendanceRefusal('scheduled', { ...present, personPresent: false })?.field, 'personAbsentReason')
    assert.equal(
      attendanceRefusal('scheduled', {
        ...present,
        personPresent: false,
        personAbsentReason: 'Asleep after medication',
      }),
      null,
    )
  })
  it('needs healthcare at the first review and at closure: attending, written input, or why neither', () => {
    const without = { ...present, healthcarePresent: false }
    for (const kind of ['first', 'closure'] as const) {
      assert.equal(attendanceRefusal(kind, without)?.messageKey, 'carePlans.review.error.healthcare')
      assert.equal(
        attendanceRefusal(kind, { ...without, healthcareInput: 'No mental health concerns since Monday' }),
        null,
      )
      assert.equal(
        attendanceRefusal(kind, { ...without, healthcareAbsentReason: 'Nurse called to an emergency' }),
        null,
      )
    }
    assert.equal(attendanceRefusal('scheduled', without), null)
  })
})

describe('caseManagerChangeRefusal', () => {
  it('lets the first review appoint anyone, and keeps the same manager without a word', () => {
    assert.equal(caseManagerChangeRefusal(null, 'a', ''), null)
    assert.equal(caseManagerChangeRefusal('a', 'a', ''), null)
  })
  it('needs a reason to hand the plan to another case manager', () => {
    assert.equal(caseManagerChangeRefusal('a', 'b', ' ')?.field, 'caseManagerChangeReason')
    assert.equal(caseManagerChangeRefusal('a', 'b', 'Moved to nights'), null)
  })
})

describe('closureChecklist', () => {
  const facts = {
    heldAt: at('2026-12-01T10:00:00Z'),
    openActions: 0,
    riskLevel: 'low' as const,
    receivedAt: null,
    healthcareGaveInput: true,
    personView: 'Feels settled, working in the gardens',
  }
  it('passes a plan whose every item is met', () => {
    assert.equal(closureRefusal(closureChecklist(facts, {})), null)
  })
  it('refuses each item not met until a reason is written for it', () => {
    const cases = [
      [{ openActions: 1 }, 'care-map'],
      [{ personView: '' }, 'person-view'],
      [{ healthcareGaveInput: false }, 'healthcare'],
      [{ receivedAt: at('2026-11-28T10:00:00Z') }, 'since-arrival'],
      [{ riskLevel: 'raised' as const }, 'risk-level'],
    ] as const
    for (const [change, check] of cases) {
      const items = closureChecklist({ ...facts, ...change }, {})
      assert.equal(closureRefusal(items)?.field, `closure-${check}`)
      assert.equal(
        closureRefusal(closureChecklist({ ...facts, ...change }, { [check]: 'Handed on to the wing' })),
        null,
      )
    }
  })
  it('counts the whole days since a transfer', () => {
    const items = closureChecklist({ ...facts, receivedAt: at('2026-11-24T09:00:00Z') }, {})
    assert.deepEqual(
      items.find((item) => item.check === 'since-arrival'),
      { check: 'since-arrival', met: true, reason: '', daysSinceArrival: 7 },
    )
  })
})
