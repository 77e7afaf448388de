import { it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../db/schema.ts'
import { queryCounter } from '../../db/query-counter.ts'
import { fixedClock } from '../../platform/clock.ts'
import { addDays, daysBetween, londonDate } from '../../platform/dates.ts'
import type { Actor } from '../../platform/permissions.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenTraining } from '../../../test/support/staff-builders.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { allocationInstants } from '../../../test/support/keywork-builders.ts'
import { daysFromReception, datesByPerson, deliveryOver, isPastFirstContact } from './rules.ts'

/**
 * The statistics as the rules count them, person by person in JavaScript from every row of the roll, its
 * allocations and its sessions: how the page counted them before the database did. The figures the service
 * counts in SQL must be these, on every roll.
 */
async function statisticsByTheRules(
  db: Db,
  services: ReturnType<typeof createServices>,
  actor: Actor,
  today: IsoDate,
  periodDays: number,
) {
  const code = actor.establishmentCode
  const policy = await services.keywork.policyFor(code)
  const period = { from: addDays(today, -(periodDays - 1)), to: today }
  const everyone = await services.people.listPeopleAt(code)
  const onRoll = db.selectFrom('person').select('id').where('establishment_code', '=', code)
  const allocationRows = await db
    .selectFrom('dedicated_officer_allocation')
    .select(['person_id', 'staff_user_id', 'allocated_at', 'ended_at'])
    .where('person_id', 'in', onRoll)
    .execute()
  const sessionRows = await db
    .selectFrom('key_work_session')
    .select(['person_id as personId', 'held_on as heldOn'])
    .where('person_id', 'in', onRoll)
    .where('did_not_happen_reason', 'is', null)
    .where('held_on', '<=', today)
    .orderBy('held_on')
    .execute()
  const officers = await services.staff.listOfficersForAllocation(code)
  const current = new Map(allocationRows.filter((row) => row.ended_at === null).map((row) => [row.person_id, row]))
  const firstAt = new Map<string, Date>()
  for (const row of allocationRows) {
    const earlier = firstAt.get(row.person_id)
    if (!earlier || row.allocated_at < earlier) firstAt.set(row.person_id, row.allocated_at)
  }
  const firstSessions = new Map<string, IsoDate>()
  for (const row of sessionRows) if (!firstSessions.has(row.personId)) firstSessions.set(row.personId, row.heldOn)
  const datesOf = datesByPerson(sessionRows.filter((row) => row.heldOn >= period.from))
  const rows = everyone.map((person) => {
    const allocation = current.get(person.id)
    const firstOn = firstSessions.get(person.id) ?? null
    const first = firstAt.get(person.id)
    const firstAllocatedOn = first && londonDate(first) <= today ? londonDate(first) : null
    return {
      person,
      staffUserId: allocation?.staff_user_id ?? null,
      delivery: allocation
        ? {
            personId: person.id,
            coveredFrom: londonDate(allocation.allocated_at),
            sessionDates: datesOf.get(person.id) ?? [],
          }
        : null,
      daysToAllocation: daysFromReception(person.receptionOn, firstAllocatedOn),
      daysToFirstSession: daysFromReception(person.receptionOn, firstOn),
      pastFirstContact: isPastFirstContact(person.receptionOn, firstOn, today, policy.firstContactDays),
    }
  })
  const figures = (group: typeof rows) => {
    const allocated = group.filter((row) => row.staffUserId !== null)
    const received = group.filter((row) => row.person.receptionOn >= period.from && row.person.receptionOn <= period.to)
    const average = (values: (number | null)[]) => {
      const known = values.filter((value): value is number => value !== null)
      return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length
    }
    const delivery = deliveryOver(
      allocated.map((row) => row.delivery!),
      period,
      policy.sessionIntervalDays,
    )
    return {
      people: group.length,
      allocated: allocated.length,
      due: delivery.due,
      held: delivery.held,
      heldWhenDue: delivery.heldWhenDue,
      pastFirstContact: group.filter((row) => row.pastFirstContact).length,
      shareAllocated: group.length === 0 ? null : allocated.length / group.length,
      complianceRate: delivery.complianceRate,
      averageDaysToAllocation: average(received.map((row) => row.daysToAllocation)),
      averageDaysToFirstSession: average(received.map((row) => row.daysToFirstSession)),
    }
  }
  const byWing = Map.groupBy(rows, (row) => row.person.wingCode ?? '')
  const byOfficer = Map.groupBy(rows, (row) => row.staffUserId)
  return {
    prison: figures(rows),
    wings: [...byWing].map(([wingCode, group]) => ({
      code: wingCode,
      name: group[0]?.person.wingName ?? null,
      ...figures(group),
    })),
    officers: officers
      .map((officer) => ({
        staffUserId: officer.staffUserId,
        displayName: officer.displayName,
        ...figures(byOfficer.get(officer.staffUserId) ?? []),
      }))
      .filter((row) => row.people > 0),
    pastFirstContact: rows
      .filter((row) => row.pastFirstContact)
      .map((row) => ({ id: row.person.id, days: daysBetween(row.person.receptionOn, today) })),
  }
}

describeServicesOnEachEngine('the key work statistics', '2026-11-25T09:00:00Z', ({ database, services }) => {
  /**
   * A roll as a prison's is: two wings and people waiting for a cell; received over the last months and some
   * in the last days; allocated long ago, in the period around London's midnight in summer time and out of it
   * (the clocks went back at 01:00 UTC on 25 October 2026), after today, moved from one officer to another or
   * never; sessions held before and after allocation, around the period's edges, some that did not happen and
   * some dated after today; and another prison with people, officers and sessions of its own.
   */
  const roll = arrangedBefore(async () => {
    const db = database.db
    const prison = await givenEstablishment(db)
    const reader = await givenStaffUser(db, { role: 'governor', establishmentCodes: [prison.code] })
    const wingB = await db
      .insertInto('wing')
      .values({ establishment_code: prison.code, code: 'B', name: 'B wing' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const cellB = await db
      .insertInto('cell')
      .values({ wing_id: wingB.id, landing: 1, label: 'B-1-001', capacity: 2 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const cells = [prison.cellId, cellB.id, null]
    const officers = []
    for (let i = 0; i < 3; i += 1) {
      const officer = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: [prison.code] })
      await givenTraining(db, officer.id, 'safeguarding', '2024-01-01', '2027-06-01')
      officers.push(officer.id)
    }
    const elsewhere = await givenEstablishment(db)
    const awayOfficer = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: [elsewhere.code] })
    const instants = allocationInstants
    const receptions: IsoDate[] = [
      '2024-06-01',
      '2026-07-15',
      '2026-09-01',
      '2026-10-24',
      '2026-10-25',
      '2026-10-28',
      '2026-10-29',
      '2026-11-10',
      '2026-11-17',
      '2026-11-18',
      '2026-11-24',
      '2026-11-25',
    ]
    const sessionDays: IsoDate[] = [
      '2026-07-15',
      '2026-10-24',
      '2026-10-25',
      '2026-10-28',
      '2026-10-29',
      '2026-11-01',
      '2026-11-18',
      '2026-11-19',
      '2026-11-25',
      '2026-11-26',
    ]
    const allocate = (personId: string, staffUserId: string, at: string, endedAt: string | null = null) =>
      givenDedicatedOfficer(db, personId, staffUserId, at, endedAt)
    const hold = (personId: string, staffUserId: string, heldOn: IsoDate, didNotHappen = false) =>
      db
        .insertInto('key_work_session')
        .values({
          person_id: personId,
          staff_user_id: staffUserId,
          held_on: heldOn,
          minutes: 30,
          recorded_at: new Date(`${heldOn}T15:00:00Z`),
          did_not_happen_reason: didNotHappen ? 'refused' : null,
        })
        .execute()
    for (let i = 0; i < 60; i += 1) {
      const person = await givenPerson(db, prison.code, { cellId: cells[i % cells.length] })
      await db
        .updateTable('person')
        .set({ reception_on: receptions[(i * 5) % receptions.length] })
        .where('id', '=', person.id)
        .execute()
      const officer = officers[i % officers.length]
      if (i % 4 === 3)
        await allocate(person.id, officers[(i + 1) % officers.length], instants[(i + 2) % 3], instants[(i + 3) % 12])
      if (i % 6 !== 5) await allocate(person.id, officer, instants[i % instants.length])
      for (let s = 0; s < i % 5; s += 1) await hold(person.id, officer, sessionDays[(i + s * 3) % sessionDays.length])
      if (i % 9 === 2) await hold(person.id, officer, sessionDays[i % sessionDays.length], true)
      for (let m = 0; m < i % 3; m += 1)
        await db
          .insertInto('progress_meeting')
          .values({
            person_id: person.id,
            held_on: sessionDays[(i + m * 4) % sessionDays.length],
            attendees: JSON.stringify([]),
            recorded_by: null,
            recorded_at: new Date('2026-11-01T12:00:00Z'),
          })
          .execute()
      if (i % 10 === 0) {
        const away = await givenPerson(db, elsewhere.code, { cellId: elsewhere.cellId })
        await allocate(away.id, awayOfficer.id, instants[(i + 4) % instants.length])
        await hold(away.id, awayOfficer.id, sessionDays[i % sessionDays.length])
      }
    }
    return { prison, reader }
  })

  it('counts what the rules count, person by person, at every hour and period around the change of the clocks', async () => {
    const instants = ['2026-11-25T09:00:00Z', '2026-10-24T23:30:00Z', '2026-10-25T00:30:00Z', '2026-10-28T23:59:00Z']
    for (const now of instants) {
      const clock = fixedClock(now)
      const servicesThen = createServices({ db: database.db, clock })
      for (const periodDays of [7, 28, 91]) {
        const expected = await statisticsByTheRules(database.db, servicesThen, roll.reader, clock.today(), periodDays)
        const counted = await servicesThen.keywork.statistics(roll.reader, periodDays)
        const pages = [counted.pastFirstContact.people]
        for (let page = 2; page <= counted.pastFirstContact.pageCount; page += 1)
          pages.push((await servicesThen.keywork.statistics(roll.reader, periodDays, page)).pastFirstContact.people)
        const at = `at ${now}, over ${periodDays} days`
        assert.deepEqual(
          { prison: counted.prison, wings: counted.wings, officers: counted.officers },
          { prison: expected.prison, wings: expected.wings, officers: expected.officers },
          at,
        )
        assert.deepEqual(
          pages.flat().map((person) => ({ id: person.id, days: person.days })),
          expected.pastFirstContact,
          at,
        )
        assert.equal(counted.pastFirstContact.total, expected.pastFirstContact.length, at)
      }
    }
    const figures = await services.keywork.statistics(roll.reader, 28)
    assert.ok(figures.prison.due > 0 && figures.prison.held > 0 && figures.prison.pastFirstContact > 0)
    assert.deepEqual(
      figures.wings.map((wing) => wing.name),
      ['A wing', 'B wing', null],
    )
  })

  it('counts the progress meetings due and held as the rules count them, from each person’s reception', async () => {
    for (const now of ['2026-11-25T09:00:00Z', '2026-10-24T23:30:00Z', '2026-09-20T12:00:00Z']) {
      const clock = fixedClock(now)
      const today = clock.today()
      const servicesThen = createServices({ db: database.db, clock })
      const counted = await servicesThen.keywork.progressMeetings(roll.reader)
      const everyone = await servicesThen.people.listPeopleAt(roll.prison.code)
      const meetings = await database.db
        .selectFrom('progress_meeting')
        .select(['person_id as personId', 'held_on as heldOn'])
        .where(
          'person_id',
          'in',
          everyone.map((person) => person.id),
        )
        .execute()
      const datesOf = datesByPerson(meetings)
      const expected = deliveryOver(
        everyone.map((person) => ({
          personId: person.id,
          coveredFrom: person.receptionOn,
          sessionDates: datesOf.get(person.id) ?? [],
        })),
        counted.period,
        counted.intervalDays,
      )
      assert.deepEqual(
        { ...counted, period: undefined, intervalDays: undefined },
        { ...expected, period: undefined, intervalDays: undefined },
        now,
      )
      assert.equal(counted.period.to, today)
      if (now === '2026-11-25T09:00:00Z') assert.ok(expected.due > 0 && expected.held > 0 && expected.heldWhenDue > 0)
    }
  })

  it('lists the people past first contact fifty to a page, in the roll’s order, and the last page for one past it', async () => {
    const prison = await givenEstablishment(database.db)
    const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
    for (let i = 0; i < 51; i += 1)
      await givenPerson(database.db, prison.code, {
        cellId: prison.cellId,
        lastName: `Waiting${String(i).padStart(2, '0')}`,
      })
    const first = await services.keywork.statistics(reader, 28)
    assert.deepEqual(
      {
        total: first.pastFirstContact.total,
        page: first.pastFirstContact.page,
        pageCount: first.pastFirstContact.pageCount,
      },
      { total: 51, page: 1, pageCount: 2 },
    )
    assert.equal(first.pastFirstContact.people.length, 50)
    assert.equal(first.pastFirstContact.people[0]?.lastName, 'Waiting00')
    const beyond = await services.keywork.statistics(reader, 28, 99)
    assert.equal(beyond.pastFirstContact.page, 2)
    assert.deepEqual(
      beyond.pastFirstContact.people.map((person) => [person.lastName, person.wingName, person.days]),
      [['Waiting50', 'A wing', 55]],
    )
  })

  it('asks the same number of queries of a roll of sixty as of a roll of one', async () => {
    const prison = await givenEstablishment(database.db)
    const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
    await givenPerson(database.db, prison.code, { cellId: prison.cellId })
    // An officer: with none, the staff area asks nothing of their training.
    await givenStaffUser(database.db, { role: 'keyworker', establishmentCodes: [prison.code] })
    const { counted, plugin } = queryCounter()
    const keywork = createServices({
      db: database.db.withPlugin(plugin),
      clock: fixedClock('2026-11-25T09:00:00Z'),
    }).keywork
    await keywork.statistics(reader)
    const forOne = counted.queries
    counted.queries = 0
    await keywork.statistics(roll.reader)
    assert.equal(counted.queries, forOne)
  })
})
