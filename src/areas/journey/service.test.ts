import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { JourneyStageName } from '../../db/schema.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import {
  givenAllocationChangesFailFor,
  givenDedicatedOfficer,
  givenHandover,
  givenPersonAtStage,
  givenStage,
} from '../../../test/support/journey-builders.ts'

describeServicesOnEachEngine('the journey service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const sending = arrangedBefore(() =>
    givenPrisonWithStaff(
      database.db,
      { officer: 'officer', keyworker: 'keyworker', lead: 'safercustody' },
      { function: 'young-offender' },
    ),
  )
  const receiving = arrangedBefore(() =>
    givenPrisonWithStaff(database.db, { lead: 'safercustody', officer: 'officer' }, { function: 'training' }),
  )
  const elsewhere = arrangedBefore(() => givenEstablishment(database.db))

  const stagesOf = (personId: string) =>
    database.db
      .selectFrom('journey_stage')
      .select(['stage', 'establishment_code', 'responsible_staff_user_id', 'started_at', 'ended_at', 'reason'])
      .where('person_id', '=', personId)
      .orderBy('started_at')
      .orderBy('ended_at')
      .execute()
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId })

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

    it('refuses a named person who does not work at the establishment', async () => {
      const person = await givenPerson(database.db, sending.code)
      const refusal = await services.journey.recordStage(sending.officer, person.prisonNumber, {
        stage: 'reception',
        responsibleStaffUserId: receiving.officer.id,
        reason: 'Arrived',
      })
      assert.deepEqual(refusal, { field: 'responsible', messageKey: 'journey.error.staffNotHere' })
      assert.deepEqual(await stagesOf(person.id), [])
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
      const person = await givenPersonAtStage(database.db, sending.code, {
        stage: 'residential',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-10-01T10:00:00Z',
      })
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-10-02T10:00:00Z')
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
      const person = await givenPersonAtStage(database.db, sending.code, {
        stage: 'induction',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-11-20T10:00:00Z',
      })
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-11-21T11:00:00Z')
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

    it('reads the stages and officers of those on the roll now, wherever a stage was recorded', async () => {
      const place = await givenEstablishment(database.db)
      const before = await givenEstablishment(database.db)
      const here = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [place.code] })
      // Received from another prison whose stage (first night, nobody named) is still the current one.
      const arrived = await givenPerson(database.db, place.code)
      await givenStage(database.db, {
        personId: arrived.id,
        establishmentCode: before.code,
        stage: 'first-night',
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

  describe('handovers', () => {
    /** The sending lead starts a handover of the person, with nothing known to send, to `to`. */
    const startTo = (prisonNumber: string, to: string) =>
      services.journey.startHandover(sending.lead, prisonNumber, {
        toEstablishmentCode: to,
        risks: 'None known',
        personsWishes: '',
      })
    /** The person has been on a wing of the sending prison since October, with an officer named. */
    const onWing = (personId: string) =>
      givenStage(database.db, {
        personId,
        establishmentCode: sending.code,
        stage: 'residential',
        responsibleStaffUserId: sending.officer.id,
        startedAt: '2026-10-01T10:00:00Z',
      })

    /** A handover from the sending to the receiving prison, started by the sending lead and not yet answered. */
    const pending = (personId: string, createdAt?: Date) =>
      givenHandover(database.db, {
        personId,
        fromEstablishmentCode: sending.code,
        toEstablishmentCode: receiving.code,
        createdBy: sending.lead.id,
        ...(createdAt ? { createdAt } : {}),
      })

    it('moves the person and ends their allocation together or not at all', async () => {
      const person = await givenPerson(database.db, sending.code, { cellId: sending.cellId })
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-10-02T10:00:00Z')
      const handoverId = await pending(person.id)
      await givenAllocationChangesFailFor(database.db, person.id)
      await assert.rejects(
        services.journey.acknowledgeHandover(receiving.lead, handoverId, {
          responsibleStaffUserId: receiving.officer.id,
          reason: 'Arrived on the escort',
        }),
        /allocation changes are failing/,
      )
      const still = await services.people.findPersonOrThrow(sending.officer, person.prisonNumber)
      assert.equal(still.establishmentCode, sending.code, 'the person is not moved')
      assert.equal((await services.journey.viewHandover(receiving.lead, handoverId)).isPending, true)
      assert.deepEqual(await stagesOf(person.id), [])
      assert.ok(!(await auditOf(person.id)).some((entry) => entry.action === 'handover.acknowledged'))
    })

    it('records a release and ends the allocation together or not at all', async () => {
      const person = await givenPerson(database.db, sending.code, { cellId: sending.cellId })
      await onWing(person.id)
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-10-02T10:00:00Z')
      await givenAllocationChangesFailFor(database.db, person.id)
      await assert.rejects(
        services.journey.recordStage(sending.officer, person.prisonNumber, {
          stage: 'release',
          responsibleStaffUserId: null,
          reason: 'Sentence served',
        }),
        /allocation changes are failing/,
      )
      assert.deepEqual(
        (await stagesOf(person.id)).map((stage) => [stage.stage, stage.ended_at]),
        [['residential', null]],
      )
    })

    it('acknowledging moves the person, ends the sending prison’s allocation and records transfer out and in', async () => {
      const person = await givenPerson(database.db, sending.code, { cellId: sending.cellId })
      await onWing(person.id)
      await givenDedicatedOfficer(database.db, person.id, sending.keyworker.id, '2026-10-02T10:00:00Z')
      const started = await services.journey.startHandover(sending.lead, person.prisonNumber, {
        toEstablishmentCode: receiving.code,
        risks: 'Self-harm history',
        personsWishes: 'Wants to keep studying',
      })
      assert.ok('handoverId' in started)
      const stored = await database.db
        .selectFrom('handover')
        .selectAll()
        .where('id', '=', started.handoverId)
        .executeTakeFirstOrThrow()
      assert.equal(stored.kind, 'youth-to-adult')
      assert.deepEqual(stored.summary, {
        risks: 'Self-harm history',
        openCarePlans: [],
        concerns: [],
        dedicatedOfficer: { staffUserId: sending.keyworker.id, displayName: 'Test keyworker' },
      })
      assert.equal(stored.persons_wishes, 'Wants to keep studying')

      const incoming = await services.journey.listHandovers(receiving.lead)
      assert.ok(incoming.incoming.some((handover) => handover.id === started.handoverId))
      assert.deepEqual(
        (await auditOf(person.id)).filter((entry) => entry.action === 'handover.listed'),
        [{ action: 'handover.listed', details: { handoverId: started.handoverId } }],
      )
      await assert.rejects(services.people.findPersonOrThrow(receiving.lead, person.prisonNumber), NotFound)

      assert.equal(
        await services.journey.acknowledgeHandover(receiving.lead, started.handoverId, {
          responsibleStaffUserId: receiving.officer.id,
          reason: 'Arrived on the escort',
        }),
        null,
      )
      const moved = await database.db
        .selectFrom('person')
        .select(['establishment_code', 'cell_id'])
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(moved, { establishment_code: receiving.code, cell_id: null })
      assert.deepEqual(
        (await stagesOf(person.id)).map((stage) => [stage.stage, stage.establishment_code, stage.ended_at !== null]),
        [
          ['residential', sending.code, true],
          ['transfer-out', sending.code, true],
          ['transfer-in', receiving.code, false],
        ],
      )
      const allocation = await database.db
        .selectFrom('dedicated_officer_allocation')
        .select('end_reason')
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.equal(allocation.end_reason, 'transfer')
      assert.ok((await auditOf(person.id)).some((entry) => entry.action === 'handover.acknowledged'))

      const view = await services.journey.viewJourney(receiving.lead, person.prisonNumber)
      assert.equal(
        view.responsibility.kind === 'responsible' && view.responsibility.person.staffUserId,
        receiving.officer.id,
      )
      await assert.rejects(services.people.findPersonOrThrow(sending.officer, person.prisonNumber), NotFound)
      await assert.rejects(services.journey.viewJourney(sending.officer, person.prisonNumber), NotFound)
    })

    it('records a refusal with its reason and leaves the person where they are', async () => {
      const person = await givenPerson(database.db, sending.code, { cellId: sending.cellId })
      const started = { handoverId: await pending(person.id) }
      assert.equal(
        await services.journey.refuseHandover(receiving.lead, started.handoverId, 'No space on the unit'),
        null,
      )
      const stored = await database.db
        .selectFrom('handover')
        .select(['refused_at', 'refusal_reason', 'acknowledged_at'])
        .where('id', '=', started.handoverId)
        .executeTakeFirstOrThrow()
      assert.equal(stored.refusal_reason, 'No space on the unit')
      assert.deepEqual(stored.refused_at, clock.now())
      assert.equal(stored.acknowledged_at, null)
      const still = await services.people.findPersonOrThrow(sending.officer, person.prisonNumber)
      assert.equal(still.establishmentCode, sending.code)
      assert.deepEqual(
        await services.journey.acknowledgeHandover(receiving.lead, started.handoverId, {
          responsibleStaffUserId: receiving.officer.id,
          reason: '',
        }),
        { field: 'responsible', messageKey: 'handover.error.answered' },
      )
    })

    it('refuses a handover for a person who has been released', async () => {
      const person = await givenPersonAtStage(database.db, sending.code, {
        stage: 'release',
        startedAt: '2026-11-20T10:00:00Z',
      })
      assert.deepEqual(await startTo(person.prisonNumber, receiving.code), {
        field: 'to',
        messageKey: 'handover.error.released',
      })
    })

    it('records no stage by hand while a handover is waiting', async () => {
      const person = await givenPerson(database.db, sending.code)
      await onWing(person.id)
      await pending(person.id)
      assert.deepEqual(
        await services.journey.recordStage(sending.officer, person.prisonNumber, {
          stage: 'release',
          responsibleStaffUserId: null,
          reason: 'Released from the wing',
        }),
        { field: 'stage', messageKey: 'journey.error.handoverPending' },
      )
      assert.equal((await stagesOf(person.id)).length, 1)
    })

    it('refuses a second handover while one is waiting', async () => {
      const person = await givenPerson(database.db, sending.code)
      await pending(person.id)
      assert.deepEqual(await startTo(person.prisonNumber, elsewhere.code), {
        field: 'to',
        messageKey: 'handover.error.pending',
      })
    })

    it('gives NotFound to an establishment the handover is not between, and lets only the receiver answer', async () => {
      const person = await givenPerson(database.db, sending.code)
      const started = { handoverId: await pending(person.id) }
      const outsider = await givenStaffUser(database.db, {
        role: 'safercustody',
        establishmentCodes: [elsewhere.code],
      })
      await assert.rejects(services.journey.viewHandover(outsider, started.handoverId), NotFound)
      await assert.rejects(services.journey.refuseHandover(sending.lead, started.handoverId, 'Not ours'), NotFound)
      assert.equal((await services.journey.viewHandover(sending.lead, started.handoverId)).canAnswer, false)
      assert.equal((await services.journey.viewHandover(receiving.lead, started.handoverId)).canAnswer, true)
    })

    it('marks a handover to chase on both sides once it has waited the receiving prison’s chase days', async () => {
      const person = await givenPerson(database.db, sending.code)
      const started = { handoverId: await pending(person.id, clock.now()) }
      await database.db
        .insertInto('keywork_policy')
        .values({ establishment_code: receiving.code, handover_chase_days: 3 })
        .execute()
      const later = (days: number) => new Date(clock.now().getTime() + days * 24 * 60 * 60 * 1000)
      const toChase = async (daysOn: number, actor: Actor) => {
        const { journey: then } = createServices({ db: database.db, clock: fixedClock(later(daysOn)) })
        const { incoming, outgoing } = await then.listHandovers(actor)
        return [...incoming, ...outgoing].find((handover) => handover.id === started.handoverId)?.toChase
      }
      assert.equal(await toChase(2.9, receiving.lead), false)
      assert.equal(await toChase(3, receiving.lead), true)
      assert.equal(await toChase(3, sending.lead), true)

      const { journey: threeDaysOn } = createServices({ db: database.db, clock: fixedClock(later(3)) })
      assert.equal(await threeDaysOn.recordChase(sending.lead, started.handoverId), null)
      assert.equal(await toChase(5.9, receiving.lead), false, 'chased: the chase days start again')
      assert.equal(await toChase(6, receiving.lead), true)
      assert.ok((await auditOf(person.id)).some((entry) => entry.action === 'handover.chased'))
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
