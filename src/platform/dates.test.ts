import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from './clock.ts'
import { addDays, daysBetween, londonClock, londonDate, londonOffsetMinutes, londonTime } from './dates.ts'

describe('the prison’s day', () => {
  it('is the London date, not the UTC date, at half past midnight in summer', () => {
    // 00:30 BST on 15 July is 23:30 UTC on 14 July.
    assert.equal(fixedClock('2026-07-14T23:30:00Z').today(), '2026-07-15')
    assert.equal(londonDate(new Date('2026-07-14T23:30:00Z')), '2026-07-15')
  })

  it('is the same as the UTC date in winter, up to the last minute of the day', () => {
    assert.equal(fixedClock('2026-11-25T23:59:00Z').today(), '2026-11-25')
    assert.equal(fixedClock('2026-11-26T00:00:00Z').today(), '2026-11-26')
  })

  for (const [instant, offset, date, what] of [
    ['2026-03-29T00:59:00Z', 0, '2026-03-29', 'a minute before the clocks go forward (01:00 GMT)'],
    ['2026-03-29T01:00:00Z', 60, '2026-03-29', 'as the clocks go forward (02:00 BST)'],
    ['2026-10-25T00:59:00Z', 60, '2026-10-25', 'a minute before the clocks go back (01:59 BST)'],
    ['2026-10-25T01:00:00Z', 0, '2026-10-25', 'as the clocks go back (01:00 GMT)'],
    ['2026-10-24T23:30:00Z', 60, '2026-10-25', 'at 00:30 BST on the night the clocks go back'],
  ] as const)
    it(`is ${offset} minutes ahead of UTC on ${date} ${what}`, () => {
      assert.equal(londonOffsetMinutes(new Date(instant)), offset)
      assert.equal(londonDate(new Date(instant)), date)
    })
})

describe('londonTime', () => {
  it('finds the instant of a wall-clock time in summer and in winter', () => {
    assert.equal(londonTime('2026-07-15', 9).toISOString(), '2026-07-15T08:00:00.000Z')
    assert.equal(londonTime('2026-11-25', 9, 30).toISOString(), '2026-11-25T09:30:00.000Z')
  })

  it('keeps 08:00 at 08:00 on both days the clocks change', () => {
    assert.equal(londonTime('2026-03-29', 8).toISOString(), '2026-03-29T07:00:00.000Z')
    assert.equal(londonTime('2026-10-25', 8).toISOString(), '2026-10-25T08:00:00.000Z')
  })
})

describe('londonClock', () => {
  it('reads the wing’s clock, an hour ahead of UTC in summer and the same in winter', () => {
    assert.equal(londonClock(new Date('2026-06-30T23:30:00Z')), '00:30')
    assert.equal(londonClock(new Date('2026-11-25T08:05:00Z')), '08:05')
    // The clocks go back at 01:00 UTC on 25 October 2026: 01:59 BST, then 01:00 GMT.
    assert.equal(londonClock(new Date('2026-10-25T00:59:00Z')), '01:59')
    assert.equal(londonClock(new Date('2026-10-25T01:00:00Z')), '01:00')
  })
})

describe('addDays and daysBetween', () => {
  it('count calendar days across a month, a year and both clock changes', () => {
    assert.equal(addDays('2026-11-30', 1), '2026-12-01')
    assert.equal(addDays('2026-01-01', -1), '2025-12-31')
    assert.equal(addDays('2026-03-28', 2), '2026-03-30')
    assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2)
    assert.equal(daysBetween('2026-11-08', '2026-11-01'), -7)
  })
})
