import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Actor } from '../../platform/permissions.ts'
import { NotFound } from '../../platform/errors.ts'
import { isRefusal } from '../../platform/forms.ts'
import { MAX_ATTEMPTS, signatureIsValid, type DomainEvent, type DomainEventType } from './rules.ts'
import { createWebhooksService, type Send, type WebhooksService } from './service.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import {
  givenAcceptedTimetable,
  givenAllocatedOfficer,
  givenClosedCarePlan,
  givenRaisedConcern,
} from '../../../test/support/webhook-builders.ts'

describeServicesOnEachEngine('the webhooks service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
  let admin: Actor

  /** What the stub receiver was sent, and how it answers each body (a 204 unless told otherwise). */
  let sent: { url: string; event: DomainEvent; headers: Record<string, string> }[] = []
  let answerFor: (event: DomainEvent) => Awaited<ReturnType<Send>> = () => ({ status: 204 })
  /** The same service as app.ts builds, on the same database, but sending to the stub. */
  let sender: WebhooksService

  before(async () => {
    admin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code] })
    sender = createWebhooksService({
      db: database.db,
      clock,
      audit: services.audit,
      jobs: services.jobs,
      send: async (url, body, headers) => {
        const event = JSON.parse(body) as DomainEvent
        sent.push({ url, event, headers })
        return answerFor(event)
      },
    })
  })

  /** A subscriber of its own for a test: every other one is stopped first, so it alone hears what follows. */
  async function onlySubscriber(eventTypes: DomainEventType[], url = 'https://alerts.example.org/events') {
    for (const other of await services.webhooks.listSubscriptions(admin))
      if (other.enabled) await services.webhooks.setEnabled(admin, other.id, false)
    const added = await services.webhooks.addSubscription(admin, { url, eventTypes, establishmentCodes: [prison.code] })
    if (!('id' in added)) throw new Error(`refused: ${added.map((refusal) => refusal.messageKey).join(', ')}`)
    sent = []
    answerFor = () => ({ status: 204 })
    return added
  }
  const deliveriesOf = async (subscriptionId: string) =>
    (await services.webhooks.viewSubscription(admin, subscriptionId)).deliveries.toReversed()
  const openPlanFor = async (prisonNumber: string) => {
    const opened = await services.carePlans.openCarePlan(prison.officer, prisonNumber, {
      reason: 'Said they could not go on',
      concernId: null,
    })
    if (isRefusal(opened)) throw new Error(`refused: ${opened.messageKey}`)
    return opened.carePlanId
  }

  /** The person leaves custody, as the journey tells it; the care plan ends and tells of it, and the webhooks hear. */
  async function leavesCustody(personId: string, reason: 'release' | 'death') {
    await database.db
      .transaction()
      .execute((trx) => services.events.publish(trx, prison.lead, 'person.left-custody', { personId, reason }))
    await deliverEvents(services)
    await deliverEvents(services)
  }

  it('refuses an address it would not send to and a subscription to nothing, storing none', async () => {
    const before = (await services.webhooks.listSubscriptions(admin)).length
    const refusals = await Promise.all(
      [
        { url: '', eventTypes: ['person.alert.created'] },
        { url: 'http://alerts.example.org/events', eventTypes: ['person.alert.created'] },
        { url: 'https://alerts.example.org/events', eventTypes: [] },
        { url: 'https://alerts.example.org/events', eventTypes: ['person.deleted'] },
        { url: 'ftp://alerts.example.org/events', eventTypes: [] },
      ].map((input) => services.webhooks.addSubscription(admin, { ...input, establishmentCodes: [prison.code] })),
    )
    assert.deepEqual(
      refusals.map((refused) => ('id' in refused ? 'added' : refused.map((refusal) => refusal.messageKey))),
      [
        ['webhooks.error.url.missing'],
        ['webhooks.error.url.https'],
        ['webhooks.error.eventTypes'],
        ['webhooks.error.eventTypes'],
        ['webhooks.error.url.https', 'webhooks.error.eventTypes'],
      ],
    )
    assert.equal((await services.webhooks.listSubscriptions(admin)).length, before)
  })

  it('adds a subscriber with a secret of its own, shown once: never listed again, and audited', async () => {
    const added = await onlySubscriber(['person.alert.created'])
    assert.match(added.signingSecret, /^[0-9a-f]{64}$/)
    const [listed] = await services.webhooks.listSubscriptions(admin)
    assert.deepEqual(
      { ...listed, createdAt: undefined },
      {
        id: added.id,
        url: 'https://alerts.example.org/events',
        eventTypes: ['person.alert.created'],
        establishmentCodes: [prison.code],
        enabled: true,
        createdAt: undefined,
        pending: 0,
        failed: 0,
        delivered: 0,
      },
    )
    assert.equal(
      JSON.stringify(await services.webhooks.viewSubscription(admin, added.id)).includes(added.signingSecret),
      false,
    )
    const audit = await auditTrailOf(database.db, { actorId: admin.id })
    assert.ok(audit.some((entry) => entry.action === 'webhooks.subscription-added'))
  })

  it('publishes a plan’s opening with the plan, and nothing when the opening is refused', async () => {
    const person = await givenAnotherPerson(database.db, prison)
    const carePlanId = await openPlanFor(person.prisonNumber)
    const again = await services.carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Again',
      concernId: null,
    })
    assert.equal(isRefusal(again), true)
    const published = await database.db
      .selectFrom('event_outbox')
      .select(['type', 'payload'])
      .where('type', 'like', 'care-plan.%')
      .where(sql<string>`payload->>'personId'`, '=', person.id)
      .execute()
    assert.deepEqual(published, [{ type: 'care-plan.opened', payload: { carePlanId, personId: person.id } }])
    await deliverEvents(services)
  })

  it('queues only the event types a subscriber asked for, once each even when its listener runs twice', async () => {
    const { id } = await onlySubscriber(['waymark.care-plan.opened', 'waymark.care-plan.closed'])
    const { lastJob } = await database.db
      .selectFrom('job')
      .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('lastJob'))
      .executeTakeFirstOrThrow()
    await givenClosedCarePlan(database.db, services, prison, clock)
    await deliverEvents(services)
    // This plan's listener jobs again, as after a crash between queueing and finishing: nothing is doubled.
    await database.db
      .updateTable('job')
      .set({ state: 'waiting' })
      .where('queue', 'like', 'event:webhooks.%')
      .where('id', '>', lastJob)
      .execute()
    await deliverEvents(services)
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.eventType, delivery.state]),
      [
        ['waymark.care-plan.opened', 'pending'],
        ['waymark.care-plan.closed', 'pending'],
      ],
    )
    assert.equal(await sender.deliverDue(), 2)
    assert.deepEqual(
      sent.map(({ event }) => event.eventType),
      ['waymark.care-plan.opened', 'waymark.care-plan.closed'],
    )
    assert.equal(sent[0].headers['waymark-event-type'], 'waymark.care-plan.opened')
    assert.match(sent[0].headers['waymark-signature'], /^t=\d+,v1=[0-9a-f]{64}$/)
    assert.equal(await sender.deliverDue(), 0, 'nothing is sent twice')
  })

  it('holds a person’s later events behind one that fails, while another person’s go', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const held = await givenAnotherPerson(database.db, prison)
    const free = await givenAnotherPerson(database.db, prison)
    await openPlanFor(held.prisonNumber)
    await openPlanFor(free.prisonNumber)
    await deliverEvents(services)
    answerFor = (event) =>
      event.personReference.identifiers[0].value === held.prisonNumber ? { status: 500 } : { status: 204 }
    assert.equal(await sender.deliverDue(), 3)
    assert.deepEqual(
      sent.map(({ event }) => [event.personReference.identifiers[0].value, event.eventType]),
      [
        [held.prisonNumber, 'person.alert.created'],
        [free.prisonNumber, 'person.alert.created'],
        [free.prisonNumber, 'waymark.care-plan.opened'],
      ],
    )
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.state, delivery.attempts, delivery.lastStatus]),
      [
        ['pending', 1, 500],
        ['pending', 0, null],
        ['delivered', 1, 204],
        ['delivered', 1, 204],
      ],
    )
  })

  it('sends a person’s events in the order they happened, even when the later one’s listener ran first', async () => {
    await onlySubscriber(['waymark.care-plan.opened', 'waymark.care-plan.closed'])
    const { person } = await givenClosedCarePlan(database.db, services, prison, clock)
    const published = await database.db
      .selectFrom('event_outbox')
      .select(['id', 'type'])
      .where(sql<string>`payload->>'personId'`, '=', person.id)
      .orderBy('id', 'desc')
      .execute()
    // The closing's listener first, as when the opening's failed once and waits to be tried again.
    const listeners = services.events.handlers()
    for (const event of published)
      await listeners[`event:webhooks.${event.type.replace('.', '-')}`]({ eventId: event.id }, { jobId: 0, attempt: 1 })
    await deliverEvents(services)
    await sender.deliverDue()
    assert.deepEqual(
      sent.map(({ event }) => event.eventType),
      ['waymark.care-plan.opened', 'waymark.care-plan.closed'],
    )
  })

  it('never lets people held behind a failure keep another person’s due events from their turn', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const held = await givenAnotherPerson(database.db, prison)
    await openPlanFor(held.prisonNumber)
    await deliverEvents(services)
    answerFor = () => ({ status: 503 })
    assert.equal(await sender.deliverDue(), 1)
    // The held person's second event is due and older than the free person's, but it is not theirs to send yet.
    const free = await givenAnotherPerson(database.db, prison)
    await openPlanFor(free.prisonNumber)
    await deliverEvents(services)
    answerFor = () => ({ status: 204 })
    assert.equal(await sender.deliverDue(1), 1)
    assert.deepEqual(sent.at(-1)?.event.personReference.identifiers[0].value, free.prisonNumber)
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => delivery.state),
      ['pending', 'pending', 'delivered', 'pending'],
    )
  })

  it('fails a delivery for good after its last attempt, holds the person’s next, and sends both in order on a replay', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    answerFor = () => ({ error: 'Could not connect (ECONNREFUSED)' })
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      assert.equal(await sender.deliverDue(), 1)
      clock.advanceMinutes(6 * 60)
    }
    assert.equal(await sender.deliverDue(), 0)
    const [failed, waiting] = await deliveriesOf(id)
    assert.deepEqual(
      [failed.state, failed.attempts, failed.lastError],
      ['failed', MAX_ATTEMPTS, 'Could not connect (ECONNREFUSED)'],
    )
    assert.deepEqual([waiting.state, waiting.attempts], ['pending', 0])

    sent = []
    answerFor = () => ({ status: 200 })
    assert.equal(await services.webhooks.replayDelivery(admin, id, failed.id), true)
    assert.equal(await services.webhooks.replayDelivery(admin, id, failed.id), false, 'already waiting')
    assert.equal(await sender.deliverDue(), 2)
    assert.deepEqual(
      sent.map(({ event }) => event.eventType),
      ['person.alert.created', 'waymark.care-plan.opened'],
    )
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.state, delivery.attempts]),
      [
        ['delivered', 1],
        ['delivered', 1],
      ],
    )
    const audit = await auditTrailOf(database.db, { actorId: admin.id })
    assert.ok(audit.some((entry) => entry.action === 'webhooks.delivery-replayed'))
  })

  it('keeps a stopped subscriber’s events waiting, and sends them when it starts again', async () => {
    const { id } = await onlySubscriber(['person.alert.created'])
    assert.equal(await services.webhooks.setEnabled(admin, id, false), true)
    assert.equal(await services.webhooks.setEnabled(admin, id, false), false, 'already stopped')
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    // A subscriber stopped before the event was published hears nothing of it.
    assert.deepEqual(await deliveriesOf(id), [])

    await services.webhooks.setEnabled(admin, id, true)
    const other = await givenAnotherPerson(database.db, prison)
    await openPlanFor(other.prisonNumber)
    await deliverEvents(services)
    await services.webhooks.setEnabled(admin, id, false)
    assert.equal(await sender.deliverDue(), 0, 'stopped: it waits')
    await services.webhooks.setEnabled(admin, id, true)
    assert.equal(await sender.deliverDue(), 1)
    assert.deepEqual(
      sent.map(({ event }) => event.personReference.identifiers[0].value),
      [other.prisonNumber],
    )
  })

  it('tells of a plan closed by the person leaving custody: HA inactive, then HA2 created', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'person.alert.inactive', 'waymark.care-plan.closed'])
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    await leavesCustody(person.id, 'release')
    await sender.deliverDue()
    assert.deepEqual(
      sent.map(({ event }) => [event.eventType, event.additionalInformation.alertCode]),
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
    await sender.deliverDue()
    assert.deepEqual(
      sent.slice(-2).map(({ event }) => `${event.eventType} ${event.additionalInformation.alertCode}`),
      ['person.alert.inactive HA1', 'person.alert.created HA2'],
    )
    assert.equal(sent.length, 5)
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
    await sender.deliverDue()
    assert.deepEqual(
      sent.map(({ event }) => `${event.eventType} ${event.additionalInformation.alertCode}`),
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

  it('forgets a delivered event a month after it was delivered, and keeps one still to go', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    answerFor = (event) => (event.eventType === 'person.alert.created' ? { status: 204 } : { status: 500 })
    assert.equal(await sender.deliverDue(), 2)
    clock.advanceMinutes(29 * 24 * 60)
    await sender.deliverySweep.run(clock.now())
    assert.equal((await deliveriesOf(id)).length, 2)
    clock.advanceMinutes(2 * 24 * 60)
    answerFor = () => ({ status: 500 })
    await sender.deliverySweep.run(clock.now())
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.eventType, delivery.state]),
      [['waymark.care-plan.opened', 'pending']],
    )
  })

  it('publishes a raised concern by its id and codes alone, and sends it to a subscriber of its prison', async () => {
    const { id } = await onlySubscriber(['waymark.concern.raised'])
    const person = await givenAnotherPerson(database.db, prison)
    const concernId = await givenRaisedConcern(services, prison, person.prisonNumber)
    const published = await database.db
      .selectFrom('event_outbox')
      .select(['payload', 'establishment_code as establishmentCode'])
      .where('type', '=', 'concern.raised')
      .where(sql<string>`payload->>'personId'`, '=', person.id)
      .execute()
    assert.deepEqual(published, [
      {
        payload: { concernId, personId: person.id, urgency: 'immediate', indicatesSelfHarmRisk: true },
        establishmentCode: prison.code,
      },
    ])
    await deliverEvents(services)
    assert.equal(await sender.deliverDue(), 1)
    const [{ event }] = sent
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
    assert.equal(await sender.deliverDue(), 2)
    assert.deepEqual(
      sent.map(({ event }) => [event.eventType, event.additionalInformation]),
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

  it('tells of an accepted timetable once for each person whose groups changed, and not at all for one that changed nothing', async () => {
    const { id } = await onlySubscriber(['waymark.timetable.accepted'])
    const first = await givenAnotherPerson(database.db, prison)
    const second = await givenAnotherPerson(database.db, prison)
    const runId = await givenAcceptedTimetable(database.db, services, prison, [first, second])
    await deliverEvents(services)
    assert.equal(await sender.deliverDue(), 2)
    assert.deepEqual(
      sent.map(({ event }) => [event.personReference.identifiers[0].value, event.additionalInformation]),
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

  it('sends a subscriber the events of the prisons it was registered for and no other', async () => {
    const elsewhere = await givenCarePlanPrison(database.db)
    const both = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code, elsewhere.code] })
    const { id } = await onlySubscriber(['waymark.concern.raised', 'waymark.care-plan.opened'])
    const person = await givenAnotherPerson(database.db, elsewhere)
    await givenRaisedConcern(services, elsewhere, person.prisonNumber)
    await deliverEvents(services)
    assert.deepEqual(await deliveriesOf(id), [], 'a subscriber of this prison hears nothing of another')
    assert.equal(await sender.deliverDue(), 0)

    // A subscriber may hear of several prisons, but only prisons its administrator works in.
    const refused = await services.webhooks.addSubscription(admin, {
      url: 'https://both.example.org/events',
      eventTypes: ['waymark.concern.raised'],
      establishmentCodes: [prison.code, elsewhere.code],
    })
    assert.deepEqual('id' in refused ? 'added' : refused.map((refusal) => refusal.messageKey), [
      'webhooks.error.prisons',
    ])
    const added = await services.webhooks.addSubscription(both, {
      url: 'https://both.example.org/events',
      eventTypes: ['waymark.concern.raised'],
      establishmentCodes: [elsewhere.code, prison.code],
    })
    assert.ok('id' in added)
    assert.deepEqual(
      (await services.webhooks.viewSubscription(both, added.id)).subscription.establishmentCodes,
      [prison.code, elsewhere.code].sort(),
    )
    await givenRaisedConcern(services, elsewhere, person.prisonNumber)
    await deliverEvents(services)
    assert.equal((await deliveriesOf(added.id)).length, 1)
    await services.webhooks.setEnabled(both, added.id, false)
  })

  it('rotates a secret: audited, the old one signing beside the new for a day, then the new one alone', async () => {
    const { id, signingSecret: old } = await onlySubscriber(['waymark.concern.raised'])
    const rotated = await services.webhooks.rotateSecret(admin, id)
    assert.match(rotated.signingSecret, /^[0-9a-f]{64}$/)
    assert.notEqual(rotated.signingSecret, old)
    assert.equal(rotated.previousUntil.getTime() - clock.now().getTime(), 24 * 3600 * 1000)
    const view = await services.webhooks.viewSubscription(admin, id)
    assert.deepEqual(view.subscription.oldSecretSignsUntil, rotated.previousUntil)
    assert.equal(JSON.stringify(view).includes(rotated.signingSecret), false, 'never shown again')
    const audit = await auditTrailOf(database.db, { actorId: admin.id })
    const entry = audit.find((one) => one.action === 'webhooks.secret-rotated')
    assert.ok(entry)
    assert.equal(JSON.stringify(entry).includes(rotated.signingSecret), false)
    assert.equal(JSON.stringify(entry).includes(old), false)

    const person = await givenAnotherPerson(database.db, prison)
    const sendOne = async () => {
      await givenRaisedConcern(services, prison, person.prisonNumber)
      await deliverEvents(services)
      assert.equal(await sender.deliverDue(), 1)
      const { event, headers } = sent.at(-1)!
      return { body: JSON.stringify(event), header: headers['waymark-signature'] }
    }
    const during = await sendOne()
    assert.match(during.header, /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/)
    assert.equal(signatureIsValid(rotated.signingSecret, during.body, during.header, clock.now()), true)
    assert.equal(signatureIsValid(old, during.body, during.header, clock.now()), true)

    clock.advanceMinutes(24 * 60)
    const after = await sendOne()
    assert.match(after.header, /^t=\d+,v1=[0-9a-f]{64}$/)
    assert.equal(signatureIsValid(rotated.signingSecret, after.body, after.header, clock.now()), true)
    assert.equal(signatureIsValid(old, after.body, after.header, clock.now()), false)
    assert.equal((await services.webhooks.viewSubscription(admin, id)).subscription.oldSecretSignsUntil, null)
  })

  it('answers a subscription that does not exist as not found', async () => {
    await assert.rejects(services.webhooks.viewSubscription(admin, 'not-an-id'), NotFound)
    await assert.rejects(services.webhooks.viewSubscription(admin, '00000000-0000-4000-8000-000000000000'), NotFound)
    await assert.rejects(services.webhooks.rotateSecret(admin, '00000000-0000-4000-8000-000000000000'), NotFound)
  })
})
