import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { londonDate } from '../../../platform/dates.ts'
import { alertUuidOf, hmppsAlertsOf, type PlanForAlerts } from './hmpps-alerts.ts'

const at = (iso: string) => new Date(iso)
const plan = (overrides: Partial<PlanForAlerts> = {}): PlanForAlerts => ({
  id: '3f0c1f8e-8a65-4c1e-9f6c-2d3b4a5c6d7e',
  prisonNumber: 'A1234BC',
  establishmentCode: 'NHI',
  openedAt: at('2026-06-30T23:30:00Z'),
  closedAt: null,
  postClosureReviewedAt: null,
  endedReason: null,
  ...overrides,
})
const summary = (alerts: ReturnType<typeof hmppsAlertsOf>) =>
  alerts.map((alert) =>
    `${alert.alertCode.code} ${alert.activeFrom}..${alert.activeTo ?? ''} ${alert.isActive ? 'active' : ''}`.trim(),
  )

describe('a care plan as HMPPS ACCT alerts', () => {
  it('is HA in force while open, dated by the UK day it was opened', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    assert.deepEqual(summary(hmppsAlertsOf(plan(), londonDate)), ['HA 2026-07-01.. active'])
  })

  it('ends HA and starts HA1 when closed, and ends HA1 with HA2 at the post-closure review', () => {
    const closed = plan({ closedAt: at('2026-07-10T10:00:00Z') })
    assert.deepEqual(summary(hmppsAlertsOf(closed, londonDate)), [
      'HA 2026-07-01..2026-07-10',
      'HA1 2026-07-10.. active',
    ])
    const reviewed = plan({ closedAt: at('2026-07-10T10:00:00Z'), postClosureReviewedAt: at('2026-07-17T10:00:00Z') })
    assert.deepEqual(summary(hmppsAlertsOf(reviewed, londonDate)), [
      'HA 2026-07-01..2026-07-10',
      'HA1 2026-07-10..2026-07-17',
      'HA2 2026-07-17..2026-07-17',
    ])
  })

  it('ends an open plan’s HA when the person leaves custody, with no post-closure stage', () => {
    const left = at('2026-07-05T09:00:00Z')
    const ended = plan({ closedAt: left, postClosureReviewedAt: left, endedReason: 'release' })
    assert.deepEqual(summary(hmppsAlertsOf(ended, londonDate)), [
      'HA 2026-07-01..2026-07-05',
      'HA2 2026-07-05..2026-07-05',
    ])
  })

  it('keeps one id per plan and stage, on every call, as a valid UUID', () => {
    const first = alertUuidOf(plan().id, 'HA')
    assert.equal(alertUuidOf(plan().id, 'HA'), first)
    assert.notEqual(alertUuidOf(plan().id, 'HA1'), first)
    assert.notEqual(alertUuidOf('another-plan', 'HA'), first)
    assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
