import { it } from 'node:test'
import assert from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { HandoverTable } from '../../db/schema.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import {
  givenAllocationChangesFailFor,
  givenDedicatedOfficer,
  givenHandover,
  givenPersonAtStage,
  givenStage,
  journeyPrisonsBefore,
} from '../../../test/support/journey-builders.ts'

describeServicesOnEachEngine('handovers between prisons', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const { sending, receiving, elsewhere, stagesOf, auditOf } = journeyPrisonsBefore(database)
  /** These columns of a handover as stored. */
  const storedHandover = <Column extends keyof HandoverTable>(id: string, columns: readonly Column[]) =>
    database.db.selectFrom('handover').select(columns).where('id', '=', id).executeTakeFirstOrThrow()

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
    const stored = await storedHandover(started.handoverId, ['kind', 'summary', 'persons_wishes'])
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
    const stored = await storedHandover(started.handoverId, ['refused_at', 'refusal_reason', 'acknowledged_at'])
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

  it('starts one handover when two are sent at once', async () => {
    const person = await givenPerson(database.db, sending.code)
    await onWing(person.id)
    const answers = await Promise.all([
      startTo(person.prisonNumber, receiving.code),
      startTo(person.prisonNumber, elsewhere.code),
    ])
    assert.equal(answers.filter((answer) => 'handoverId' in answer).length, 1)
    assert.deepEqual(
      answers.filter((answer) => !('handoverId' in answer)),
      [{ field: 'to', messageKey: 'handover.error.pending' }],
    )
  })

  it('does not both release a person and start their handover when the two are sent at once', async () => {
    const person = await givenPerson(database.db, sending.code)
    await onWing(person.id)
    const [started, released] = await Promise.all([
      startTo(person.prisonNumber, receiving.code),
      services.journey.recordStage(sending.officer, person.prisonNumber, {
        stage: 'release',
        responsibleStaffUserId: null,
        reason: 'Released from the wing',
      }),
    ])
    assert.ok(
      'handoverId' in started
        ? isDeepStrictEqual(released, { field: 'stage', messageKey: 'journey.error.handoverPending' })
        : isDeepStrictEqual(started, { field: 'to', messageKey: 'handover.error.released' }) && released === null,
      `both or neither happened: ${JSON.stringify([started, released])}`,
    )
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
