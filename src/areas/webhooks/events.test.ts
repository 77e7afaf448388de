import { it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { isRefusal } from '../../platform/forms.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import {
  givenAcceptedTimetable,
  givenAllocatedOfficer,
  givenClosedCarePlan,
  givenRaisedConcern,
  stubReceiverBefore,
} from '../../../test/support/webhook-builders.ts'

describeServicesOnEachEngine('the webhooks service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
  const receiver = stubReceiverBefore({ database, services, clock }, prison)
  const { onlySubscriber, deliveriesOf, openPlanFor } = receiver
  /** The events the outbox holds about the person, of the types `type` matches (as SQL's like does). */
  const publishedAbout = (personId: string, type: string) =>
    database.db
      .selectFrom('event_outbox')
      .select(['type', 'payload', 'establishment_code as establishmentCode'])
      .where('type', 'like', type)
      .where(sql<string>`payload->>'personId'`, '=', personId)
      .execute()

  /** The person leaves custody, as the journey tells it; the care plan ends and tells of it, and the webhooks hear. */
  async function leavesCustody(personId: string, reason: 'release' | 'death') {
    await database.db
      .transaction()
      .execute((trx) => services.events.publish(trx, prison.lead, 'person.left-custody', { personId, reason }))
    await deliverEvents(services)
    await deliverEvents(services)
  }

  it('publishes a plan’s opening with the plan, and nothing when the opening is refused', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const carePlanId = await openPlanFor(person.prisonNumber)
    const again = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Again',
      concernId: null,
    })
    assert.equal(isRefusal(again), true)
    assert.deepEqual(await publishedAbout(person.id, 'care-plan.%'), [
      { type: 'care-plan.opened', payload: { carePlanId, personId: person.id }, establishmentCode: prison.code },
    ])
    await deliverEvents(services)
  })

  it('tells of a plan closed by the person leaving custody: HA inactive, then HA2 created', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'person.alert.inactive', 'waymark.care-plan.closed'])
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    await leavesCustody(person.id, 'release')
    await receiver.sender.deliverDue()
    assert.deepEqual(
      receiver.sent.map(({ event }) => [event.eventType, event.additionalInformation.alertCode]),
      [
        ['person.alert.created', 'HA'],
        ['person.alert.inactive', 'HA'],
        ['person.alert.created', 'HA2'],
        ['waymark.care-plan.closed', undefined],
      ],
    )
    assert.equal((await deliveriesOf(id)).length, 4)
  })

  it('tells of a plan in its post-closure period ended by the person leaving custody: HA1 inactive, HA2 created', async () => {
    await onlySubscriber(['person.alert.created', 'person.alert.inactive'])
    const { person } = await givenClosedCarePlan(database.db, services, prison, clock)
    await deliverEvents(services)
    await leavesCustody(person.id, 'death')
    await receiver.sender.deliverDue()
    assert.deepEqual(
      receiver.sent.slice(-2).map(({ event }) => `${event.eventType} ${event.additionalInformation.alertCode}`),
      ['person.alert.inactive HA1', 'person.alert.created HA2'],
    )
    assert.equal(receiver.sent.length, 5)
  })

  it('tells of each later move of the alert: reopened by an immediate review, closed again, then reviewed after closure', async () => {
    await onlySubscriber(['person.alert.created', 'person.alert.inactive'])
    const { person, carePlanId } = await givenClosedCarePlan(database.db, services, prison, clock)
    assert.equal(
      await services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, carePlanId, 'self-harm'),
      null,
    )
    const closure = {
      heldAt: clock.now(),
      attendees: [{ kind: 'healthcare' as const, name: 'Amira Khan' }],
      personPresent: true,
      caseManagerId: prison.lead.id,
      supervision: { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 },
      notes: 'Settled again',
      riskLevel: 'low' as const,
      close: true,
      personView: 'Feels able to cope',
      closureReasons: { 'care-map': 'Nothing left on the care map' },
    }
    assert.equal(await services.carePlans.holdReview(prison.lead, person.prisonNumber, carePlanId, closure), null)
    const postClosure = { heldAt: clock.now(), attendees: closure.attendees, personPresent: true, notes: 'Settled' }
    assert.equal(await services.carePlans.holdReview(prison.lead, person.prisonNumber, carePlanId, postClosure), null)
    await deliverEvents(services)
    await receiver.sender.deliverDue()
    assert.deepEqual(
      receiver.sent.map(({ event }) => `${event.eventType} ${event.additionalInformation.alertCode}`),
      [
        'person.alert.created HA',
        'person.alert.inactive HA',
        'person.alert.created HA1',
        // Reopened by the immediate review.
        'person.alert.inactive HA1',
        'person.alert.created HA',
        // Closed again, then reviewed after closure.
        'person.alert.inactive HA',
        'person.alert.created HA1',
        'person.alert.inactive HA1',
        'person.alert.created HA2',
      ],
    )
  })

  it('publishes a raised concern by its id and codes alone, and sends it to a subscriber of its prison', async () => {
    const { id } = await onlySubscriber(['waymark.concern.raised'])
    const person = await givenAnotherPerson(database.db, prison)
    const concernId = await givenRaisedConcern(services, prison, person.prisonNumber)
    assert.deepEqual(await publishedAbout(person.id, 'concern.raised'), [
      {
        type: 'concern.raised',
        payload: { concernId, personId: person.id, urgency: 'immediate', indicatesSelfHarmRisk: true },
        establishmentCode: prison.code,
      },
    ])
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 1)
    const [{ event }] = receiver.sent
    assert.equal(event.eventType, 'waymark.concern.raised')
    assert.deepEqual(event.personReference.identifiers[0].value, person.prisonNumber)
    assert.deepEqual(
      { ...event.additionalInformation },
      {
        prisonNumber: person.prisonNumber,
        concernId,
        urgency: 'immediate',
        source: 'WAYMARK',
      },
    )
    // Never what was seen or heard, who raised it, that it is sensitive, or whether a risk of self-harm was seen.
    for (const words of ['radio', 'Amira', 'Sensitive', 'SelfHarm', prison.officer.id, 'not-sure'])
      assert.equal(JSON.stringify(event).toLowerCase().includes(words.toLowerCase()), false, words)
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => delivery.state),
      ['delivered'],
    )
  })

  it('publishes a dedicated officer’s allocation by its ids, and sends it after the person’s earlier events', async () => {
    await onlySubscriber(['waymark.concern.raised', 'waymark.dedicated-officer.allocated'])
    const person = await givenAnotherPerson(database.db, prison)
    const concernId = await givenRaisedConcern(services, prison, person.prisonNumber)
    const { officer, allocationId } = await givenAllocatedOfficer(database.db, services, prison, person.prisonNumber)
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 2)
    assert.deepEqual(
      receiver.sent.map(({ event }) => [event.eventType, event.additionalInformation]),
      [
        [
          'waymark.concern.raised',
          {
            prisonNumber: person.prisonNumber,
            concernId,
            urgency: 'immediate',
            source: 'WAYMARK',
          },
        ],
        [
          'waymark.dedicated-officer.allocated',
          { prisonNumber: person.prisonNumber, allocationId, staffUserId: officer.id, source: 'WAYMARK' },
        ],
      ],
    )
  })

  it('publishes the end of a dedicated officer’s allocation by its ids and reason, when replaced or taken off', async () => {
    await onlySubscriber(['waymark.dedicated-officer.allocation-ended'])
    const person = await givenAnotherPerson(database.db, prison)
    const first = await givenAllocatedOfficer(database.db, services, prison, person.prisonNumber)
    const second = await givenAllocatedOfficer(database.db, services, prison, person.prisonNumber)
    assert.equal(await services.keywork.deallocate(prison.lead, person.prisonNumber, 'officer-unavailable'), null)
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 2)
    const ended = (allocation: typeof first, reason: string) => [
      'waymark.dedicated-officer.allocation-ended',
      {
        prisonNumber: person.prisonNumber,
        allocationId: allocation.allocationId,
        staffUserId: allocation.officer.id,
        reason,
        source: 'WAYMARK',
      },
    ]
    assert.deepEqual(
      receiver.sent.map(({ event }) => [event.eventType, event.additionalInformation]),
      [ended(first, 'other'), ended(second, 'officer-unavailable')],
    )
  })

  it('tells of an accepted timetable once for each person whose groups changed, and not at all for one that changed nothing', async () => {
    const { id } = await onlySubscriber(['waymark.timetable.accepted'])
    const first = await givenAnotherPerson(database.db, prison)
    const second = await givenAnotherPerson(database.db, prison)
    const runId = await givenAcceptedTimetable(database.db, services, prison, [first, second])
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 2)
    assert.deepEqual(
      receiver.sent.map(({ event }) => [event.personReference.identifiers[0].value, event.additionalInformation]),
      [first, second].map((person) => [
        person.prisonNumber,
        { prisonNumber: person.prisonNumber, runId, groupsJoined: 1, groupsLeft: 0, source: 'WAYMARK' },
      ]),
    )
    const keys = (await deliveriesOf(id)).map((delivery) => delivery.eventKey)
    assert.equal(new Set(keys).size, 2, 'one event key for each person')
    const published = await database.db
      .selectFrom('event_outbox')
      .select('id')
      .where('type', '=', 'timetable.accepted')
      .where(sql<string>`payload->>'runId'`, '=', runId)
      .execute()
    assert.equal(published.length, 1, 'one outbox event for the run')
  })
})
