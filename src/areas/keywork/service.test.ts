import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import type { WellbeingFlag } from './rules.ts'
import { queryCounter } from '../../db/query-counter.ts'

const checkIn = { mood: 4, sleep: 4, familyContact: 4, worries: 4, notes: '' }

describeServicesOnEachEngine('the key work service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { lead: 'safercustody' }))

  /** An officer trained to take people (safeguarding and mental health first aid current), at home unless `at`. */
  async function givenOfficer(
    options: {
      role?: 'keyworker' | 'officer'
      safeguarding?: string | null
      caseloadLimit?: number
      at?: { code: string }
    } = {},
  ) {
    const officer = await givenStaffUser(database.db, {
      role: options.role ?? 'keyworker',
      establishmentCodes: [(options.at ?? home).code],
    })
    const safeguarding = options.safeguarding === undefined ? '2027-06-01' : options.safeguarding
    if (safeguarding) await givenTraining(database.db, officer.id, 'safeguarding', '2024-01-01', safeguarding)
    await givenTraining(database.db, officer.id, 'mental-health-first-aid', '2024-01-01', '2027-06-01')
    if (options.caseloadLimit !== undefined)
      await givenStaffStatus(database.db, officer.id, { caseloadLimit: options.caseloadLimit })
    return officer
  }

  const allocationsOf = (personId: string) =>
    database.db.selectFrom('dedicated_officer_allocation').selectAll().where('person_id', '=', personId).execute()
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId })

  describe('policyFor and savePolicy', () => {
    it('gives the defaults for a prison with no settings, and what it saved after', async () => {
      const prison = await givenEstablishment(database.db)
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [prison.code] })
      assert.equal((await services.keywork.policyFor(prison.code)).caseloadDefault, 6)
      const policy = {
        officerLabel: 'personal officer',
        officerLabelCy: 'swyddog personol',
        caseloadDefault: 5,
        caseloadExtended: 8,
        sessionIntervalDays: 14,
        firstContactDays: 10,
      }
      assert.deepEqual(await services.keywork.savePolicy(governor, policy), [])
      assert.deepEqual(await services.keywork.policyFor(prison.code), policy)
    })
  })

  describe('allocate', () => {
    it('writes the allocation and its audit entry', async () => {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      assert.equal(await services.keywork.allocate(home.lead, person.prisonNumber, officer.id), null)
      const rows = await allocationsOf(person.id)
      assert.equal(rows.length, 1)
      assert.equal(rows[0]?.staff_user_id, officer.id)
      assert.equal(rows[0]?.allocation_kind, 'manual')
      assert.equal(rows[0]?.allocated_by, home.lead.id)
      const audit = await auditOf(person.id)
      assert.deepEqual(
        audit.map((entry) => entry.action),
        ['dedicated-officer.allocated'],
      )
      assert.equal(audit[0]?.details.staffUserId, officer.id)
    })

    it('refuses an officer with lapsed training and writes nothing', async () => {
      const officer = await givenOfficer({ safeguarding: '2026-11-24' })
      const person = await givenPerson(database.db, home.code)
      const refusal = await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      assert.equal(refusal?.messageKey, 'keywork.refusal.safeguarding')
      assert.deepEqual(await allocationsOf(person.id), [])
      assert.deepEqual(await auditOf(person.id), [])
    })

    it('refuses an officer whose caseload is full', async () => {
      const officer = await givenOfficer({ caseloadLimit: 1 })
      const first = await givenPerson(database.db, home.code)
      const second = await givenPerson(database.db, home.code)
      assert.equal(await services.keywork.allocate(home.lead, first.prisonNumber, officer.id), null)
      assert.equal(
        (await services.keywork.allocate(home.lead, second.prisonNumber, officer.id))?.messageKey,
        'keywork.refusal.full',
      )
      assert.deepEqual(await allocationsOf(second.id), [])
    })

    it('ends the current allocation when a person moves to another officer', async () => {
      const first = await givenOfficer()
      const second = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, first.id)
      clock.advanceMinutes(1)
      await services.keywork.allocate(home.lead, person.prisonNumber, second.id)
      const rows = await allocationsOf(person.id)
      assert.equal(rows.filter((row) => row.ended_at === null).length, 1)
      assert.equal(rows.find((row) => row.ended_at === null)?.staff_user_id, second.id)
    })
  })

  describe('for the journey area', () => {
    it('names each person’s current officer and ends the allocation on a transfer', async () => {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      const without = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      const current = await services.keywork.currentDedicatedOfficers([person.id, without.id])
      assert.equal(current.size, 1)
      assert.equal(current.get(person.id)?.staffUserId, officer.id)
      assert.equal(current.get(person.id)?.displayName, 'Test keyworker')
      await services.keywork.endAllocationForMove(database.db, home.lead, person.id, 'transfer')
      assert.equal((await services.keywork.currentDedicatedOfficers([person.id])).size, 0)
      const rows = await allocationsOf(person.id)
      assert.equal(rows[0]?.end_reason, 'transfer')
      assert.ok((await auditOf(person.id)).some((entry) => entry.action === 'dedicated-officer.deallocated'))
    })

    it('names the officers of a prison’s roll asked by the prison as it does asked by every id on it', async () => {
      const prison = await givenEstablishment(database.db)
      const elsewhere = await givenEstablishment(database.db)
      const officer = await givenOfficer({ at: prison })
      const gone = await givenOfficer({ at: elsewhere })
      const [kept, withGone, without, away] = [
        await givenPerson(database.db, prison.code),
        await givenPerson(database.db, prison.code),
        await givenPerson(database.db, prison.code),
        await givenPerson(database.db, elsewhere.code),
      ]
      await givenDedicatedOfficer(database.db, kept.id, officer.id, '2026-11-01T09:00:00Z')
      // An officer who has left the prison is still the person's officer, named '' as before.
      await givenDedicatedOfficer(database.db, withGone.id, gone.id, '2026-11-02T09:00:00Z')
      await givenDedicatedOfficer(database.db, away.id, officer.id, '2026-11-03T09:00:00Z')
      const byPrison = await services.keywork.currentDedicatedOfficersAt(prison.code)
      assert.deepEqual(byPrison, await services.keywork.currentDedicatedOfficers([kept.id, withGone.id, without.id]))
      assert.deepEqual([...byPrison.keys()].sort(), [kept.id, withGone.id].sort())
      assert.equal(byPrison.get(kept.id)?.displayName, 'Test keyworker')
      assert.equal(byPrison.get(withGone.id)?.displayName, '')
    })

    it('ends the allocation only if the caller’s transaction is saved', async () => {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await services.keywork.endAllocationForMove(trx, home.lead, person.id, 'transfer')
          throw new Error('the move failed')
        }),
        /the move failed/,
      )
      assert.equal(
        (await services.keywork.currentDedicatedOfficers([person.id])).get(person.id)?.staffUserId,
        officer.id,
      )
      assert.ok(!(await auditOf(person.id)).some((entry) => entry.action === 'dedicated-officer.deallocated'))
    })

    it('does nothing for a person with no officer', async () => {
      const person = await givenPerson(database.db, home.code)
      await services.keywork.endAllocationForMove(database.db, home.lead, person.id, 'release')
      assert.deepEqual(await auditOf(person.id), [])
    })
  })

  describe('decideSpecialistNeed', () => {
    it('records who decided a person needs a specialist officer, when and why, and audits it', async () => {
      const person = await givenPerson(database.db, home.code)
      const decision = { needsSpecialist: true, reason: 'Learning disability: advised by the mental health team' }
      assert.equal(await services.keywork.decideSpecialistNeed(home.lead, person.prisonNumber, decision), null)
      const view = await services.keywork.viewSpecialistNeed(home.lead, person.prisonNumber)
      assert.equal(view.needsSpecialistAllocation, true)
      assert.deepEqual(
        view.decisions.map((row) => [row.needsSpecialist, row.reason, row.decidedByName, row.decidedAt]),
        [[true, decision.reason, 'Test safercustody', clock.now()]],
      )
      assert.deepEqual(
        (await auditOf(person.id)).map((entry) => entry.action),
        ['specialist-need.marked', 'specialist-need.viewed'],
      )
    })

    it('refuses to mark what is already so and writes nothing, then clears the need with a reason', async () => {
      const person = await givenPerson(database.db, home.code)
      assert.deepEqual(
        await services.keywork.decideSpecialistNeed(home.lead, person.prisonNumber, {
          needsSpecialist: false,
          reason: 'No need',
        }),
        { field: 'needsSpecialist', messageKey: 'keywork.specialist.error.notMarked', values: {} },
      )
      assert.deepEqual(await auditOf(person.id), [])
      await services.keywork.decideSpecialistNeed(home.lead, person.prisonNumber, {
        needsSpecialist: true,
        reason: 'Complex need',
      })
      const threeMonthsOn = createServices({ db: database.db, clock: fixedClock('2027-02-25T09:00:00Z') }).keywork
      assert.equal(
        await threeMonthsOn.decideSpecialistNeed(home.lead, person.prisonNumber, {
          needsSpecialist: false,
          reason: 'Settled after three months',
        }),
        null,
      )
      const view = await services.keywork.viewSpecialistNeed(home.lead, person.prisonNumber)
      assert.equal(view.needsSpecialistAllocation, false)
      assert.deepEqual(
        view.decisions.map((row) => row.needsSpecialist),
        [false, true],
      )
    })
  })

  describe('viewWingAllocation and acceptWingRecommendation', () => {
    it('recommends the previous officer first and accepts the whole wing at once', async () => {
      const prison = await givenEstablishment(database.db)
      const allocator = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const previous = await givenOfficer({ at: prison })
      const other = await givenOfficer({ at: prison })
      const returning = await givenPerson(database.db, prison.code, { cellId: prison.cellId, lastName: 'Aaron' })
      const fresh = await givenPerson(database.db, prison.code, { cellId: prison.cellId, lastName: 'Bell' })
      const specialist = await givenPerson(database.db, prison.code, { cellId: prison.cellId, lastName: 'Cole' })
      assert.equal(
        await services.keywork.decideSpecialistNeed(allocator, specialist.prisonNumber, {
          needsSpecialist: true,
          reason: 'Autism assessment advises one consistent officer',
        }),
        null,
      )
      await services.keywork.allocate(allocator, returning.prisonNumber, previous.id)
      await services.keywork.endAllocationForMove(database.db, allocator, returning.id, 'transfer')
      const view = await services.keywork.viewWingAllocation(allocator)
      const wing = view.wings.find((candidate) => candidate.code === 'A')!
      const byPerson = new Map(wing.people.map((person) => [person.id, person.recommendation]))
      assert.equal(byPerson.get(returning.id)?.reason, 'continuity')
      assert.equal(byPerson.get(returning.id)?.staffUserId, previous.id)
      assert.equal(byPerson.get(fresh.id)?.reason, 'lowest-ratio')
      assert.equal(byPerson.get(fresh.id)?.staffUserId, other.id)
      assert.equal(byPerson.get(specialist.id)?.reason, 'specialist')

      // A plan other than the one shown is refused and writes nothing.
      assert.equal(await services.keywork.acceptWingRecommendation(allocator, 'A', `${fresh.id}=${previous.id}`), null)
      assert.equal((await allocationsOf(fresh.id)).length, 0)
      assert.equal(await services.keywork.acceptWingRecommendation(allocator, 'A', wing.plan), 2)
      assert.equal((await allocationsOf(fresh.id))[0]?.allocation_kind, 'recommended')
      assert.equal((await allocationsOf(specialist.id)).length, 0)
      // By hand, the person needing a specialist is allocated as such.
      assert.equal(await services.keywork.allocate(allocator, specialist.prisonNumber, previous.id), null)
      assert.equal((await allocationsOf(specialist.id))[0]?.allocation_kind, 'specialist')
      const page = await services.keywork.viewDedicatedOfficer(allocator, specialist.prisonNumber)
      assert.equal(page.needsSpecialistAllocation, true)
      const accepted = (await auditTrailOf(database.db, { actorId: allocator.id })).find(
        (entry) => entry.action === 'dedicated-officer.recommendation-accepted',
      )
      assert.deepEqual(accepted?.details, { wingCode: 'A', count: 2 })
    })
  })

  describe('K2: change requests', () => {
    it('reach safer custody but never the officer they are about, even one who reviews requests', async () => {
      const prison = await givenEstablishment(database.db)
      const reviewer = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      // A safer custody officer who is also someone's dedicated officer: the request is about them.
      const subject = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const person = await givenPerson(database.db, prison.code)
      await givenDedicatedOfficer(database.db, person.id, subject.id, '2026-11-01T09:00:00Z')
      assert.equal(
        await services.keywork.raiseChangeRequest(reviewer, person.prisonNumber, 'Wants a different officer'),
        null,
      )
      const seen = await services.keywork.listChangeRequests(reviewer)
      assert.equal(seen.pending.length, 1)
      assert.equal(seen.pending[0]?.reason, 'Wants a different officer')
      const hidden = await services.keywork.listChangeRequests(subject)
      assert.deepEqual(hidden.pending, [])
      assert.deepEqual(hidden.decided, [])
      await assert.rejects(
        services.keywork.decideChangeRequest(subject, seen.pending[0].id, 'declined', 'I disagree'),
        /Not found/,
      )
      const audit = await auditOf(person.id)
      assert.ok(!JSON.stringify(audit).includes('different officer'), 'no free text in the audit trail')
    })

    it('refuses a request for a person with no officer', async () => {
      const person = await givenPerson(database.db, home.code)
      const refusal = await services.keywork.raiseChangeRequest(home.lead, person.prisonNumber, 'x')
      assert.equal(refusal?.messageKey, 'keywork.changeRequest.error.noOfficer')
    })

    it('declined keeps the allocation and records the reason', async () => {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      await services.keywork.raiseChangeRequest(home.lead, person.prisonNumber, 'Clash')
      const { pending } = await services.keywork.listChangeRequests(home.lead)
      const request = pending.find((candidate) => candidate.personId === person.id)!
      await services.keywork.decideChangeRequest(home.lead, request.id, 'declined', 'Resolved by talking')
      const rows = await allocationsOf(person.id)
      assert.equal(rows[0]?.ended_at, null)
      const { decided } = await services.keywork.listChangeRequests(home.lead)
      assert.equal(decided.find((candidate) => candidate.id === request.id)?.outcomeReason, 'Resolved by talking')
    })
  })

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
      const allocatedAt = [
        '2025-03-01T10:00:00Z',
        '2026-07-14T23:30:00Z',
        '2026-08-31T22:59:00Z',
        '2026-09-03T23:30:00Z',
        '2026-10-24T23:30:00Z',
        '2026-10-28T23:59:00Z',
        '2026-10-29T00:00:00Z',
        '2026-11-18T12:00:00Z',
        '2026-11-24T23:59:00Z',
        '2026-11-25T08:00:00Z',
        '2026-11-26T10:00:00Z',
      ]
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
      for (const heldOn of ['2026-11-11', '2026-11-18', '2026-11-25'])
        assert.equal(
          await services.keywork.recordSession(officer, person.prisonNumber, {
            heldOn,
            minutes: 30,
            checkIn: { ...checkIn, sleep: 2 },
          }),
          null,
        )
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
        for (const [heldOn, reading] of held)
          assert.equal(
            await services.keywork.recordSession(officer, person.prisonNumber, {
              heldOn,
              minutes: 30,
              checkIn: { ...checkIn, ...reading },
            }),
            null,
          )
      }
      // Low readings at another prison are not this prison's.
      const elsewhere = await givenEstablishment(database.db)
      const awayOfficer = await givenOfficer({ at: elsewhere })
      const away = await givenPerson(database.db, elsewhere.code, { cellId: elsewhere.cellId })
      for (const heldOn of ['2026-11-11', '2026-11-18', '2026-11-25'])
        assert.equal(
          await services.keywork.recordSession(awayOfficer, away.prisonNumber, {
            heldOn,
            minutes: 30,
            checkIn: { ...checkIn, mood: 1 },
          }),
          null,
        )
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
