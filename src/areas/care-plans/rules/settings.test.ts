import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  clockStartsAt,
  defaultSettings,
  openingDeadlines,
  postClosureReviewDue,
  reviewDueAfterArrival,
  riskNamesIn,
  settingLimits,
  settingsProblems,
} from './settings.ts'

const at = (text: string) => new Date(text)

describe('openingDeadlines', () => {
  it('gives an immediate action plan 1 hour and the assessment and first case review 24 hours by ACCT v6', () => {
    const deadlines = openingDeadlines(at('2026-11-25T10:00:00Z'), defaultSettings)
    assert.deepEqual(deadlines, {
      immediateActionDueAt: at('2026-11-25T11:00:00Z'),
      assessmentDueAt: at('2026-11-26T10:00:00Z'),
      firstReviewDueAt: at('2026-11-26T10:00:00Z'),
    })
  })

  it('follows a prison’s own timings', () => {
    const deadlines = openingDeadlines(at('2026-11-25T10:00:00Z'), {
      ...defaultSettings,
      immediateActionMinutes: 30,
      assessmentHours: 12,
      firstReviewHours: 48,
    })
    assert.equal(deadlines.immediateActionDueAt.toISOString(), '2026-11-25T10:30:00.000Z')
    assert.equal(deadlines.assessmentDueAt.toISOString(), '2026-11-25T22:00:00.000Z')
    assert.equal(deadlines.firstReviewDueAt.toISOString(), '2026-11-27T10:00:00.000Z')
  })

  it('sets the post-closure review 7 days after closure and the review after a transfer 24 hours after arrival', () => {
    assert.equal(
      postClosureReviewDue(at('2026-11-25T10:00:00Z'), defaultSettings).toISOString(),
      '2026-12-02T10:00:00.000Z',
    )
    assert.equal(
      reviewDueAfterArrival(at('2026-11-25T10:00:00Z'), defaultSettings).toISOString(),
      '2026-11-26T10:00:00.000Z',
    )
  })
})

describe('the policy’s ceilings on a prison’s times', () => {
  it('lets a prison tighten the times but not loosen them past ACCT v6', () => {
    assert.deepEqual(settingLimits.immediateActionMinutes, [5, 60])
    assert.deepEqual(settingLimits.assessmentHours, [1, 24])
    assert.deepEqual(settingLimits.firstReviewHours, [1, 24])
  })
})

describe('clockStartsAt', () => {
  const raisedAt = at('2026-11-25T09:00:00Z')
  const openedAt = at('2026-11-25T11:30:00Z')
  it('starts the clock when a concern of suicide or self-harm risk was raised', () => {
    assert.equal(clockStartsAt(openedAt, { raisedAt, indicatesSelfHarmRisk: true }), raisedAt)
    assert.deepEqual(
      openingDeadlines(clockStartsAt(openedAt, { raisedAt, indicatesSelfHarmRisk: true }), defaultSettings)
        .immediateActionDueAt,
      at('2026-11-25T10:00:00Z'),
    )
  })
  it('starts it at opening for any other concern, or none', () => {
    assert.equal(clockStartsAt(openedAt, { raisedAt, indicatesSelfHarmRisk: false }), openedAt)
    assert.equal(clockStartsAt(openedAt, null), openedAt)
  })
})

describe('settingsProblems', () => {
  it('accepts the defaults', () => assert.deepEqual(settingsProblems(defaultSettings), []))
  it('refuses a night that starts when the day does', () => {
    assert.equal(settingsProblems({ ...defaultSettings, nightStartsHour: 8 })[0]?.field, 'nightStartsHour')
  })
  it('refuses two risk levels with the same name', () => {
    const problems = settingsProblems({ ...defaultSettings, riskNames: { low: 'Low', raised: 'low', high: 'high' } })
    assert.equal(problems[0]?.messageKey, 'carePlans.settings.error.sameNames')
  })
  it('refuses two risk levels with the same Welsh name, beside the Welsh fields', () => {
    const problems = settingsProblems({
      ...defaultSettings,
      riskNamesCy: { low: 'isel', raised: 'Uchel', high: 'uchel' },
    })
    assert.deepEqual(
      problems.map((problem) => [problem.field, problem.messageKey]),
      [['riskHighCy', 'carePlans.settings.error.sameNames']],
    )
  })
})

describe('riskNamesIn', () => {
  const settings = {
    riskNames: { low: 'green', raised: 'amber', high: 'red' },
    riskNamesCy: { low: 'gwyrdd', raised: 'ambr', high: 'coch' },
  }
  it('gives the prison’s Welsh names to a Welsh reader and its English names to everyone else', () => {
    assert.equal(riskNamesIn('cy', settings).raised, 'ambr')
    assert.equal(riskNamesIn('en', settings).raised, 'amber')
  })
  it('starts a prison with the ACCT names in both languages', () => {
    assert.deepEqual(riskNamesIn('cy', defaultSettings), { low: 'isel', raised: 'uwch', high: 'uchel' })
  })
})
