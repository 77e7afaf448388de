import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  allowedSteps,
  deadlineState,
  nextReviewRefusal,
  reviewKindFor,
  stageOf,
  stepRefusal,
  type PlanState,
  type Step,
} from './steps.ts'

const at = (text: string) => new Date(text)

const fresh: PlanState = {
  immediateActionAt: null,
  assessmentAt: null,
  firstReviewHeld: false,
  closedAt: null,
  postClosureReviewedAt: null,
}
const acted = { ...fresh, immediateActionAt: at('2026-11-25T10:30:00Z') }
const assessed = { ...acted, assessmentAt: at('2026-11-25T15:00:00Z') }
const reviewed = { ...assessed, firstReviewHeld: true }
const closed = { ...reviewed, closedAt: at('2026-11-30T10:00:00Z') }
const finished = { ...closed, postClosureReviewedAt: at('2026-12-07T10:00:00Z') }

describe('stageOf and stepRefusal', () => {
  const cases: [string, PlanState, string][] = [
    ['a plan just opened awaits its immediate action', fresh, 'awaiting-immediate-action'],
    ['a plan with immediate action awaits its assessment', acted, 'awaiting-assessment'],
    ['an assessed plan awaits its first case review', assessed, 'awaiting-first-review'],
    ['a reviewed plan is open', reviewed, 'open'],
    ['a closed plan is in its post-closure period', closed, 'post-closure'],
    ['a plan reviewed after closure is closed', finished, 'closed'],
  ]
  for (const [name, plan, stage] of cases) it(name, () => assert.equal(stageOf(plan), stage))

  /** A step, the plans that may take it and those refused it, each refusal naming the stage that stops it. */
  const boundaries: { name: string; step: Step; allowedAt: PlanState[]; refusedAt: PlanState[] }[] = [
    {
      name: 'refuses an assessment before the immediate action plan',
      step: 'assessment',
      allowedAt: [acted],
      refusedAt: [fresh],
    },
    {
      name: 'refuses the first case review before the assessment interview',
      step: 'first-review',
      allowedAt: [assessed],
      refusedAt: [acted],
    },
    { name: 'allows closure only on an open plan', step: 'closure', allowedAt: [reviewed], refusedAt: [assessed] },
    {
      name: 'allows the post-closure review only after closure',
      step: 'post-closure-review',
      allowedAt: [closed],
      refusedAt: [reviewed],
    },
    {
      name: 'takes observations from the moment the plan opens, before the immediate action plan',
      step: 'observation',
      allowedAt: [fresh],
      refusedAt: [],
    },
    {
      name: 'holds a pre-release review on any plan in progress, never on a finished one',
      step: 'pre-release-review',
      allowedAt: [acted, assessed, reviewed, closed],
      refusedAt: [finished],
    },
    {
      name: 'takes no observation once the plan is closed',
      step: 'observation',
      allowedAt: [reviewed],
      refusedAt: [closed],
    },
    {
      name: 'lets a worry in the post-closure period ask for an immediate case review, which reopens the plan',
      step: 'request-immediate-review',
      allowedAt: [closed],
      refusedAt: [finished],
    },
  ]
  for (const { name, step, allowedAt, refusedAt } of boundaries)
    it(name, () => {
      for (const plan of allowedAt) assert.equal(stepRefusal(plan, step), null, stageOf(plan))
      for (const plan of refusedAt)
        assert.equal(stepRefusal(plan, step)?.messageKey, `carePlans.step.refused.${stageOf(plan)}`, stageOf(plan))
    })

  it('keeps a closed plan as read-only history: no step at all', () => {
    assert.deepEqual(allowedSteps(finished), [])
    for (const step of ['family', 'referral', 'review', 'observation', 'care-map'] as const)
      assert.equal(stepRefusal(finished, step)?.messageKey, 'carePlans.step.refused.closed')
  })

  it('names the review a plan is ready for', () => {
    assert.equal(reviewKindFor(acted, false), null)
    assert.equal(reviewKindFor(assessed, false), 'first')
    assert.equal(reviewKindFor(reviewed, false), 'scheduled')
    assert.equal(reviewKindFor(reviewed, true), 'immediate')
    assert.equal(reviewKindFor(closed, false), 'post-closure')
    assert.equal(reviewKindFor(finished, false), null)
  })
})

describe('deadlineState', () => {
  const due = at('2026-11-25T11:00:00Z')
  it('is met when done at the deadline, and missed a minute later', () => {
    assert.equal(deadlineState(due, at('2026-11-25T11:00:00Z'), at('2026-11-26T00:00:00Z')), 'met')
    assert.equal(deadlineState(due, at('2026-11-25T11:01:00Z'), at('2026-11-26T00:00:00Z')), 'missed')
  })
  it('is pending until the deadline passes, then overdue', () => {
    assert.equal(deadlineState(due, null, at('2026-11-25T11:00:00Z')), 'pending')
    assert.equal(deadlineState(due, null, at('2026-11-25T11:00:01Z')), 'overdue')
  })
})

describe('nextReviewRefusal', () => {
  const held = at('2026-11-25T10:00:00Z')
  it('refuses a next review before the review itself', () => {
    assert.equal(nextReviewRefusal(held, held)?.messageKey, 'carePlans.review.error.nextBefore')
  })
  it('accepts a next review 28 days on at low risk and refuses one later', () => {
    assert.equal(nextReviewRefusal(held, at('2026-12-23T10:00:00Z')), null)
    assert.equal(nextReviewRefusal(held, at('2026-12-23T10:01:00Z'))?.messageKey, 'carePlans.review.error.nextTooLate')
  })
  it('holds a high-risk plan to a review within three days and a raised one within a week', () => {
    assert.equal(nextReviewRefusal(held, at('2026-11-28T10:00:00Z'), 'high'), null)
    assert.deepEqual(nextReviewRefusal(held, at('2026-11-28T10:01:00Z'), 'high')?.values, { days: 3 })
    assert.equal(nextReviewRefusal(held, at('2026-12-02T10:00:00Z'), 'raised'), null)
    assert.deepEqual(nextReviewRefusal(held, at('2026-12-09T10:00:00Z'), 'raised')?.values, { days: 7 })
  })
})
