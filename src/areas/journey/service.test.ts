import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../platform/errors.ts'
import type { JourneyStageName } from '../../db/schema.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import {
  givenDedicatedOfficer,
  givenPersonAtStage,
  givenStage,
  journeyPrisonsBefore,
} from '../../../test/support/journey-builders.ts'

describeServicesOnEachEngine('the journey service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const { sending, elsewhere, stagesOf, auditOf } = journeyPrisonsBefore(database)
  /**
   * A person at `stage` since `startedAt` with the sending officer named, and the sending key worker their
   * dedicated officer since `allocatedAt`.
   */
  const keyworkedAt = async (stage: JourneyStageName, startedAt: string, allocatedAt: string) => {
    const person = await givenPersonAtStage(database.db, sending.code, {
      stage,
      responsibleStaffUserId: sending.officer.id,
      startedAt,
    })
    await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, allocatedAt)
    return person
  }

  describe('recordStage', () => {
    /** A person at reception since yesterday afternoon, with the sending officer named. */
    const atReception = () =>
      givenPersonAtStage(database.db, sending.code, {
        stage: 'reception',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-11-24T15:00:00Z',
      })
    /** The sending officer records the person's next stage, naming themselves as responsible. */
    const officerRecords = (prisonNumber: string, stage: JourneyStageName, reason: string) =>
      services.journey.recordStage(sending.officer, prisonNumber, {
        stage,
        responsibleStaffUserId: sending.officer.id,
        reason,
      })

    it('starts a journey at reception with the named officer and the reason, audited', async () => {
      const person = await givenPerson(database.db, sending.code)
      const refusal = await officerRecords(person.prisonNumber, 'reception', 'Arrived from court')
      assert.equal(refusal, null)
      const stages = await stagesOf(person.id)
      assert.equal(stages.length, 1)
      assert.equal(stages[0].stage, 'reception')
      assert.equal(stages[0].responsible_staff_user_id, sending.officer.id)
      assert.equal(stages[0].reason, 'Arrived from court')
      assert.equal(stages[0].ended_at, null)
      const audit = await auditOf(person.id)
      assert.deepEqual(
        audit.map((entry) => entry.action),
        ['journey.stage-recorded'],
      )
      assert.equal(audit[0].details.stage, 'reception')
      assert.doesNotMatch(JSON.stringify(audit[0].details), /court/, 'the reason stays out of the audit details')
    })

    it('ends the previous stage at the same instant the next begins', async () => {
      const person = await atReception()
      const refusal = await officerRecords(person.prisonNumber, 'first-night', 'Moved to first night centre')
      assert.equal(refusal, null)
      const [reception, firstNight] = await stagesOf(person.id)
      assert.equal(firstNight.stage, 'first-night')
      assert.deepEqual(reception.ended_at, clock.now())
      assert.deepEqual(firstNight.started_at, clock.now())
      assert.equal(firstNight.ended_at, null)
    })

    it('fills a gap by naming someone at the same stage, keeping who was named before', async () => {
      const person = await givenPersonAtStage(database.db, sending.code, {
        stage: 'induction',
        startedAt: '2026-11-24T09:00:00Z',
      })
      assert.equal(
        (await services.journey.viewJourney(sending.officer, person.prisonNumber)).responsibility.kind,
        'gap',
      )
      const refusal = await services.journey.recordStage(sending.lead, person.prisonNumber, {
        stage: 'induction',
        responsibleStaffUserId: sending.officer.id,
        reason: 'Nobody had been named',
      })
      assert.equal(refusal, null)
      assert.deepEqual(
        (await stagesOf(person.id)).map((stage) => [
          stage.stage,
          stage.responsible_staff_user_id,
          stage.ended_at !== null,
        ]),
        [
          ['induction', null, true],
          ['induction', sending.officer.id, false],
        ],
      )
      const view = await services.journey.viewJourney(sending.officer, person.prisonNumber)
      assert.equal(
        view.responsibility.kind === 'responsible' && view.responsibility.person.staffUserId,
        sending.officer.id,
      )
    })

    it('refuses a stage that cannot follow the current one, and writes nothing', async () => {
      const person = await atReception()
      const refusal = await officerRecords(person.prisonNumber, 'residential', 'Skip')
      assert.deepEqual(refusal, { field: 'stage', messageKey: 'journey.error.stageNotAllowed' })
      assert.equal((await stagesOf(person.id)).length, 1)
      assert.deepEqual(await auditOf(person.id), [])
    })

    // Every concern about the person goes to whoever is responsible for them: they must work here and be able to
    // act on one (a chaplain could not open it).
    for (const [who, role, at] of [
      ['who does not work at the establishment', 'officer', 'elsewhere'],
      ['who cannot act on a concern about the person', 'chaplain', 'sending'],
    ] as const)
      it(`refuses, and does not offer, a named person ${who}`, async () => {
        const person = await givenPerson(database.db, sending.code)
        const prison = at === 'elsewhere' ? elsewhere : sending
        const named = await givenStaffUser(database.db, { role, establishmentCodes: [prison.code] })
        const refusal = await services.journey.recordStage(sending.officer, person.prisonNumber, {
          stage: 'reception',
          responsibleStaffUserId: named.id,
          reason: 'Arrived',
        })
        assert.deepEqual(refusal, { field: 'responsible', messageKey: 'journey.error.staffNotHere' })
        assert.deepEqual(await stagesOf(person.id), [])
        const offered = (await services.journey.viewJourney(sending.officer, person.prisonNumber)).staff
        assert.ok(offered.some((member) => member.id === sending.officer.id))
        assert.ok(!offered.some((member) => member.id === named.id))
      })

    it('refuses a stage with no named person, except a release', async () => {
      const person = await givenPerson(database.db, sending.code)
      const refusal = await services.journey.recordStage(sending.officer, person.prisonNumber, {
        stage: 'reception',
        responsibleStaffUserId: null,
        reason: 'Arrived',
      })
      assert.deepEqual(refusal, { field: 'responsible', messageKey: 'journey.error.responsible' })
    })

    it('releases a person with nobody named and ends their dedicated officer allocation for release', async () => {
      const person = await keyworkedAt('residential', '2026-10-01T10:00:00Z', '2026-10-02T10:00:00Z')
      assert.equal(
        await services.journey.recordStage(sending.officer, person.prisonNumber, {
          stage: 'release',
          responsibleStaffUserId: null,
          reason: 'Sentence served',
        }),
        null,
      )
      const stages = await stagesOf(person.id)
      assert.deepEqual(
        stages.map((stage) => [stage.stage, stage.ended_at === null]),
        [
          ['residential', false],
          ['release', true],
        ],
      )
      const allocation = await database.db
        .selectFrom('dedicated_officer_allocation')
        .select(['ended_at', 'end_reason'])
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.equal(allocation.end_reason, 'release')
      const view = await services.journey.viewJourney(sending.officer, person.prisonNumber)
      assert.deepEqual(view.responsibility, { kind: 'released' })
    })

    it('gives NotFound for a person outside the user’s establishments', async () => {
      const person = await givenPerson(database.db, elsewhere.code)
      await assert.rejects(officerRecords(person.prisonNumber, 'reception', 'Arrived'), NotFound)
      await assert.rejects(services.journey.viewJourney(sending.officer, person.prisonNumber), NotFound)
    })
  })

  describe('viewJourney', () => {
    it('names the dedicated officer on the wing now and the induction officer before', async () => {
      const person = await givenPersonAtStage(database.db, sending.code, {
        stage: 'induction',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-11-01T10:00:00Z',
        endedAt: '2026-11-08T10:00:00Z',
      })
      await givenStage(database.db, {
        personId: person.id,
        establishmentCode: sending.code,
        stage: 'residential',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-11-08T10:00:00Z',
      })
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-11-08T11:00:00Z')
      const view = await services.journey.viewJourney(sending.officer, person.prisonNumber)
      assert.equal(view.responsibility.kind, 'responsible')
      assert.equal(
        view.responsibility.kind === 'responsible' && view.responsibility.person.staffUserId,
        sending.keyworker.id,
      )
      assert.equal(view.before?.stage, 'induction')
      assert.deepEqual(view.nextStages, ['release'])
      assert.deepEqual(
        (await auditOf(person.id)).map((entry) => entry.action),
        ['journey.viewed'],
      )
    })
  })

  describe('responsibilityOf', () => {
    it('tells another area who is responsible now, the named person before the wing, and audits nothing', async () => {
      const person = await keyworkedAt('induction', '2026-11-20T10:00:00Z', '2026-11-21T11:00:00Z')
      const responsibility = await services.journey.responsibilityOf(person.id)
      assert.equal(responsibility.kind === 'responsible' && responsibility.person.staffUserId, sending.officer.id)
      assert.deepEqual(await auditOf(person.id), [])
    })

    it('is a gap for a person with no journey recorded', async () => {
      const person = await givenPerson(database.db, sending.code)
      assert.deepEqual(await services.journey.responsibilityOf(person.id), { kind: 'gap', gap: 'no-journey' })
    })
  })

  describe('listGaps', () => {
    it('lists people with no journey, no named person, or no dedicated officer on the wing, oldest first', async () => {
      const { here, ...place } = await givenPrisonWithStaff(database.db, { here: 'safercustody' })
      const noJourney = await givenPerson(database.db, place.code)
      const noNamed = await givenPersonAtStage(database.db, place.code, {
        stage: 'first-night',
        startedAt: '2026-11-24T20:00:00Z',
      })
      const onWing = await givenPersonAtStage(database.db, place.code, {
        stage: 'residential',
        responsibleStaffUserId: here.id,
        startedAt: '2026-11-10T10:00:00Z',
      })
      // At reception with someone named: in no gap.
      await givenPersonAtStage(database.db, place.code, {
        stage: 'reception',
        responsibleStaffUserId: here.id,
        startedAt: '2026-11-25T08:00:00Z',
      })
      const { gaps, counts } = await services.journey.listGaps(here)
      assert.deepEqual(counts, { 'no-journey': 1, 'no-named-person': 1, 'no-dedicated-officer': 1 })
      assert.deepEqual(
        (await services.journey.listGaps(here, { gap: 'no-named-person' })).gaps.map((gap) => gap.prisonNumber),
        [noNamed.prisonNumber],
      )
      assert.deepEqual(
        gaps.map((gap) => [gap.prisonNumber, gap.gap]),
        [
          [noJourney.prisonNumber, 'no-journey'],
          [onWing.prisonNumber, 'no-dedicated-officer'],
          [noNamed.prisonNumber, 'no-named-person'],
        ],
      )
    })

    it('counts a gap with no journey from midnight in the prison on the reception day', async () => {
      const { here, ...place } = await givenPrisonWithStaff(database.db, { here: 'safercustody' })
      // Received on 1 July, which began at 23:00 UTC on 30 June; a first night begun at 00:30 that day is later.
      const received = await givenPerson(database.db, place.code, { receptionOn: '2026-07-01' })
      const firstNight = await givenPersonAtStage(database.db, place.code, {
        stage: 'first-night',
        startedAt: '2026-06-30T23:30:00Z',
      })
      const { gaps } = await services.journey.listGaps(here)
      assert.deepEqual(
        gaps.map((gap) => [gap.prisonNumber, gap.since.toISOString()]),
        [
          [received.prisonNumber, '2026-06-30T23:00:00.000Z'],
          [firstNight.prisonNumber, '2026-06-30T23:30:00.000Z'],
        ],
      )
    })

    it('reads the stages and officers of those on the roll now, wherever a stage was recorded', async () => {
      const place = await givenEstablishment(database.db)
      const before = await givenEstablishment(database.db)
      const here = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [place.code] })
      // Received from another prison whose stage (first night, nobody named) is still the current one.
      const arrived = await givenPersonAtStage(database.db, place.code, {
        stage: 'first-night',
        prison: before.code,
        startedAt: '2026-11-20T10:00:00Z',
      })
      // On the wing with someone named and an officer: in no gap.
      const settled = await givenPersonAtStage(database.db, place.code, {
        stage: 'residential',
        responsibleStaffUserId: here.id,
        startedAt: '2026-11-10T10:00:00Z',
      })
      await givenDedicatedOfficer(database.db, settled.id, here.id, '2026-11-11T10:00:00Z')
      // Moved on: their stage here and their officer are no longer this prison's.
      const left = await givenPersonAtStage(database.db, place.code, {
        stage: 'residential',
        startedAt: '2026-11-01T10:00:00Z',
      })
      await givenDedicatedOfficer(database.db, left.id, here.id, '2026-11-02T10:00:00Z')
      await database.db
        .updateTable('person')
        .set({ establishment_code: before.code })
        .where('id', '=', left.id)
        .execute()
      const { gaps, counts } = await services.journey.listGaps(here)
      assert.deepEqual(counts, { 'no-journey': 0, 'no-named-person': 1, 'no-dedicated-officer': 0 })
      assert.deepEqual(
        gaps.map((gap) => [gap.prisonNumber, gap.gap]),
        [[arrived.prisonNumber, 'no-named-person']],
      )
    })
  })

  describe('accountability', () => {
    it('names who holds each role at the establishment today, from staff records', async () => {
      const map = await services.journey.accountability(sending.lead)
      const row = (responsibility: string) => map.rows.find((entry) => entry.responsibility === responsibility)!
      assert.deepEqual(row('safer-custody-lead').holders, ['Test safercustody'])
      assert.deepEqual(row('dedicated-officer').holders, ['Test keyworker'], 'the key worker allocated above')
      const person = await givenPerson(database.db, sending.code)
      await givenDedicatedOfficer(database.db, person.id, sending.officer.id, '2026-11-20T10:00:00Z')
      const after = await services.journey.accountability(sending.lead)
      assert.deepEqual(
        after.rows.find((entry) => entry.responsibility === 'dedicated-officer')!.holders,
        ['Test keyworker', 'Test officer'],
        'an officer with a caseload is a dedicated officer',
      )
      assert.deepEqual(row('governor').holders, [])
      assert.equal(map.rows.at(-1)?.responsibility, 'governor')
      const views = await database.db
        .selectFrom('audit_event')
        .select(['action', 'establishment_code'])
        .where('action', '=', 'accountability.viewed')
        .where('actor_id', '=', sending.lead.id)
        .execute()
      assert.deepEqual(views, [
        { action: 'accountability.viewed', establishment_code: sending.code },
        { action: 'accountability.viewed', establishment_code: sending.code },
      ])
    })

    it('leaves out staff away today, and counts them again from their reactivation date', async () => {
      const { placeLead, away, back, ...place } = await givenPrisonWithStaff(database.db, {
        placeLead: 'safercustody',
        away: 'governor',
        back: 'healthcare',
      })
      await database.db
        .updateTable('staff_user')
        .set({ staff_status: 'annual-leave', reactivation_on: '2026-11-26' })
        .where('id', '=', away.id)
        .execute()
      await database.db
        .updateTable('staff_user')
        .set({ staff_status: 'long-term-absence', reactivation_on: '2026-11-25' })
        .where('id', '=', back.id)
        .execute()
      const map = await services.journey.accountability(placeLead)
      const row = (responsibility: string) => map.rows.find((entry) => entry.responsibility === responsibility)!
      assert.deepEqual(row('governor').holders, [])
      assert.deepEqual(row('healthcare').holders, ['Test healthcare'])
      const person = await givenPerson(database.db, place.code)
      assert.deepEqual(
        await services.journey.recordStage(placeLead, person.prisonNumber, {
          stage: 'reception',
          responsibleStaffUserId: away.id,
          reason: 'Arrived',
        }),
        { field: 'responsible', messageKey: 'journey.error.staffNotHere' },
      )
    })
  })
})
