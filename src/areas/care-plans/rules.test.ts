import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  alertOf,
  allowedSteps,
  attendanceRefusal,
  belowFloor,
  caseManagerChangeRefusal,
  clockStartsAt,
  closureChecklist,
  closureRefusal,
  isLateEntry,
  lateEntriesByWing,
  reviewParticipation,
  levelInterval,
  settingLimits,
  supervisionFloors,
  supervisionRefusal,
  byRiskAndUrgency,
  conversationTally,
  daysAtEachLevel,
  deadlinePeriodInstants,
  deadlinePeriodRefusal,
  deadlinesMetOf,
  deadlineState,
  defaultDeadlinePeriod,
  defaultSettings,
  measuredDeadlinesOf,
  nextDue,
  nextReviewRefusal,
  observationAlertsDue,
  openingDeadlines,
  percentOf,
  periodsBetween,
  postClosureReviewDue,
  reviewDueAfterArrival,
  reviewKindFor,
  scheduleBetween,
  riskNamesIn,
  settingsProblems,
  slotState,
  stageOf,
  standingObservations,
  stepRefusal,
  suggestedSlots,
  type PlanState,
  type Slot,
} from './rules.ts'
import { londonTime } from '../../platform/dates.ts'

const at = (text: string) => new Date(text)
const HOUR = 3_600_000
const hours = { dayStartsHour: 8, nightStartsHour: 20 }

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

  it('refuses an assessment before the immediate action plan', () => {
    assert.equal(stepRefusal(fresh, 'assessment')?.messageKey, 'carePlans.step.refused.awaiting-immediate-action')
    assert.equal(stepRefusal(acted, 'assessment'), null)
  })

  it('refuses the first case review before the assessment interview', () => {
    assert.notEqual(stepRefusal(acted, 'first-review'), null)
    assert.equal(stepRefusal(assessed, 'first-review'), null)
  })

  it('allows closure only on an open plan, and the post-closure review only after closure', () => {
    assert.notEqual(stepRefusal(assessed, 'closure'), null)
    assert.equal(stepRefusal(reviewed, 'closure'), null)
    assert.notEqual(stepRefusal(reviewed, 'post-closure-review'), null)
    assert.equal(stepRefusal(closed, 'post-closure-review'), null)
  })

  it('takes observations from the moment the plan opens, before the immediate action plan', () => {
    assert.equal(stepRefusal(fresh, 'observation'), null)
  })

  it('holds a pre-release review on any plan in progress, never on a finished one', () => {
    for (const plan of [acted, assessed, reviewed, closed]) assert.equal(stepRefusal(plan, 'pre-release-review'), null)
    assert.notEqual(stepRefusal(finished, 'pre-release-review'), null)
  })

  it('takes no observation once the plan is closed', () => {
    assert.equal(stepRefusal(reviewed, 'observation'), null)
    assert.notEqual(stepRefusal(closed, 'observation'), null)
  })

  it('lets a worry in the post-closure period ask for an immediate case review, which reopens the plan', () => {
    assert.equal(stepRefusal(closed, 'request-immediate-review'), null)
    assert.notEqual(stepRefusal(finished, 'request-immediate-review'), null)
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

describe('supervision floors', () => {
  const none = { observationsPerDay: 0, observationsPerNight: 0, conversationsPerDay: 0, conversationsPerNight: 0 }
  it('does not let a high-risk plan go without observation at night', () => {
    assert.ok(
      belowFloor('high', { ...supervisionFloors.high, observationsPerNight: 0 }).includes('observationsPerNight'),
    )
    assert.equal(supervisionRefusal('high', none, '')?.field, 'supervisionReason')
  })
  it('accepts the floor or more, and fewer with a recorded reason', () => {
    for (const level of ['low', 'raised', 'high'] as const)
      assert.equal(supervisionRefusal(level, supervisionFloors[level], ''), null)
    assert.equal(supervisionRefusal('low', none, 'Hospital bed watch by the NHS team'), null)
  })
  it('asks more at each level up', () => {
    assert.ok(supervisionFloors.raised.observationsPerDay > supervisionFloors.low.observationsPerDay)
    assert.ok(supervisionFloors.high.observationsPerNight > supervisionFloors.raised.observationsPerNight)
  })
  it('gives each level the longest gap its floor allows', () => {
    const day = { kind: 'day' as const, startsAt: at('2026-11-25T08:00:00Z'), endsAt: at('2026-11-25T20:00:00Z') }
    assert.equal(levelInterval('high', day), HOUR)
    assert.equal(levelInterval('low', day), 4 * HOUR)
    assert.equal(levelInterval(null, day), HOUR)
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

describe('periodsBetween', () => {
  it('cuts a winter day into a day from 08:00 and a night from 20:00, London time', () => {
    const periods = periodsBetween(at('2026-11-25T09:00:00Z'), at('2026-11-25T21:00:00Z'), hours)
    assert.deepEqual(
      periods.map((period) => [period.kind, period.startsAt.toISOString(), period.endsAt.toISOString()]),
      [
        ['day', '2026-11-25T08:00:00.000Z', '2026-11-25T20:00:00.000Z'],
        ['night', '2026-11-25T20:00:00.000Z', '2026-11-26T08:00:00.000Z'],
      ],
    )
  })

  it('starts the day at 08:00 British Summer Time in July (07:00 UTC)', () => {
    assert.equal(londonTime('2026-07-01', 8).toISOString(), '2026-07-01T07:00:00.000Z')
    const [period] = periodsBetween(at('2026-07-01T10:00:00Z'), at('2026-07-01T11:00:00Z'), hours)
    assert.equal(period?.startsAt.toISOString(), '2026-07-01T07:00:00.000Z')
    assert.equal(period?.endsAt.toISOString(), '2026-07-01T19:00:00.000Z')
  })
})

describe('suggestedSlots', () => {
  const day = { kind: 'day' as const, startsAt: at('2026-11-25T08:00:00Z'), endsAt: at('2026-11-25T20:00:00Z') }

  it('suggests one time in each of n equal slots, all within the period', () => {
    const slots = suggestedSlots('plan-1', day, 6)
    assert.equal(slots.length, 6)
    for (const slot of slots) {
      assert.ok(slot.suggestedAt >= slot.startsAt && slot.suggestedAt < slot.endsAt)
      assert.ok(slot.startsAt >= day.startsAt && slot.endsAt <= day.endsAt)
      assert.equal(slot.endsAt.getTime() - slot.startsAt.getTime(), 2 * 60 * 60_000)
    }
    assert.equal(slots[0]?.startsAt.getTime(), day.startsAt.getTime())
    assert.equal(slots.at(-1)?.endsAt.getTime(), day.endsAt.getTime())
  })

  it('never suggests a fixed interval when the plan looks more often than its level asks', () => {
    for (const seed of ['plan-1', 'plan-2', 'plan-3']) {
      const times = suggestedSlots(seed, day, 8, 2 * HOUR).map((slot) => slot.suggestedAt.getTime())
      const gaps = times.slice(1).map((time, i) => time - times[i])
      assert.ok(new Set(gaps).size > 1, `gaps for ${seed} all equal: ${gaps.join(', ')}`)
      for (const gap of gaps) assert.ok(gap > 0)
    }
  })

  it('gives the same times for the same plan and period, and different times for another plan', () => {
    const again = suggestedSlots('plan-1', day, 4, 6 * HOUR).map((slot) => slot.suggestedAt.toISOString())
    assert.deepEqual(
      suggestedSlots('plan-1', day, 4, 6 * HOUR).map((slot) => slot.suggestedAt.toISOString()),
      again,
    )
    assert.notDeepEqual(
      suggestedSlots('plan-9', day, 4, 6 * HOUR).map((slot) => slot.suggestedAt.toISOString()),
      again,
    )
  })

  it('caps every gap at the level’s interval, across a change of period too (it reached 1.9 intervals)', () => {
    const night = { kind: 'night' as const, startsAt: day.endsAt, endsAt: at('2026-11-26T08:00:00Z') }
    for (let plan = 0; plan < 300; plan++)
      for (const [count, cap] of [
        [12, HOUR],
        [16, HOUR],
        [6, 2 * HOUR],
        [8, 3 * HOUR],
        [5, 4 * HOUR],
      ] as const) {
        const times = [
          ...suggestedSlots(`plan-${plan}`, day, count, cap),
          ...suggestedSlots(`plan-${plan}`, night, count, cap),
        ]
        for (const slot of times) assert.ok(slot.suggestedAt >= slot.startsAt && slot.suggestedAt < slot.endsAt)
        const gaps = times.slice(1).map((slot, i) => slot.suggestedAt.getTime() - times[i].suggestedAt.getTime())
        assert.ok(
          Math.max(...gaps) <= cap,
          `plan-${plan}, ${count} a period: a gap of ${Math.max(...gaps) / 60_000} min`,
        )
      }
  })

  it('spaces the times evenly when the plan looks exactly as often as its level’s floor (nothing else fits)', () => {
    const times = suggestedSlots('plan-1', day, 12, HOUR).map((slot) => slot.suggestedAt.getTime())
    assert.deepEqual(new Set(times.slice(1).map((time, i) => time - times[i])), new Set([HOUR]))
  })

  it('suggests nothing for a period with no observations required', () => {
    assert.deepEqual(suggestedSlots('plan-1', day, 0), [])
  })
})

describe('scheduleBetween', () => {
  const supervision = {
    observationsPerDay: 4,
    observationsPerNight: 2,
    conversationsPerDay: 1,
    conversationsPerNight: 0,
    setAt: at('2026-11-25T13:00:00Z'),
  }
  it('begins when the supervision was set, keeping the slot that was running then', () => {
    const slots = scheduleBetween('p', supervision, hours, at('2026-11-25T00:00:00Z'), at('2026-11-26T08:00:00Z'))
    // Day slots 08-11, 11-14, 14-17, 17-20: the first ended before 13:00, the second is cut to start then.
    assert.equal(slots.length, 3 + 2)
    assert.equal(slots[0]?.startsAt.toISOString(), '2026-11-25T13:00:00.000Z')
    assert.equal(slots[0]?.endsAt.toISOString(), '2026-11-25T14:00:00.000Z')
    assert.deepEqual(
      slots.map((slot) => slot.period),
      ['day', 'day', 'day', 'night', 'night'],
    )
  })
  it('counts an observation at 20:09 in the slot of a supervision set at 20:09 and some seconds', () => {
    const setAt20To9 = { ...supervision, setAt: at('2026-11-25T20:09:41Z') }
    const now = at('2026-11-25T20:10:00Z')
    const [first] = scheduleBetween('p', setAt20To9, hours, at('2026-11-24T20:10:00Z'), at('2026-11-26T08:10:00Z'))
    assert.equal(first?.startsAt.toISOString(), '2026-11-25T20:09:00.000Z')
    assert.equal(first?.endsAt.toISOString(), '2026-11-26T02:00:00.000Z')
    const seenAt2009 = {
      observedAt: at('2026-11-25T20:09:00Z'),
      recordedAt: at('2026-11-25T20:09:30Z'),
      wasConversation: false,
    }
    assert.equal(slotState(first, [seenAt2009], now), 'done')
  })
})

describe('slotState', () => {
  const slot: Slot = {
    period: 'day',
    startsAt: at('2026-11-25T08:00:00Z'),
    endsAt: at('2026-11-25T10:00:00Z'),
    suggestedAt: at('2026-11-25T09:13:00Z'),
  }
  const seenAt = (text: string) => ({ observedAt: at(text), recordedAt: at(text), wasConversation: false })
  it('is upcoming before it starts, due while it runs, done once someone looks', () => {
    assert.equal(slotState(slot, [], at('2026-11-25T07:59:00Z')), 'upcoming')
    assert.equal(slotState(slot, [], at('2026-11-25T09:00:00Z')), 'due')
    assert.equal(slotState(slot, [seenAt('2026-11-25T08:30:00Z')], at('2026-11-25T09:00:00Z')), 'done')
  })
  it('is overdue when it ends with no observation, and missed once someone looks late', () => {
    assert.equal(slotState(slot, [], at('2026-11-25T10:00:00Z')), 'overdue')
    assert.equal(slotState(slot, [seenAt('2026-11-25T10:20:00Z')], at('2026-11-25T10:30:00Z')), 'missed')
  })
  it('marks an entry written more than 15 minutes after the time it claims as late', () => {
    const claimed = at('2026-11-25T08:30:00Z')
    assert.equal(isLateEntry({ observedAt: claimed, recordedAt: at('2026-11-25T08:45:00Z') }), false)
    assert.equal(isLateEntry({ observedAt: claimed, recordedAt: at('2026-11-25T08:45:01Z') }), true)
  })
  it('does not let an entry written after the slot ended, back-dated into it, make the slot done', () => {
    const backDated = {
      observedAt: at('2026-11-25T09:50:00Z'),
      recordedAt: at('2026-11-25T10:40:00Z'),
      wasConversation: false,
    }
    assert.equal(slotState(slot, [backDated], at('2026-11-25T10:45:00Z')), 'late')
    // Written late but while the slot still ran: nothing had alarmed yet, so it counts.
    const lateButInTime = {
      ...backDated,
      observedAt: at('2026-11-25T08:10:00Z'),
      recordedAt: at('2026-11-25T09:00:00Z'),
    }
    assert.equal(slotState(slot, [lateButInTime], at('2026-11-25T10:45:00Z')), 'done')
    // Someone looking now stands the alarm down.
    assert.equal(slotState(slot, [backDated, seenAt('2026-11-25T10:44:00Z')], at('2026-11-25T10:45:00Z')), 'missed')
  })
  it('keeps alerting for a slot whose only entry was written late', () => {
    assert.deepEqual(
      observationAlertsDue([{ slot, state: 'late' }], at('2026-11-25T10:05:00Z'), 30).map((alert) => alert.stage),
      ['wing'],
    )
  })
  it('does not count an observation in the slot before that is only the previous one', () => {
    assert.equal(slotState(slot, [seenAt('2026-11-25T07:59:00Z')], at('2026-11-25T10:05:00Z')), 'overdue')
  })
  it('points to the running slot as the next due', () => {
    const later = { ...slot, startsAt: slot.endsAt, endsAt: at('2026-11-25T12:00:00Z') }
    const next = nextDue([
      { slot, state: 'done' },
      { slot: later, state: 'due' },
    ])
    assert.equal(next?.slot, later)
  })
})

describe('observationAlertsDue', () => {
  const slot: Slot = {
    period: 'day',
    startsAt: at('2026-11-25T08:00:00Z'),
    endsAt: at('2026-11-25T10:00:00Z'),
    suggestedAt: at('2026-11-25T09:00:00Z'),
  }
  it('alerts the wing as soon as an observation is overdue', () => {
    assert.deepEqual(observationAlertsDue([{ slot, state: 'overdue' }], at('2026-11-25T10:00:00Z'), 30), [
      { slotEndsAt: slot.endsAt, stage: 'wing' },
    ])
  })
  it('alerts the orderly officer too once it has been overdue for the further interval', () => {
    assert.deepEqual(
      observationAlertsDue([{ slot, state: 'overdue' }], at('2026-11-25T10:30:00Z'), 30).map((alert) => alert.stage),
      ['wing', 'orderly-officer'],
    )
    assert.deepEqual(
      observationAlertsDue([{ slot, state: 'overdue' }], at('2026-11-25T10:29:00Z'), 30).map((alert) => alert.stage),
      ['wing'],
    )
  })
  it('does not alert for a slot observed late, or for one more than a day old', () => {
    assert.deepEqual(observationAlertsDue([{ slot, state: 'missed' }], at('2026-11-25T11:00:00Z'), 30), [])
    assert.deepEqual(observationAlertsDue([{ slot, state: 'overdue' }], at('2026-11-26T10:01:00Z'), 30), [])
  })
})

describe('conversationTally', () => {
  it('counts conversations held within the period against those required', () => {
    const period = { kind: 'day' as const, startsAt: at('2026-11-25T08:00:00Z'), endsAt: at('2026-11-25T20:00:00Z') }
    const tally = conversationTally(
      period,
      [
        { observedAt: at('2026-11-25T09:00:00Z'), recordedAt: at('2026-11-25T09:00:00Z'), wasConversation: true },
        { observedAt: at('2026-11-25T10:00:00Z'), recordedAt: at('2026-11-25T10:00:00Z'), wasConversation: false },
        { observedAt: at('2026-11-25T21:00:00Z'), recordedAt: at('2026-11-25T21:00:00Z'), wasConversation: true },
      ],
      2,
    )
    assert.deepEqual(tally, { held: 1, required: 2, isShort: true })
  })
})

describe('byRiskAndUrgency', () => {
  const plan = (name: string, riskLevel: 'low' | 'raised' | 'high' | null, ...dueAts: string[]) => ({
    name,
    riskLevel,
    dueAts: dueAts.map(at),
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

describe('standingObservations', () => {
  it('lets a correction stand in place of the entry it corrects', () => {
    const entries = [
      { id: 'a', correctsId: null },
      { id: 'b', correctsId: null },
      { id: 'c', correctsId: 'a' },
    ]
    assert.deepEqual(
      standingObservations(entries).map((entry) => entry.id),
      ['b', 'c'],
    )
  })
})

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

describe('measuredDeadlinesOf', () => {
  const plan = {
    openedAt: at('2026-11-20T10:00:00Z'),
    immediateActionDueAt: at('2026-11-20T11:00:00Z'),
    immediateActionAt: at('2026-11-20T11:00:00Z'),
    assessmentDueAt: at('2026-11-21T10:00:00Z'),
    assessmentAt: null,
    firstReviewDueAt: at('2026-11-21T10:00:00Z'),
    firstReviewAt: null,
    reviews: [{ dueAt: at('2026-11-23T10:00:00Z'), heldAt: at('2026-11-23T10:01:00Z') }],
  }
  const november = { from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') }
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
  const plan = {
    openedAt: at('2026-11-20T10:00:00Z'),
    immediateActionDueAt: at('2026-11-20T11:00:00Z'),
    immediateActionAt: at('2026-11-20T10:40:00Z'),
    assessmentDueAt: at('2026-11-21T10:00:00Z'),
    assessmentAt: at('2026-11-21T12:00:00Z'),
    firstReviewDueAt: at('2026-11-21T10:00:00Z'),
    firstReviewAt: null,
    reviews: [
      { dueAt: at('2026-11-23T10:00:00Z'), heldAt: at('2026-11-23T09:00:00Z') },
      { dueAt: at('2026-11-24T10:00:00Z'), heldAt: at('2026-11-24T11:00:00Z') },
    ],
  }
  it('counts each deadline met or missed, and each review on time or late', () => {
    const result = deadlinesMetOf(
      [plan],
      at('2026-11-01T00:00:00Z'),
      at('2026-12-01T00:00:00Z'),
      at('2026-11-25T00:00:00Z'),
    )
    assert.deepEqual(result, {
      immediateAction: { met: 1, of: 1 },
      assessment: { met: 0, of: 1 },
      firstReview: { met: 0, of: 1 },
      reviewsOnTime: { met: 1, of: 2 },
    })
    assert.equal(percentOf(result.reviewsOnTime), 50)
  })
  it('leaves out plans opened outside the period and deadlines still running', () => {
    const result = deadlinesMetOf(
      [plan],
      at('2026-11-25T00:00:00Z'),
      at('2026-12-01T00:00:00Z'),
      at('2026-11-25T00:00:00Z'),
    )
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
