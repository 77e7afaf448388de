import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { alertOf } from './alerts.ts'

const at = (text: string) => new Date(text)

describe('alertOf', () => {
  const openedAt = at('2026-11-20T10:00:00Z')
  it('is HA “ACCT open” while the plan is open', () => {
    assert.deepEqual(alertOf({ openedAt, closedAt: null, postClosureReviewedAt: null }), {
      code: 'HA',
      description: 'ACCT open',
      activeFrom: openedAt,
    })
  })
  it('is HA1 “ACCT post closure” after closure and HA2 “ACCT closed” after the post-closure review', () => {
    const closedAt = at('2026-11-24T10:00:00Z')
    assert.equal(alertOf({ openedAt, closedAt, postClosureReviewedAt: null }).code, 'HA1')
    assert.equal(alertOf({ openedAt, closedAt, postClosureReviewedAt: at('2026-12-01T10:00:00Z') }).code, 'HA2')
  })
})
