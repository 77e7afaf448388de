import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { Actor } from '../../platform/permissions.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { givenTrainedOfficer } from '../../../test/support/staff-builders.ts'
import { allocationInstants } from '../../../test/support/keywork-builders.ts'
import type { WellbeingFlag } from './rules.ts'
import { queryCounter } from '../../db/query-counter.ts'

const checkIn = { mood: 4, sleep: 4, familyContact: 4, worries: 4, notes: '' }

describeServicesOnEachEngine('the key work service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  /** An officer trained to take people (safeguarding and mental health first aid current) at the prison. */
  const givenOfficer = ({ at }: { at: { code: string } }) => givenTrainedOfficer(database.db, at.code)
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId })

  /** The officer records a half-hour session with the person on each day, every reading 4 but what `reading` says. */
  async function sessionsHeld(officer: Actor, prisonNumber: string, days: string[], reading: Partial<typeof checkIn>) {
    for (const heldOn of days)
      assert.equal(
        await services.keywork.recordSession(officer, prisonNumber, {
          heldOn,
          minutes: 30,
          checkIn: { ...checkIn, ...reading },
        }),
        null,
      )
  }

  describe('sessionsDue', () => {
    /**
     * A roll as the demo's is: most people allocated long ago, some in the period (around London's midnight,
     * in summer time and out of it), one whose allocation starts after today, some moved from one officer to
     * another, some never allocated or no longer; and people at another prison with officers of their own.
     */
    async function givenRoll(count: number) {
      const prison = await givenEstablishment(database.db)
      const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
      const officers = [await givenOfficer({ at: prison }), await givenOfficer({ at: prison })]
      const elsewhere = await givenEstablishment(database.db)
      const awayOfficer = await givenOfficer({ at: elsewhere })
      const allocatedAt = allocationInstants
      const allocate = (personId: string, staffUserId: string, at: string, endedAt: string | null = null) =>
        givenDedicatedOfficer(database.db, personId, staffUserId, at, endedAt)
      for (let i = 0; i < count; i += 1) {
        const person = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
        const officer = officers[i % officers.length].id
        if (i % 7 === 6) continue
        if (i % 5 === 4)
          await allocate(
            person.id,
            officers[(i + 1) % officers.length].id,
            '2024-01-01T09:00:00Z',
            allocatedAt[(i + 3) % allocatedAt.length],
          )
        if (i % 11 === 10) continue
        await allocate(person.id, officer, allocatedAt[i % allocatedAt.length])
        const away = await givenPerson(database.db, elsewhere.code, { cellId: elsewhere.cellId })
        await allocate(away.id, awayOfficer.id, allocatedAt[(i + 5) % allocatedAt.length])
      }
      return { prison, reader }
    }

    it('counts what the statistics count for the prison, over every period and interval', async () => {
      const { prison, reader } = await givenRoll(40)
      for (const intervalDays of [7, 10, 28]) {
        await database.db
          .insertInto('keywork_policy')
          .values({ establishment_code: prison.code, session_interval_days: intervalDays })
          .onConflict((conflict) =>
            conflict.column('establishment_code').doUpdateSet({ session_interval_days: intervalDays }),
          )
          .execute()
        for (const periodDays of [1, 7, 28, 90, 365]) {
          const statistics = await services.keywork.statistics(reader, periodDays)
          const counted = await services.keywork.sessionsDue(reader, periodDays)
          assert.deepEqual(
            counted,
            { period: statistics.period, due: statistics.prison.due },
            `${periodDays} days, every ${intervalDays}`,
          )
        }
      }
      assert.ok((await services.keywork.sessionsDue(reader, 28)).due > 0)
    })

    it('counts none where no one is allocated', async () => {
      const prison = await givenEstablishment(database.db)
      const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
      await givenPerson(database.db, prison.code, { cellId: prison.cellId })
      assert.equal((await services.keywork.sessionsDue(reader, 28)).due, 0)
    })

    it('asks the same number of queries of a roll of forty as of a roll of one', async () => {
      const one = await givenRoll(1)
      const forty = await givenRoll(40)
      const { counted, plugin } = queryCounter()
      const keywork = createServices({ db: database.db.withPlugin(plugin), clock }).keywork
      await keywork.sessionsDue(one.reader, 28)
      const forOne = counted.queries
      counted.queries = 0
      await keywork.sessionsDue(forty.reader, 28)
      assert.equal(counted.queries, forOne)
      assert.equal(forOne, 2)
    })
  })

  describe('sessions, flags and statistics', () => {
    it('flags three low readings for the officer and safer custody, and counts the sessions', async () => {
      const prison = await givenEstablishment(database.db)
      const allocator = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const officer = await givenOfficer({ at: prison })
      const person = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
      await services.keywork.allocate(allocator, person.prisonNumber, officer.id)
      await sessionsHeld(officer, person.prisonNumber, ['2026-11-11', '2026-11-18', '2026-11-25'], { sleep: 2 })
      const caseload = await services.keywork.myCaseload(officer)
      assert.deepEqual(caseload.people[0]?.flags, [{ kind: 'low-run', scale: 'sleep' }])
      assert.equal(caseload.people[0]?.nextSessionDue, '2026-12-02')
      const flags = await services.keywork.listWellbeingFlags(allocator)
      assert.deepEqual(
        flags.people.map((entry) => entry.id),
        [person.id],
      )
      const statistics = await services.keywork.statistics(allocator)
      assert.equal(statistics.prison.people, 1)
      assert.equal(statistics.prison.shareAllocated, 1)
      assert.equal(statistics.prison.held, 1, 'sessions held since allocation today')
      const audit = await auditOf(person.id)
      assert.equal(audit.filter((entry) => entry.action === 'key-work-session.recorded').length, 3)
    })

    it('flags from the latest check-ins and the last session held, alike for the prison and for one person', async () => {
      const prison = await givenEstablishment(database.db)
      const allocator = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const officer = await givenOfficer({ at: prison })
      const sessions: Record<string, [string, Partial<typeof checkIn>][]> = {
        // A drop long ago, steady since: no flag.
        steady: [
          ['2026-11-04', { mood: 5 }],
          ['2026-11-11', { mood: 2 }],
          ['2026-11-18', { mood: 3 }],
          ['2026-11-25', { mood: 3 }],
        ],
        dropped: [
          ['2026-11-18', { mood: 5 }],
          ['2026-11-25', { mood: 3 }],
        ],
        // Three low readings, then a good one: the run is over.
        recovered: [
          ['2026-11-04', { sleep: 2 }],
          ['2026-11-11', { sleep: 2 }],
          ['2026-11-18', { sleep: 2 }],
          ['2026-11-25', { sleep: 4 }],
        ],
        unseen: [['2026-10-01', {}]],
      }
      const people = new Map<string, { id: string; prisonNumber: string }>()
      for (const [name, held] of Object.entries(sessions)) {
        const person = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
        people.set(name, person)
        assert.equal(await services.keywork.allocate(allocator, person.prisonNumber, officer.id), null)
        for (const [heldOn, reading] of held) await sessionsHeld(officer, person.prisonNumber, [heldOn], reading)
      }
      // Low readings at another prison are not this prison's.
      const elsewhere = await givenEstablishment(database.db)
      const awayOfficer = await givenOfficer({ at: elsewhere })
      const away = await givenPerson(database.db, elsewhere.code, { cellId: elsewhere.cellId })
      await sessionsHeld(awayOfficer, away.prisonNumber, ['2026-11-11', '2026-11-18', '2026-11-25'], { mood: 1 })
      const expected: Record<string, WellbeingFlag[]> = {
        steady: [],
        dropped: [{ kind: 'drop', scale: 'mood', from: 5, to: 3 }],
        recovered: [],
        unseen: [{ kind: 'missed-sessions', days: 55 }],
      }
      const listed = await services.keywork.listWellbeingFlags(allocator)
      assert.deepEqual(
        new Map(listed.people.map((entry) => [entry.id, entry.flags])),
        new Map<string, WellbeingFlag[]>([
          [people.get('dropped')!.id, expected.dropped],
          [people.get('unseen')!.id, expected.unseen],
        ]),
      )
      assert.equal(listed.people.find((entry) => entry.id === people.get('unseen')!.id)?.lastSessionOn, '2026-10-01')
      for (const [name, person] of people)
        assert.deepEqual(
          (await services.keywork.viewKeyWork(allocator, person.prisonNumber)).flags,
          expected[name],
          name,
        )
    })

    it('reads the statistics as they stood on the day its clock says, as the measures keep a past month', async () => {
      const prison = await givenEstablishment(database.db)
      const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
      const officer = await givenStaffUser(database.db, { role: 'keyworker', establishmentCodes: [prison.code] })
      const early = await givenPerson(database.db, prison.code)
      const late = await givenPerson(database.db, prison.code)
      await database.db.updateTable('person').set({ reception_on: '2026-11-01' }).where('id', '=', early.id).execute()
      await database.db.updateTable('person').set({ reception_on: '2026-11-20' }).where('id', '=', late.id).execute()
      await database.db
        .insertInto('key_work_session')
        .values(
          [early, late].map((person) => ({
            person_id: person.id,
            staff_user_id: officer.id,
            held_on: '2026-11-22',
            minutes: 30,
            recorded_at: new Date('2026-11-22T15:00:00Z'),
          })),
        )
        .execute()
      const asOfTenth = createServices({ db: database.db, clock: fixedClock('2026-11-10T18:00:00Z') }).keywork
      const then = await asOfTenth.statistics(reader)
      // On the 10th nobody had been seen: the session on the 22nd had not happened, and the later arrival was not here.
      assert.equal(then.prison.averageDaysToFirstSession, null)
      assert.deepEqual(
        then.pastFirstContact.people.map((entry) => entry.id),
        [early.id],
      )
      const now = await services.keywork.statistics(reader)
      assert.equal(now.prison.averageDaysToFirstSession, (21 + 2) / 2)
    })

    it('lists a person past the first contact threshold with no session', async () => {
      const prison = await givenEstablishment(database.db)
      const reader = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
      const person = await givenPerson(database.db, prison.code)
      const statistics = await services.keywork.statistics(reader)
      assert.deepEqual(
        statistics.pastFirstContact.people.map((entry) => entry.id),
        [person.id],
      )
    })
  })
})
