import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { concernFromWorry, mondayOf, twoWeekTimetable, whoTheWorryIsAbout } from './rules.ts'

describe('mondayOf', () => {
  for (const [date, monday] of [
    ['2026-11-23', '2026-11-23'],
    ['2026-11-25', '2026-11-23'],
    ['2026-11-29', '2026-11-23'],
    ['2026-11-30', '2026-11-30'],
  ])
    it(`puts ${date} in the week beginning ${monday}`, () => assert.equal(mondayOf(date), monday))
})

describe('twoWeekTimetable', () => {
  const english = {
    activityName: 'English',
    location: 'Education',
    slots: ['MON_AM', 'WED_PM'],
    startsOn: '2026-10-01',
  }
  const gym = { activityName: 'Gym', location: null, slots: ['WED_AM', 'WED_ED'], startsOn: '2026-12-01' }

  it('gives this week and next, Monday to Sunday, from a Wednesday', () => {
    const weeks = twoWeekTimetable([english], '2026-11-25')
    assert.deepEqual(
      weeks.map((week) => week.startsOn),
      ['2026-11-23', '2026-11-30'],
    )
    assert.deepEqual(
      weeks[0].days.map((day) => day.date),
      ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'],
    )
  })

  it('puts a group on each day its slots fall, morning before afternoon before evening', () => {
    const weeks = twoWeekTimetable([english, gym], '2026-11-25')
    const wednesdayNextWeek = weeks[1].days[2]
    assert.deepEqual(
      wednesdayNextWeek.sessions.map((session) => `${session.part} ${session.activityName}`),
      ['AM Gym', 'PM English', 'ED Gym'],
    )
  })

  it('leaves out a place before the day it starts', () => {
    const weeks = twoWeekTimetable([gym], '2026-11-25')
    assert.equal(weeks[0].days[2].sessions.length, 0, 'Wednesday 25 November, before the place starts')
    assert.equal(weeks[1].days[2].sessions.length, 2, 'Wednesday 2 December, after it starts')
  })

  it('shows nothing on any day for a person with no groups', () => {
    const weeks = twoWeekTimetable([], '2026-11-25')
    assert.ok(weeks.every((week) => week.days.every((day) => day.sessions.length === 0)))
  })
})

describe('concernFromWorry', () => {
  it('makes danger now an immediate concern with the person not safe', () =>
    assert.deepEqual(concernFromWorry('yes'), { urgency: 'immediate', safeNow: 'no' }))
  it('makes a worry where the person is not sure one to act on today', () =>
    assert.deepEqual(concernFromWorry('not-sure'), { urgency: 'today', safeNow: 'not-sure' }))
  it('still has a worry with nobody in danger looked at today, not left to wait', () =>
    assert.deepEqual(concernFromWorry('no'), { urgency: 'today', safeNow: 'yes' }))
})

describe('whoTheWorryIsAbout', () => {
  const onA = { id: 'a', wingCode: 'A', wingName: 'A wing' }
  const onB = { id: 'b', wingCode: 'B', wingName: 'B wing' }

  it('is the one person with the name when there is only one', () =>
    assert.equal(whoTheWorryIsAbout([onA], '')?.id, 'a'))
  it('is nobody when the name matches no one', () => assert.equal(whoTheWorryIsAbout([], ''), null))
  it('is nobody when two people share the name and no wing is given', () =>
    assert.equal(whoTheWorryIsAbout([onA, onB], ''), null))
  for (const typed of ['B', 'b', 'B wing', 'b wing '])
    it(`settles two people of one name by the wing typed as ${JSON.stringify(typed)}`, () =>
      assert.equal(whoTheWorryIsAbout([onA, onB], typed)?.id, 'b'))
  it('is nobody when the wing typed is not the one person’s wing', () =>
    assert.equal(whoTheWorryIsAbout([onA], 'C'), null))
})
