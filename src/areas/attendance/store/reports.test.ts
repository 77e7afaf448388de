import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../../db/database.ts'
import type { AttendanceOutcome, IsoDate } from '../../../db/schema.ts'
import { addDays } from '../../../platform/dates.ts'
import { describeOnEachEngine } from '../../../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenPrisonWithStaff } from '../../../../test/support/builders.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenAttendance,
} from '../../../../test/support/attendance-builders.ts'
import { personNameColumns } from '../../../db/summaries.ts'
import { allocationsOverlapping, attendedSlots, peopleAt } from './reports.ts'

/**
 * Time out of cell's lists as the report read them before issue 19, row by row: the lists it reads now as one
 * JSON value each must hold the same rows.
 */
const rowByRow = {
  peopleAt: (db: Db, establishmentCode: string, receivedBy: IsoDate) =>
    db
      .selectFrom('person_summary as p')
      .select(['p.id as personId', ...personNameColumns, 'p.wing_name as wingName', 'p.cohort'])
      .where('p.establishment_code', '=', establishmentCode)
      .where('p.reception_on', '<=', receivedBy)
      .orderBy('p.last_name')
      .orderBy('p.first_name')
      .execute(),
  allocationsOverlapping: (db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) =>
    db
      .selectFrom('activity_allocation as aa')
      .innerJoin('person_summary as p', 'p.id', 'aa.person_id')
      .innerJoin('activity_group as g', 'g.id', 'aa.group_id')
      .select(['aa.person_id as personId', 'g.slots', 'aa.starts_on as startsOn', 'aa.ends_on as endsOn'])
      .where('p.establishment_code', '=', establishmentCode)
      .where('aa.starts_on', '<=', to)
      .where((eb) => eb.or([eb('aa.ends_on', 'is', null), eb('aa.ends_on', '>=', from)]))
      .execute(),
  attendedSlots: (db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) =>
    db
      .selectFrom('attendance as at')
      .innerJoin('person_summary as p', 'p.id', 'at.person_id')
      .select(['at.person_id as personId', 'at.slot', (eb) => eb.fn.countAll<number>().as('count')])
      .where('p.establishment_code', '=', establishmentCode)
      .where('at.outcome', '=', 'attended')
      .where('at.session_on', '>=', from)
      .where('at.session_on', '<=', to)
      .groupBy(['at.person_id', 'at.slot'])
      .execute(),
}

/** Rows in one order whatever order they came in, with counts as numbers (PostgreSQL's count is a bigint). */
function sorted<Row extends object>(rows: readonly Row[]): Row[] {
  return rows
    .map((row) => ('count' in row ? { ...row, count: Number(row.count) } : row))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

/** A small pseudo-random sequence, so the roll is the same on every run and every engine. */
function sequence(seed: number) {
  let state = seed
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return Math.floor((state / 2147483648) * below)
  }
}

const slots = ['MON_AM', 'MON_PM', 'TUE_AM', 'WED_ED', 'FRI_PM', 'SUN_AM']
const outcomes: AttendanceOutcome[] = ['attended', 'attended', 'refused', 'sick', 'cancelled']
// The report's period: four weeks to a Wednesday.
const period = { from: '2026-10-29' as IsoDate, to: '2026-11-25' as IsoDate }

