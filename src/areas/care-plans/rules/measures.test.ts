import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  daysAtEachLevel,
  deadlinePeriodInstants,
  deadlinePeriodRefusal,
  deadlinesMetOf,
  defaultDeadlinePeriod,
  lateEntriesByWing,
  measuredDeadlinesOf,
  percentOf,
  reviewParticipation,
  type PlanForMeasure,
} from './measures.ts'

const at = (text: string) => new Date(text)

/**
 * A plan opened on 20 November 2026 at 10:00 with ACCT's deadlines (immediate action by 11:00, assessment
 * and first case review by 10:00 the next day), and the steps done when the test says: none unless told.
 */
const openedOn20November = (done: Partial<PlanForMeasure>): PlanForMeasure => ({
  openedAt: at('2026-11-20T10:00:00Z'),
  immediateActionDueAt: at('2026-11-20T11:00:00Z'),
  immediateActionAt: null,
  assessmentDueAt: at('2026-11-21T10:00:00Z'),
  assessmentAt: null,
  firstReviewDueAt: at('2026-11-21T10:00:00Z'),
  firstReviewAt: null,
  reviews: [],
  ...done,
})
const november = { from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') }

describe('reviewParticipation', () => {
  it('counts the reviews healthcare took part in, by attending or in writing, and those the person attended', () => {
    const result = reviewParticipation([
      { attendees: [{ kind: 'case-manager' }, { kind: 'healthcare' }, { kind: 'person' }], healthcareInput: '' },
      { attendees: [{ kind: 'case-manager' }], healthcareInput: 'Seen by the mental health team on Monday' },
      { attendees: [{ kind: 'case-manager' }, { kind: 'staff' }], healthcareInput: ' ' },
    ])
    assert.deepEqual(result, { healthcare: { met: 2, of: 3 }, person: { met: 1, of: 3 } })
  })
})

describe('lateEntriesByWing', () => {
  const entry = (wingName: string | null, minutesLate: number) => ({
    wingName,
    observedAt: at('2026-11-25T10:00:00Z'),
    recordedAt: new Date(at('2026-11-25T10:00:00Z').getTime() + minutesLate * 60_000),
  })
  it('counts late entries by wing, the most first, and leaves out wings with none', () => {
    const wings = lateEntriesByWing([entry('A', 40), entry('A', 2), entry('B', 16), entry('B', 90), entry('C', 15)])
    assert.deepEqual(wings, [
      { wingName: 'B', late: 2, of: 2 },
      { wingName: 'A', late: 1, of: 2 },
    ])
  })
})

describe('measuredDeadlinesOf', () => {
  // Immediate action at its deadline, no assessment or first review, and a case review a minute late.
  const plan = openedOn20November({
    immediateActionAt: at('2026-11-20T11:00:00Z'),
    reviews: [{ dueAt: at('2026-11-23T10:00:00Z'), heldAt: at('2026-11-23T10:01:00Z') }],
  })
  it('counts a step done at its deadline as met, and one not done by it as missed', () => {
    const deadlines = measuredDeadlinesOf(plan, november.from, november.to, at('2026-11-21T10:01:00Z'))
    assert.deepEqual(
      deadlines.map((deadline) => [deadline.step, deadline.met]),
      [
        ['immediateAction', true],
        ['assessment', false],
        ['firstReview', false],
        ['review', false],
      ],
    )
  })
  it('leaves out a deadline that has not passed yet', () => {
    const deadlines = measuredDeadlinesOf(plan, november.from, november.to, at('2026-11-21T10:00:00Z'))
    assert.deepEqual(
      deadlines.map((deadline) => deadline.step),
      ['immediateAction', 'review'],
    )
  })
  it('measures a review held in the period of a plan opened before it, but not that plan’s opening', () => {
    const deadlines = measuredDeadlinesOf(plan, at('2026-11-22T00:00:00Z'), november.to, at('2026-11-25T00:00:00Z'))
    assert.deepEqual(
      deadlines.map((deadline) => deadline.step),
      ['review'],
    )
  })
})

describe('deadlinePeriodRefusal', () => {
  const today = '2026-11-25'
  const cases: [string, string, string, string | null][] = [
    ['the last 30 days', '2026-10-27', '2026-11-25', null],
    ['a single day', '2026-11-25', '2026-11-25', null],
    ['exactly 12 months', '2025-11-25', '2026-11-25', null],
    ['12 months and a day', '2025-11-24', '2026-11-25', 'from:carePlans.deadlines.error.tooLong'],
    ['an end after today', '2026-11-01', '2026-11-26', 'to:carePlans.deadlines.error.future'],
    ['a start after the end', '2026-11-20', '2026-11-19', 'from:carePlans.deadlines.error.order'],
  ]
  for (const [name, fromOn, toOn, expected] of cases)
    it(`${expected ? 'refuses' : 'accepts'} ${name}`, () => {
      const refusal = deadlinePeriodRefusal(fromOn, toOn, today)
      assert.equal(refusal && `${refusal.field}:${refusal.messageKey}`, expected)
    })
})

describe('the deadlines page’s period', () => {
  it('opens on the last 30 days, today among them', () => {
    assert.deepEqual(defaultDeadlinePeriod('2026-11-25'), { fromOn: '2026-10-27', toOn: '2026-11-25' })
  })
  it('runs from midnight in London on its first day to midnight after its last, across the clock change', () => {
    assert.deepEqual(deadlinePeriodInstants('2026-10-01', '2026-11-25'), {
      from: at('2026-09-30T23:00:00Z'),
      to: at('2026-11-26T00:00:00Z'),
    })
  })
})

describe('deadlinesMetOf', () => {
  // Immediate action in time, the assessment two hours late, no first review; one case review early, one late.
  const plan = openedOn20November({
    immediateActionAt: at('2026-11-20T10:40:00Z'),
    assessmentAt: at('2026-11-21T12:00:00Z'),
    reviews: [
      { dueAt: at('2026-11-23T10:00:00Z'), heldAt: at('2026-11-23T09:00:00Z') },
      { dueAt: at('2026-11-24T10:00:00Z'), heldAt: at('2026-11-24T11:00:00Z') },
    ],
  })
  const on25November = at('2026-11-25T00:00:00Z')
  it('counts each deadline met or missed, and each review on time or late', () => {
    const result = deadlinesMetOf([plan], november.from, november.to, on25November)
    assert.deepEqual(result, {
      immediateAction: { met: 1, of: 1 },
      assessment: { met: 0, of: 1 },
      firstReview: { met: 0, of: 1 },
      reviewsOnTime: { met: 1, of: 2 },
    })
    assert.equal(percentOf(result.reviewsOnTime), 50)
  })
  it('leaves out plans opened outside the period and deadlines still running', () => {
    const result = deadlinesMetOf([plan], on25November, november.to, on25November)
    assert.deepEqual(result.immediateAction, { met: 0, of: 0 })
    assert.equal(percentOf(result.immediateAction), null)
  })
})

describe('daysAtEachLevel (M4)', () => {
  const from = at('2026-01-01T00:00:00Z')
  const to = at('2026-01-31T00:00:00Z')
  it('counts each level from the review that set it to the next, closure or the end of the period', () => {
    const days = daysAtEachLevel(
      [
        {
          openedAt: at('2026-01-10T00:00:00Z'),
          closedAt: at('2026-01-20T00:00:00Z'),
          reviews: [
            { heldAt: at('2026-01-11T00:00:00Z'), riskLevel: 'high' },
            { heldAt: at('2026-01-14T00:00:00Z'), riskLevel: 'low' },
            { heldAt: at('2026-01-20T00:00:00Z'), riskLevel: null },
          ],
        },
      ],
      from,
      to,
    )
    assert.deepEqual(days, { unset: 1, low: 6, raised: 0, high: 3 })
  })
  it('counts only the part of a plan inside the period, and an open plan up to its end', () => {
    const days = daysAtEachLevel(
      [
        {
          openedAt: at('2025-12-20T00:00:00Z'),
          closedAt: null,
          reviews: [{ heldAt: at('2025-12-21T12:00:00Z'), riskLevel: 'raised' }],
        },
      ],
      from,
      to,
    )
    assert.deepEqual(days, { unset: 0, low: 0, raised: 30, high: 0 })
  })
})
