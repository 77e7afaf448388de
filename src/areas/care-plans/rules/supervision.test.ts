import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  belowFloor,
  conversationTally,
  isLateEntry,
  levelInterval,
  nextDue,
  observationAlertsDue,
  periodsBetween,
  scheduleBetween,
  slotState,
  slotStates,
  standingObservations,
  suggestedSlots,
  supervisionFloors,
  supervisionRefusal,
  type Slot,
  type SlotState,
} from './supervision.ts'
import { HOUR } from './durations.ts'
import { londonTime } from '../../../platform/dates.ts'

const at = (text: string) => new Date(text)
const hours = { dayStartsHour: 8, nightStartsHour: 20 }
const day = { kind: 'day' as const, startsAt: at('2026-11-25T08:00:00Z'), endsAt: at('2026-11-25T20:00:00Z') }
/** A two-hour slot on the morning of 25 November. */
const slot: Slot = {
  period: 'day',
  startsAt: at('2026-11-25T08:00:00Z'),
  endsAt: at('2026-11-25T10:00:00Z'),
  suggestedAt: at('2026-11-25T09:13:00Z'),
}
/** An observation written down at the time it claims. */
const seenAt = (text: string, { wasConversation = false } = {}) => ({
  observedAt: at(text),
  recordedAt: at(text),
  wasConversation,
})
/** The stages alerted for the slot in this state at this time, the orderly officer told 30 minutes on. */
const stagesAlerted = (state: SlotState, now: string) =>
  observationAlertsDue([{ slot, state }], at(now), 30).map((alert) => alert.stage)

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
    assert.equal(levelInterval('high', day), HOUR)
    assert.equal(levelInterval('low', day), 4 * HOUR)
    assert.equal(levelInterval(null, day), HOUR)
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
  it('suggests one time in each of n equal slots, all within the period', () => {
    const slots = suggestedSlots('plan-1', day, 6)
    assert.equal(slots.length, 6)
    for (const each of slots) {
      assert.ok(each.suggestedAt >= each.startsAt && each.suggestedAt < each.endsAt)
      assert.ok(each.startsAt >= day.startsAt && each.endsAt <= day.endsAt)
      assert.equal(each.endsAt.getTime() - each.startsAt.getTime(), 2 * 60 * 60_000)
    }
    assert.equal(slots[0]?.startsAt.getTime(), day.startsAt.getTime())
    assert.equal(slots.at(-1)?.endsAt.getTime(), day.endsAt.getTime())
  })

  it('never suggests a fixed interval when the plan looks more often than its level asks', () => {
    for (const seed of ['plan-1', 'plan-2', 'plan-3']) {
      const times = suggestedSlots(seed, day, 8, 2 * HOUR).map((each) => each.suggestedAt.getTime())
      const gaps = times.slice(1).map((time, i) => time - times[i])
      assert.ok(new Set(gaps).size > 1, `gaps for ${seed} all equal: ${gaps.join(', ')}`)
      for (const gap of gaps) assert.ok(gap > 0)
    }
  })

  it('gives the same times for the same plan and period, and different times for another plan', () => {
    const again = suggestedSlots('plan-1', day, 4, 6 * HOUR).map((each) => each.suggestedAt.toISOString())
    assert.deepEqual(
      suggestedSlots('plan-1', day, 4, 6 * HOUR).map((each) => each.suggestedAt.toISOString()),
      again,
    )
    assert.notDeepEqual(
      suggestedSlots('plan-9', day, 4, 6 * HOUR).map((each) => each.suggestedAt.toISOString()),
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
        for (const each of times) assert.ok(each.suggestedAt >= each.startsAt && each.suggestedAt < each.endsAt)
        const gaps = times.slice(1).map((each, i) => each.suggestedAt.getTime() - times[i].suggestedAt.getTime())
        assert.ok(
          Math.max(...gaps) <= cap,
          `plan-${plan}, ${count} a period: a gap of ${Math.max(...gaps) / 60_000} min`,
        )
      }
  })

  it('spaces the times evenly when the plan looks exactly as often as its level’s floor (nothing else fits)', () => {
    const times = suggestedSlots('plan-1', day, 12, HOUR).map((each) => each.suggestedAt.getTime())
    assert.deepEqual(new Set(times.slice(1).map((time, i) => time - times[i])), new Set([HOUR]))
  })

  it('suggests nothing for a period with no observations required', () => {
    assert.deepEqual(suggestedSlots('plan-1', day, 0), [])
  })
})

