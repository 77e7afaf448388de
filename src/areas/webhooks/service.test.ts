import { it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { NotFound } from '../../platform/errors.ts'
import { MAX_ATTEMPTS, signatureIsValid } from './rules.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { givenClosedCarePlan, givenRaisedConcern, stubReceiverBefore } from '../../../test/support/webhook-builders.ts'

describeServicesOnEachEngine('the webhooks service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
  const receiver = stubReceiverBefore({ database, services, clock }, prison)
  const { onlySubscriber, deliveriesOf, openPlanFor } = receiver

  it('refuses an address it would not send to and a subscription to nothing, storing none', async () => {
    const before = (await services.webhooks.listSubscriptions(receiver.admin)).length
    const refusals = await Promise.all(
      [
        { url: '', eventTypes: ['person.alert.created'] },
        { url: 'http://alerts.example.org/events', eventTypes: ['person.alert.created'] },
        { url: 'https://alerts.example.org/events', eventTypes: [] },
        { url: 'https://alerts.example.org/events', eventTypes: ['person.deleted'] },
        { url: 'ftp://alerts.example.org/events', eventTypes: [] },
      ].map((input) =>
        services.webhooks.addSubscription(receiver.admin, { ...input, establishmentCodes: [prison.code] }),
      ),
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
    assert.equal((await services.webhooks.listSubscriptions(receiver.admin)).length, before)
  })

  it('adds a subscriber with a secret of its own, shown once: never listed again, and audited', async () => {
    const added = await onlySubscriber(['person.alert.created'])
    assert.match(added.signingSecret, /^[0-9a-f]{64}$/)
    const [listed] = await services.webhooks.listSubscriptions(receiver.admin)
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
        mayRun: true,
      },
    )
    assert.equal(
      JSON.stringify(await services.webhooks.viewSubscription(receiver.admin, added.id)).includes(added.signingSecret),
      false,
    )
    const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
    assert.ok(audit.some((entry) => entry.action === 'webhooks.subscription-added'))
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
    assert.equal(await receiver.sender.deliverDue(), 2)
    assert.deepEqual(
      receiver.sent.map(({ event }) => event.eventType),
      ['waymark.care-plan.opened', 'waymark.care-plan.closed'],
    )
    assert.equal(receiver.sent[0].headers['waymark-event-type'], 'waymark.care-plan.opened')
    assert.match(receiver.sent[0].headers['waymark-signature'], /^t=\d+,v1=[0-9a-f]{64}$/)
    assert.equal(await receiver.sender.deliverDue(), 0, 'nothing is sent twice')
  })

  it('holds a person’s later events behind one that fails, while another person’s go', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const held = await givenAnotherPerson(database.db, prison)
    const free = await givenAnotherPerson(database.db, prison)
    await openPlanFor(held.prisonNumber)
    await openPlanFor(free.prisonNumber)
    await deliverEvents(services)
    receiver.answerFor = (event) =>
      event.personReference.identifiers[0].value === held.prisonNumber ? { status: 500 } : { status: 204 }
    assert.equal(await receiver.sender.deliverDue(), 3)
    assert.deepEqual(
      receiver.sent.map(({ event }) => [event.personReference.identifiers[0].value, event.eventType]),
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

  it('sends a person’s events in the order they happened, even when the later one’s listener ran, and sent, first', async () => {
    await onlySubscriber(['waymark.care-plan.opened', 'waymark.care-plan.closed'])
    const { person } = await givenClosedCarePlan(database.db, services, prison, clock)
    const published = await database.db
      .selectFrom('event_outbox')
      .select(['id', 'type'])
      .where(sql<string>`payload->>'personId'`, '=', person.id)
      .orderBy('id', 'desc')
      .execute()
    // The closing's listener and a send first, as when a second worker took it while the opening's waited, or
    // the opening's failed once and waits to be tried again: its deliveries were queued with the changes.
    const listeners = services.events.handlers()
    for (const event of published) {
      await listeners[`event:webhooks.${event.type.replace('.', '-')}`]({ eventId: event.id }, { jobId: 0, attempt: 1 })
      await receiver.sender.deliverDue()
    }
    await deliverEvents(services)
    await receiver.sender.deliverDue()
    assert.deepEqual(
      receiver.sent.map(({ event }) => event.eventType),
      ['waymark.care-plan.opened', 'waymark.care-plan.closed'],
    )
  })

  it('never lets people held behind a failure keep another person’s due events from their turn', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const held = await givenAnotherPerson(database.db, prison)
    await openPlanFor(held.prisonNumber)
    await deliverEvents(services)
    receiver.answerFor = () => ({ status: 503 })
    assert.equal(await receiver.sender.deliverDue(), 1)
    // The held person's second event is due and older than the free person's, but it is not theirs to send yet.
    const free = await givenAnotherPerson(database.db, prison)
    await openPlanFor(free.prisonNumber)
    await deliverEvents(services)
    receiver.answerFor = () => ({ status: 204 })
    assert.equal(await receiver.sender.deliverDue(1), 1)
    assert.deepEqual(receiver.sent.at(-1)?.event.personReference.identifiers[0].value, free.prisonNumber)
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
    receiver.answerFor = () => ({ error: 'Could not connect (ECONNREFUSED)' })
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      assert.equal(await receiver.sender.deliverDue(), 1)
      clock.advanceMinutes(6 * 60)
    }
    assert.equal(await receiver.sender.deliverDue(), 0)
    const [failed, waiting] = await deliveriesOf(id)
    assert.deepEqual(
      [failed.state, failed.attempts, failed.lastError],
      ['failed', MAX_ATTEMPTS, 'Could not connect (ECONNREFUSED)'],
    )
    assert.deepEqual([waiting.state, waiting.attempts], ['pending', 0])

    receiver.sent = []
    receiver.answerFor = () => ({ status: 200 })
    assert.equal(await services.webhooks.replayDelivery(receiver.admin, id, failed.id), true)
    assert.equal(await services.webhooks.replayDelivery(receiver.admin, id, failed.id), false, 'already waiting')
    assert.equal(await receiver.sender.deliverDue(), 2)
    assert.deepEqual(
      receiver.sent.map(({ event }) => event.eventType),
      ['person.alert.created', 'waymark.care-plan.opened'],
    )
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.state, delivery.attempts]),
      [
        ['delivered', 1],
        ['delivered', 1],
      ],
    )
    const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
    assert.ok(audit.some((entry) => entry.action === 'webhooks.delivery-replayed'))
  })

  it('keeps a stopped subscriber’s events waiting, and sends them when it starts again', async () => {
    const { id } = await onlySubscriber(['person.alert.created'])
    assert.equal(await services.webhooks.setEnabled(receiver.admin, id, false), true)
    assert.equal(await services.webhooks.setEnabled(receiver.admin, id, false), false, 'already stopped')
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    // A subscriber stopped before the event was published hears nothing of it.
    assert.deepEqual(await deliveriesOf(id), [])

    await services.webhooks.setEnabled(receiver.admin, id, true)
    const other = await givenAnotherPerson(database.db, prison)
    await openPlanFor(other.prisonNumber)
    await deliverEvents(services)
    await services.webhooks.setEnabled(receiver.admin, id, false)
    assert.equal(await receiver.sender.deliverDue(), 0, 'stopped: it waits')
    await services.webhooks.setEnabled(receiver.admin, id, true)
    assert.equal(await receiver.sender.deliverDue(), 1)
    assert.deepEqual(
      receiver.sent.map(({ event }) => event.personReference.identifiers[0].value),
      [other.prisonNumber],
    )
  })

  it('forgets a delivered event a month after it was delivered, and keeps one still to go', async () => {
    const { id } = await onlySubscriber(['person.alert.created', 'waymark.care-plan.opened'])
    const person = await givenAnotherPerson(database.db, prison)
    await openPlanFor(person.prisonNumber)
    await deliverEvents(services)
    receiver.answerFor = (event) => (event.eventType === 'person.alert.created' ? { status: 204 } : { status: 500 })
    assert.equal(await receiver.sender.deliverDue(), 2)
    clock.advanceMinutes(29 * 24 * 60)
    await receiver.sender.deliverySweep.run(clock.now())
    assert.equal((await deliveriesOf(id)).length, 2)
    clock.advanceMinutes(2 * 24 * 60)
    receiver.answerFor = () => ({ status: 500 })
    await receiver.sender.deliverySweep.run(clock.now())
    assert.deepEqual(
      (await deliveriesOf(id)).map((delivery) => [delivery.eventType, delivery.state]),
      [['waymark.care-plan.opened', 'pending']],
    )
  })

  it('sends a subscriber the events of the prisons it was registered for and no other', async () => {
    const elsewhere = await givenCarePlanPrison(database.db)
    const both = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code, elsewhere.code] })
    const { id } = await onlySubscriber(['waymark.concern.raised', 'waymark.care-plan.opened'])
    const person = await givenAnotherPerson(database.db, elsewhere)
    await givenRaisedConcern(services, elsewhere, person.prisonNumber)
    await deliverEvents(services)
    assert.deepEqual(await deliveriesOf(id), [], 'a subscriber of this prison hears nothing of another')
    assert.equal(await receiver.sender.deliverDue(), 0)

    // A subscriber may hear of several prisons, but only prisons its administrator works in.
    const refused = await services.webhooks.addSubscription(receiver.admin, {
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
    assert.equal((await deliveriesOf(added.id, both)).length, 1)
    await services.webhooks.setEnabled(both, added.id, false)
  })

  it('rotates a secret: audited, the old one signing beside the new for a day, then the new one alone', async () => {
    const { id, signingSecret: old } = await onlySubscriber(['waymark.concern.raised'])
    const rotated = await services.webhooks.rotateSecret(receiver.admin, id, null)
    assert.match(rotated.signingSecret, /^[0-9a-f]{64}$/)
    assert.notEqual(rotated.signingSecret, old)
    assert.equal(rotated.previousUntil.getTime() - clock.now().getTime(), 24 * 3600 * 1000)
    const view = await services.webhooks.viewSubscription(receiver.admin, id)
    assert.deepEqual(view.subscription.oldSecretSignsUntil, rotated.previousUntil)
    assert.equal(JSON.stringify(view).includes(rotated.signingSecret), false, 'never shown again')
    const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
    const entry = audit.find((one) => one.action === 'webhooks.secret-rotated')
    assert.ok(entry)
    assert.equal(JSON.stringify(entry).includes(rotated.signingSecret), false)
    assert.equal(JSON.stringify(entry).includes(old), false)

    const person = await givenAnotherPerson(database.db, prison)
    const sendOne = async () => {
      await givenRaisedConcern(services, prison, person.prisonNumber)
      await deliverEvents(services)
      assert.equal(await receiver.sender.deliverDue(), 1)
      const { event, headers } = receiver.sent.at(-1)!
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
    assert.equal((await services.webhooks.viewSubscription(receiver.admin, id)).subscription.oldSecretSignsUntil, null)
  })

  it('changes a subscriber’s prisons and events in place: the same secret and log, audited by codes, later events going by the change', async () => {
    const elsewhere = await givenCarePlanPrison(database.db)
    const both = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code, elsewhere.code] })
    const { id, signingSecret } = await onlySubscriber(['waymark.concern.raised'])
    const here = await givenAnotherPerson(database.db, prison)
    const there = await givenAnotherPerson(database.db, elsewhere)
    await givenRaisedConcern(services, prison, here.prisonNumber)
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 1)

    const changed = await services.webhooks.changeSubscription(both, id, {
      eventTypes: ['waymark.concern.raised', 'waymark.care-plan.opened'],
      establishmentCodes: [elsewhere.code],
    })
    assert.equal(changed, 'changed')
    const { subscription, deliveries } = await services.webhooks.viewSubscription(both, id)
    assert.deepEqual(subscription.establishmentCodes, [elsewhere.code])
    assert.deepEqual(subscription.eventTypes, ['waymark.care-plan.opened', 'waymark.concern.raised'])
    assert.deepEqual(
      deliveries.map((delivery) => delivery.state),
      ['delivered'],
      'the log is kept',
    )
    const [entry] = (await auditTrailOf(database.db, { actorId: both.id })).filter(
      (one) => one.action === 'webhooks.subscription-changed',
    )
    assert.deepEqual(entry.details, {
      subscriptionId: id,
      eventTypes: 'waymark.care-plan.opened waymark.concern.raised',
      establishmentCodes: elsewhere.code,
      prisonsAdded: elsewhere.code,
      prisonsRemoved: prison.code,
    })

    // The prison taken away is heard of no more; the one added is, signed with the secret it always had.
    await givenRaisedConcern(services, prison, here.prisonNumber)
    await givenRaisedConcern(services, elsewhere, there.prisonNumber)
    await deliverEvents(services)
    assert.equal(await receiver.sender.deliverDue(), 1)
    const { event, headers } = receiver.sent.at(-1)!
    assert.equal(event.personReference.identifiers[0].value, there.prisonNumber)
    assert.equal(
      signatureIsValid(signingSecret, JSON.stringify(event), headers['waymark-signature'], clock.now()),
      true,
    )
    assert.equal((await deliveriesOf(id, both)).length, 2)
  })

  it('refuses no prison, a prison the administrator does not work in and events not Waymark’s, changing nothing', async () => {
    const elsewhere = await givenCarePlanPrison(database.db)
    const { id } = await onlySubscriber(['waymark.concern.raised'])
    const refusalsOf = async (input: { eventTypes: string[]; establishmentCodes: string[] }) => {
      const answer = await services.webhooks.changeSubscription(receiver.admin, id, input)
      return typeof answer === 'string' ? answer : answer.map((refusal) => [refusal.field, refusal.messageKey])
    }
    const concerns = ['waymark.concern.raised']
    assert.deepEqual(await refusalsOf({ eventTypes: concerns, establishmentCodes: [] }), [
      ['establishmentCodes', 'webhooks.error.prisons'],
    ])
    assert.deepEqual(await refusalsOf({ eventTypes: concerns, establishmentCodes: [prison.code, elsewhere.code] }), [
      ['establishmentCodes', 'webhooks.error.prisonsNotYours'],
    ])
    assert.deepEqual(await refusalsOf({ eventTypes: concerns, establishmentCodes: ['ZZZ'] }), [
      ['establishmentCodes', 'webhooks.error.prisonsNotYours'],
    ])
    assert.deepEqual(await refusalsOf({ eventTypes: ['person.deleted'], establishmentCodes: [] }), [
      ['eventTypes', 'webhooks.error.eventTypes'],
      ['establishmentCodes', 'webhooks.error.prisons'],
    ])
    const { subscription } = await services.webhooks.viewSubscription(receiver.admin, id)
    assert.deepEqual([subscription.eventTypes, subscription.establishmentCodes], [concerns, [prison.code]])
    const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
    assert.equal(
      audit.some((entry) => entry.action === 'webhooks.subscription-changed'),
      false,
    )
    assert.equal(await refusalsOf({ eventTypes: concerns, establishmentCodes: [prison.code] }), 'unchanged')
  })

  it('keeps the prisons an administrator does not work in, and the events of a subscriber that hears of them', async () => {
    const elsewhere = await givenCarePlanPrison(database.db)
    const both = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code, elsewhere.code] })
    const added = await services.webhooks.addSubscription(both, {
      url: 'https://both.example.org/events',
      eventTypes: ['waymark.concern.raised'],
      establishmentCodes: [prison.code, elsewhere.code],
    })
    assert.ok('id' in added)
    const choices = await services.webhooks.subscriptionChoices(receiver.admin, added.id)
    assert.deepEqual(
      [choices.prisons.map((one) => one.code), choices.keptPrisons.map((one) => one.code), choices.mayChangeEvents],
      [[prison.code], [elsewhere.code], false],
    )
    const refused = await services.webhooks.changeSubscription(receiver.admin, added.id, {
      eventTypes: ['waymark.concern.raised', 'waymark.care-plan.opened'],
      establishmentCodes: [prison.code],
    })
    assert.deepEqual(typeof refused === 'string' ? refused : refused.map((one) => one.messageKey), [
      'webhooks.error.eventTypesNotYours',
    ])
    // Their own prison taken away, with no prison ticked: the other prison stays, and so do the events.
    assert.equal(
      await services.webhooks.changeSubscription(receiver.admin, added.id, { eventTypes: [], establishmentCodes: [] }),
      'changed',
    )
    const { subscription } = await services.webhooks.viewSubscription(both, added.id)
    assert.deepEqual(
      [subscription.establishmentCodes, subscription.eventTypes],
      [[elsewhere.code], ['waymark.concern.raised']],
    )
    await services.webhooks.setEnabled(both, added.id, false)
  })

  it('answers a subscription that does not exist as not found', async () => {
    await assert.rejects(services.webhooks.viewSubscription(receiver.admin, 'not-an-id'), NotFound)
    await assert.rejects(
      services.webhooks.viewSubscription(receiver.admin, '00000000-0000-4000-8000-000000000000'),
      NotFound,
    )
    await assert.rejects(
      services.webhooks.rotateSecret(receiver.admin, '00000000-0000-4000-8000-000000000000', null),
      NotFound,
    )
    for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000000'])
      await assert.rejects(
        services.webhooks.changeSubscription(receiver.admin, id, { eventTypes: [], establishmentCodes: [prison.code] }),
        NotFound,
      )
  })
})