describeOnEachEngine('time out of cell’s lists', (database) => {
  let home: string
  let away: string

  /**
   * Two prisons, each with groups and people: some without a cell, some received during the period or after
   * it, some moved from one prison to the other; places that ended before the period, end on its first day,
   * start on its last or after it, and are still open; sessions on and around the period's edges with every
   * outcome, at both prisons' groups.
   */
  before(async () => {
    const db = database.db
    const prison = await givenPrisonWithStaff(db, {})
    home = prison.code
    away = (await givenEstablishment(db)).code
    const next = sequence(19)
    const groups = []
    for (const code of [home, home, away])
      groups.push(
        ...(await givenActivity(db, code, { groups: [{ slots: slots.slice(0, 3) }, { slots: slots.slice(2) }] }))
          .groups,
      )
    const dates: IsoDate[] = [
      '2026-09-01',
      addDays(period.from, -1),
      period.from,
      '2026-11-11',
      period.to,
      addDays(period.to, 1),
    ]
    const people = []
    for (let i = 0; i < 24; i += 1) {
      const person = await givenPerson(db, i % 5 === 4 ? away : home, {
        lastName: `Person ${i % 7}`,
        firstName: `First ${i}`,
        cellId: i % 3 === 0 ? null : prison.cellId,
      })
      if (i % 6 === 1)
        await db
          .updateTable('person')
          .set({ reception_on: dates[next(dates.length)] })
          .where('id', '=', person.id)
          .execute()
      people.push(person)
      for (let place = next(3); place > 0; place -= 1) {
        const startsOn = dates[next(dates.length - 1)]
        const ending = next(3) === 0 ? null : dates.filter((date) => date >= startsOn)[0]
        await givenActivityAllocation(db, person.id, groups[next(groups.length)].id, startsOn, ending ?? null)
      }
    }
    const sessions = new Map<string, Parameters<typeof givenAttendance>[1][number]>()
    for (let i = 0; i < 300; i += 1) {
      const sessionOn = addDays(addDays(period.from, -3), next(34))
      const row = {
        personId: people[next(people.length)].id,
        groupId: groups[next(groups.length)].id,
        sessionOn,
        slot: slots[next(slots.length)],
        outcome: outcomes[next(outcomes.length)],
      }
      sessions.set(`${row.groupId} ${row.sessionOn} ${row.slot} ${row.personId}`, row)
    }
    await givenAttendance(db, [...sessions.values()])
  })

  describe('peopleAt', () => {
    it('lists the same people, by last and first name, as read row by row, on every day the period could end', async () => {
      for (const receivedBy of ['2026-09-30', period.from, '2026-11-11', period.to, '2026-12-31'] as IsoDate[]) {
        const expected = await rowByRow.peopleAt(database.db, home, receivedBy)
        const listed = await peopleAt(database.db, home, receivedBy)
        assert.deepEqual(sorted(listed), sorted(expected))
        const names = (rows: typeof listed) => rows.map((row) => `${row.lastName} ${row.firstName}`)
        assert.deepEqual(names(listed), names(expected))
      }
      assert.ok((await peopleAt(database.db, home, period.to)).some((person) => person.wingName === null))
    })
  })

  describe('allocationsOverlapping', () => {
    it('holds the same places as read row by row, for periods around their starts and ends', async () => {
      for (const [from, to] of [
        [period.from, period.to],
        [period.from, period.from],
        ['2026-09-01', '2026-09-30'],
        ['2026-11-26', '2026-12-31'],
      ] as [IsoDate, IsoDate][]) {
        const expected = await rowByRow.allocationsOverlapping(database.db, home, from, to)
        assert.deepEqual(sorted(await allocationsOverlapping(database.db, home, from, to)), sorted(expected))
      }
      assert.ok((await allocationsOverlapping(database.db, home, period.from, period.to)).length > 10)
    })
  })

  describe('attendedSlots', () => {
    it('counts the same sessions attended by person and slot as counted row by row', async () => {
      for (const [from, to] of [
        [period.from, period.to],
        [period.to, period.to],
        [addDays(period.from, -3), addDays(period.to, 5)],
      ] as [IsoDate, IsoDate][]) {
        const expected = await rowByRow.attendedSlots(database.db, home, from, to)
        assert.deepEqual(sorted(await attendedSlots(database.db, home, from, to)), sorted(expected))
      }
      const counted = await attendedSlots(database.db, home, period.from, period.to)
      assert.ok(counted.length > 20 && counted.some((row) => row.count > 1), JSON.stringify(counted))
    })
  })
})