describe('scheduleBetween', () => {
  // Four observations a day, and otherwise the low floor: two a night, a conversation by day.
  const supervision = { ...supervisionFloors.low, observationsPerDay: 4, setAt: at('2026-11-25T13:00:00Z') }
  it('begins when the supervision was set, keeping the slot that was running then', () => {
    const slots = scheduleBetween('p', supervision, hours, at('2026-11-25T00:00:00Z'), at('2026-11-26T08:00:00Z'))
    // Day slots 08-11, 11-14, 14-17, 17-20: the first ended before 13:00, the second is cut to start then.
    assert.equal(slots.length, 3 + 2)
    assert.equal(slots[0]?.startsAt.toISOString(), '2026-11-25T13:00:00.000Z')
    assert.equal(slots[0]?.endsAt.toISOString(), '2026-11-25T14:00:00.000Z')
    assert.deepEqual(
      slots.map((each) => each.period),
      ['day', 'day', 'day', 'night', 'night'],
    )
  })
  it('counts an observation at 20:09 in the slot of a supervision set at 20:09 and some seconds', () => {
    const setAt20To9 = { ...supervision, setAt: at('2026-11-25T20:09:41Z') }
    const now = at('2026-11-25T20:10:00Z')
    const [first] = scheduleBetween('p', setAt20To9, hours, at('2026-11-24T20:10:00Z'), at('2026-11-26T08:10:00Z'))
    assert.equal(first?.startsAt.toISOString(), '2026-11-25T20:09:00.000Z')
    assert.equal(first?.endsAt.toISOString(), '2026-11-26T02:00:00.000Z')
    const seenAt2009 = { ...seenAt('2026-11-25T20:09:00Z'), recordedAt: at('2026-11-25T20:09:30Z') }
    assert.equal(slotState(first, [seenAt2009], now), 'done')
  })
})

describe('slotStates', () => {
  it('gives every slot of a schedule the state slotState gives it, whatever the observations and their order', () => {
    const from = at('2026-11-24T20:00:00Z').getTime()
    const minutes = (count: number) => count * 60_000
    // On the quarter hour, so that some observations fall exactly on a slot's end or on now.
    const quarters = (min: number, max: number) => fc.integer({ min, max }).map((count) => count * 15)
    const observation = fc
      .record({ observed: quarters(-8, 160), writtenAfter: quarters(0, 6) })
      .map(({ observed, writtenAfter }) => ({
        observedAt: new Date(from + minutes(observed)),
        recordedAt: new Date(from + minutes(observed + writtenAfter)),
      }))
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 60 }),
        quarters(0, 144),
        fc.constantFrom(...(['low', 'raised', 'high'] as const)),
        (observations, nowAfter, level) => {
          const supervision = { ...supervisionFloors[level], setAt: at('2026-11-24T19:00:00Z'), riskLevel: level }
          const slots = scheduleBetween('p', supervision, hours, new Date(from), new Date(from + minutes(2_160)))
          const now = new Date(from + minutes(nowAfter))
          assert.deepEqual(
            slotStates(slots, observations, now),
            slots.map((each) => slotState(each, observations, now)),
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('slotState', () => {
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
    const backDated = { ...seenAt('2026-11-25T09:50:00Z'), recordedAt: at('2026-11-25T10:40:00Z') }
    assert.equal(slotState(slot, [backDated], at('2026-11-25T10:45:00Z')), 'late')
    // Written late but while the slot still ran: nothing had alarmed yet, so it counts.
    const lateButInTime = { ...seenAt('2026-11-25T08:10:00Z'), recordedAt: at('2026-11-25T09:00:00Z') }
    assert.equal(slotState(slot, [lateButInTime], at('2026-11-25T10:45:00Z')), 'done')
    // Someone looking now stands the alarm down.
    assert.equal(slotState(slot, [backDated, seenAt('2026-11-25T10:44:00Z')], at('2026-11-25T10:45:00Z')), 'missed')
  })
  it('keeps alerting for a slot whose only entry was written late', () => {
    assert.deepEqual(stagesAlerted('late', '2026-11-25T10:05:00Z'), ['wing'])
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
  it('alerts the wing as soon as an observation is overdue', () => {
    assert.deepEqual(observationAlertsDue([{ slot, state: 'overdue' }], at('2026-11-25T10:00:00Z'), 30), [
      { slotEndsAt: slot.endsAt, stage: 'wing' },
    ])
  })
  it('alerts the orderly officer too once it has been overdue for the further interval', () => {
    assert.deepEqual(stagesAlerted('overdue', '2026-11-25T10:30:00Z'), ['wing', 'orderly-officer'])
    assert.deepEqual(stagesAlerted('overdue', '2026-11-25T10:29:00Z'), ['wing'])
  })
  it('does not alert for a slot observed late, or for one more than a day old', () => {
    assert.deepEqual(stagesAlerted('missed', '2026-11-25T11:00:00Z'), [])
    assert.deepEqual(stagesAlerted('overdue', '2026-11-26T10:01:00Z'), [])
  })
})

describe('conversationTally', () => {
  it('counts conversations held within the period against those required', () => {
    const tally = conversationTally(
      day,
      [
        seenAt('2026-11-25T09:00:00Z', { wasConversation: true }),
        seenAt('2026-11-25T10:00:00Z'),
        seenAt('2026-11-25T21:00:00Z', { wasConversation: true }),
      ],
      2,
    )
    assert.deepEqual(tally, { held: 1, required: 2, isShort: true })
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
