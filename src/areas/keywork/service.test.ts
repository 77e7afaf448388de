import { sql } from 'kysely'
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
import { givenTrainedOfficer } from '../../../test/support/staff-builders.ts'

describeServicesOnEachEngine('the key work service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { lead: 'safercustody' }))

  /** An officer trained to take people (safeguarding and mental health first aid current), at home unless `at`. */
  const givenOfficer = (options: Parameters<typeof givenTrainedOfficer>[2] & { at?: { code: string } } = {}) =>
    givenTrainedOfficer(database.db, (options.at ?? home).code, options)

  const allocationsOf = (personId: string) =>
    database.db.selectFrom('dedicated_officer_allocation').selectAll().where('person_id', '=', personId).execute()
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId })
  /** How many people the officer is the dedicated officer of now. */
  const currentCaseloadOf = async (staffUserId: string) =>
    (
      await database.db
        .selectFrom('dedicated_officer_allocation')
        .select('id')
        .where('staff_user_id', '=', staffUserId)
        .where('ended_at', 'is', null)
        .execute()
    ).length
  /** The ends of the person's allocations told to other areas and systems, with the prison each was told at. */
  const allocationsEnded = async (personId: string) =>
    (
      await database.db
        .selectFrom('event_outbox')
        .select(['payload', 'establishment_code as establishmentCode'])
        .where('type', '=', 'dedicated-officer.allocation-ended')
        .where(sql<string>`payload->>'personId'`, '=', personId)
        .execute()
    ).map(({ payload, establishmentCode }) => {
      const { allocationId, staffUserId, reason } = payload as Record<string, string>
      return { establishmentCode, allocationId, staffUserId, reason }
    })

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

    it('allocates a person once when sent twice at once, telling the second it is so', async () => {
      const officer = await givenOfficer({ caseloadLimit: 1 })
      const person = await givenPerson(database.db, home.code)
      const answers = await Promise.all(
        [1, 2].map(() => services.keywork.allocate(home.lead, person.prisonNumber, officer.id)),
      )
      assert.deepEqual(answers.map((answer) => answer?.messageKey ?? 'allocated').sort(), [
        'allocated',
        'keywork.allocate.error.already',
      ])
      assert.equal((await allocationsOf(person.id)).length, 1)
    })

    it('fills an officer’s last place once when two people are allocated to them at once', async () => {
      const officer = await givenOfficer({ caseloadLimit: 1 })
      const [first, second] = await Promise.all([1, 2].map(() => givenPerson(database.db, home.code)))
      const answers = await Promise.all(
        [first, second].map((person) => services.keywork.allocate(home.lead, person.prisonNumber, officer.id)),
      )
      assert.deepEqual(answers.map((answer) => answer?.messageKey ?? 'allocated').sort(), [
        'allocated',
        'keywork.refusal.full',
      ])
      assert.equal(await currentCaseloadOf(officer.id), 1)
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
      await services.keywork.endAllocationForMove(
        database.db,
        home.lead,
        { ...person, establishmentCode: home.code },
        'transfer',
      )
      assert.equal((await services.keywork.currentDedicatedOfficers([person.id])).size, 0)
      const rows = await allocationsOf(person.id)
      assert.equal(rows[0]?.end_reason, 'transfer')
      assert.ok((await auditOf(person.id)).some((entry) => entry.action === 'dedicated-officer.deallocated'))
      // Other systems hear the allocation end, at the prison the person left, as they heard it start.
      assert.deepEqual(await allocationsEnded(person.id), [
        { establishmentCode: home.code, allocationId: rows[0]?.id, staffUserId: officer.id, reason: 'transfer' },
      ])
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
          await services.keywork.endAllocationForMove(
            trx,
            home.lead,
            { ...person, establishmentCode: home.code },
            'transfer',
          )
          throw new Error('the move failed')
        }),
        /the move failed/,
      )
      assert.equal(
        (await services.keywork.currentDedicatedOfficers([person.id])).get(person.id)?.staffUserId,
        officer.id,
      )
      assert.ok(!(await auditOf(person.id)).some((entry) => entry.action === 'dedicated-officer.deallocated'))
      assert.deepEqual(await allocationsEnded(person.id), [])
    })

    it('does nothing for a person with no officer', async () => {
      const person = await givenPerson(database.db, home.code)
      await services.keywork.endAllocationForMove(
        database.db,
        home.lead,
        { ...person, establishmentCode: home.code },
        'release',
      )
      assert.deepEqual(await auditOf(person.id), [])
    })
  })

  describe('decideSpecialistNeed', () => {
    it('records one decision when the same is sent twice at once', async () => {
      const person = await givenPerson(database.db, home.code)
      const decision = { needsSpecialist: true, reason: 'Autism assessment advises one consistent officer' }
      const answers = await Promise.all(
        [1, 2].map(() => services.keywork.decideSpecialistNeed(home.lead, person.prisonNumber, decision)),
      )
      assert.deepEqual(answers.map((answer) => answer?.messageKey ?? 'recorded').sort(), [
        'keywork.specialist.error.already',
        'recorded',
      ])
      assert.equal((await services.keywork.viewSpecialistNeed(home.lead, person.prisonNumber)).decisions.length, 1)
    })

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
      await services.keywork.endAllocationForMove(
        database.db,
        allocator,
        { ...returning, establishmentCode: prison.code },
        'transfer',
      )
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

    it('does not overfill an officer when a wing is accepted as someone is allocated to them by hand', async () => {
      const prison = await givenEstablishment(database.db)
      const allocator = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const officer = await givenOfficer({ at: prison, caseloadLimit: 1 })
      const onWing = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
      const byHand = await givenPerson(database.db, prison.code)
      const wing = (await services.keywork.viewWingAllocation(allocator)).wings.find((shown) => shown.code === 'A')!
      assert.equal(wing.plan, `${onWing.id}=${officer.id}`)
      const [accepted, allocated] = await Promise.all([
        services.keywork.acceptWingRecommendation(allocator, 'A', wing.plan),
        services.keywork.allocate(allocator, byHand.prisonNumber, officer.id),
      ])
      assert.equal(await currentCaseloadOf(officer.id), 1)
      assert.ok(
        accepted === 1 ? allocated?.messageKey === 'keywork.refusal.full' : accepted === null && allocated === null,
        `both or neither happened: ${JSON.stringify([accepted, allocated])}`,
      )
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

    /** A person with a dedicated officer, and safer custody's request to change them, waiting. */
    async function givenPendingChangeRequest() {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      await services.keywork.raiseChangeRequest(home.lead, person.prisonNumber, 'Clash')
      const { pending } = await services.keywork.listChangeRequests(home.lead)
      return { person, request: pending.find((candidate) => candidate.personId === person.id)! }
    }

    it('keeps one request waiting when two are sent at once', async () => {
      const officer = await givenOfficer()
      const person = await givenPerson(database.db, home.code)
      await services.keywork.allocate(home.lead, person.prisonNumber, officer.id)
      const second = createServices({ db: database.db, clock }).keywork
      const answers = await Promise.all([
        services.keywork.raiseChangeRequest(home.lead, person.prisonNumber, 'Clash'),
        second.raiseChangeRequest(home.lead, person.prisonNumber, 'Clash'),
      ])
      assert.deepEqual(answers.map((answer) => answer?.messageKey ?? 'raised').sort(), [
        'keywork.changeRequest.error.pending',
        'raised',
      ])
      const { pending } = await services.keywork.listChangeRequests(home.lead)
      assert.equal(pending.filter((request) => request.personId === person.id).length, 1)
    })

    it('declined keeps the allocation and records the reason', async () => {
      const { person, request } = await givenPendingChangeRequest()
      await services.keywork.decideChangeRequest(home.lead, request.id, 'declined', 'Resolved by talking')
      const rows = await allocationsOf(person.id)
      assert.equal(rows[0]?.ended_at, null)
      const { decided } = await services.keywork.listChangeRequests(home.lead)
      assert.equal(decided.find((candidate) => candidate.id === request.id)?.outcomeReason, 'Resolved by talking')
    })

    it('decided two ways at once, keeps one decision and does only what it says', async () => {
      const { person, request } = await givenPendingChangeRequest()
      const second = createServices({ db: database.db, clock }).keywork
      const answers = await Promise.allSettled([
        services.keywork.decideChangeRequest(home.lead, request.id, 'agreed', 'Agreed'),
        second.decideChangeRequest(home.lead, request.id, 'declined', 'Declined'),
      ])
      const taken = answers.flatMap((answer, index) =>
        answer.status === 'fulfilled' ? [index === 0 ? 'agreed' : 'declined'] : [],
      )
      assert.equal(taken.length, 1, 'one decision is recorded, the other refused')
      const { decided } = await services.keywork.listChangeRequests(home.lead)
      assert.equal(decided.find((candidate) => candidate.id === request.id)?.status, taken[0])
      const ended = (await allocationsOf(person.id))[0]?.ended_at !== null
      assert.equal(ended, taken[0] === 'agreed', 'the allocation ends only when agreed was the decision kept')
    })
  })
})
