import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { z } from 'zod'
import { londonDate } from './dates.ts'
import {
  DateInputField,
  dateFromInput,
  dateInputParts,
  INVALID_DATE,
  isIsoDate,
  isoDateOf,
  withDateInputs,
} from './date-input.ts'

describe('dateFromInput', () => {
  const cases = [
    { typed: { 'heldOn-day': '25', 'heldOn-month': '11', 'heldOn-year': '2026' }, date: '2026-11-25' },
    { typed: { 'heldOn-day': ' 5 ', 'heldOn-month': '1', 'heldOn-year': '2026' }, date: '2026-01-05' },
    { typed: { 'heldOn-day': '29', 'heldOn-month': '2', 'heldOn-year': '2028' }, date: '2028-02-29' },
    { typed: { 'heldOn-day': '29', 'heldOn-month': '2', 'heldOn-year': '2026' }, date: INVALID_DATE },
    { typed: { 'heldOn-day': '31', 'heldOn-month': '11', 'heldOn-year': '2026' }, date: INVALID_DATE },
    { typed: { 'heldOn-day': '25', 'heldOn-month': '11', 'heldOn-year': '26' }, date: INVALID_DATE },
    { typed: { 'heldOn-day': '25', 'heldOn-month': '', 'heldOn-year': '2026' }, date: INVALID_DATE },
    { typed: { 'heldOn-day': '', 'heldOn-month': '', 'heldOn-year': '' }, date: null },
    { typed: { heldOn: '2026-11-25' }, date: '2026-11-25' },
    { typed: { heldOn: '2026-11-31' }, date: INVALID_DATE },
  ]
  for (const { typed, date } of cases)
    it(`reads ${JSON.stringify(typed)} as ${String(date)}`, () => {
      assert.equal(dateFromInput(typed, 'heldOn'), date)
    })
})

describe('isoDateOf, a date typed in one box', () => {
  for (const [typed, date] of [
    ['25/11/2026', '2026-11-25'],
    ['5/1/2026', '2026-01-05'],
    ['2026-11-25', '2026-11-25'],
    ['29/02/2028', '2028-02-29'],
    ['29/02/2026', ''],
    ['31/11/2026', ''],
    // PostgreSQL has no day in year 0: the form refuses it rather than the database.
    ['01/01/0000', ''],
    ['0000-01-01', ''],
    ['25/11/26', ''],
    ['', ''],
  ])
    it(`reads ${JSON.stringify(typed)} as ${JSON.stringify(date)}`, () => {
      assert.equal(isoDateOf(typed), date)
    })
})

describe('dateInputParts', () => {
  it('shows what was typed, even a date the calendar does not have', () => {
    assert.deepEqual(dateInputParts({ 'on-day': '31', 'on-month': '11', 'on-year': '2026' }, 'on', '2026-11-25'), {
      day: '31',
      month: '11',
      year: '2026',
    })
  })

  it('shows the date it is given on a new form, without leading zeros', () => {
    assert.deepEqual(dateInputParts({}, 'on', '2026-03-05'), { day: '5', month: '3', year: '2026' })
  })
})

describe('withDateInputs', () => {
  const VisitForm = withDateInputs(['visitOn'], z.object({ visitOn: DateInputField, note: z.string().max(5) }))

  it('reads the three boxes as one date, and leaves the other fields as they were sent', () => {
    const form = VisitForm.parse({ 'visitOn-day': '5', 'visitOn-month': '1', 'visitOn-year': '2026', note: 'ok' })
    assert.equal(form.visitOn, '2026-01-05')
    assert.equal(form.note, 'ok')
  })

  it('refuses a date left blank or not on the calendar as a problem with its field, beside any other', () => {
    for (const day of ['', '32']) {
      const form = VisitForm.safeParse({ 'visitOn-day': day, 'visitOn-month': '1', 'visitOn-year': '2026', note: '' })
      assert.deepEqual(
        form.error?.issues.map((issue) => issue.path),
        [['visitOn']],
      )
    }
    const both = VisitForm.safeParse({ note: 'far too long' })
    assert.deepEqual(
      both.error?.issues.map((issue) => issue.path),
      [['visitOn'], ['note']],
    )
  })
})

describe('londonDate', () => {
  it('is the next day from midnight in summer, while UTC is still on the day before', () => {
    assert.equal(londonDate(new Date('2026-06-30T22:59:00Z')), '2026-06-30')
    assert.equal(londonDate(new Date('2026-06-30T23:00:00Z')), '2026-07-01')
  })

  it('is the UTC date in winter', () => {
    assert.equal(londonDate(new Date('2026-11-25T23:59:00Z')), '2026-11-25')
    assert.equal(londonDate(new Date('2026-11-26T00:00:00Z')), '2026-11-26')
  })
})

describe('isIsoDate', () => {
  for (const [value, valid] of [
    ['2026-12-06', true],
    ['2028-02-29', true],
    ['0001-01-01', true],
    ['2026-02-30', false],
    ['2026-12-6', false],
    // PostgreSQL has no year 0: a date in it would reach the database and fail there, a 500 not a 400.
    ['0000-01-01', false],
  ] as const)
    it(`takes ${value} as ${valid ? 'a day' : 'no day'}`, () => assert.equal(isIsoDate(value), valid))
})
