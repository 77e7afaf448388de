import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { backgroundWork } from '../../app.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Actor } from '../../platform/permissions.ts'
import { domainEventTypes, signatureIsValid, type DomainEvent } from './rules.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenStaffUser } from '../../../test/support/builders.ts'
import { givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { givenAnotherPerson } from '../../../test/support/care-plan-builders.ts'
import {
  givenAcceptedTimetable,
  givenAllocatedOfficer,
  givenClosedCarePlan,
  givenRaisedConcern,
} from '../../../test/support/webhook-builders.ts'

/**
 * Issue 15, done when: a real HTTP receiver, down for a while (nothing listening, then answering 503), gets
 * the events of opening and closing a care plan once each, signed, in order, once it is up.
 */
/** What the receiver kept: the request as it came, and when by the test's clock (for the signature's time). */
type Received = { headers: IncomingHttpHeaders; body: string; receivedAt: Date }

/** A receiver on a port of its own: down (not listening), failing (503), or up (keeps what it is sent, 204). */
function receiver(clock: Clock) {
  const accepted: Received[] = []
  let refused = 0
  let answer: 204 | 503 = 503
  let server: Server | undefined
  let port = 0
  const listen = (on: number) =>
    new Promise<void>((resolve) => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          if (answer === 204)
            accepted.push({
              headers: request.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              receivedAt: clock.now(),
            })
          else refused += 1
          response.writeHead(answer).end()
        })
      })
      server.listen(on, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port
        resolve()
      })
    })
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve()
      server.closeAllConnections()
      server.close(() => resolve())
      server = undefined
    })
  return {
    accepted,
    refusedCount: () => refused,
    url: () => `http://127.0.0.1:${port}/events`,
    /** Finds a free port and leaves it closed: connections to it are refused until `start`. */
    async reserve() {
      await listen(0)
      await stop()
    },
    async start(status: 204 | 503) {
      answer = status
      if (!server) await listen(port)
    },
    answerWith(status: 204 | 503) {
      answer = status
    },
    stop,
  }
}

describeServicesOnEachEngine(
  'events out to a real receiver',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
    const subscriber = receiver(clock)
    let admin: Actor
    let secret = ''

    before(async () => {
      admin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code] })
      await subscriber.reserve()
      const added = await services.webhooks.addSubscription(admin, {
        url: subscriber.url(),
        eventTypes: [...domainEventTypes],
        establishmentCodes: [prison.code],
      })
      if (!('id' in added)) throw new Error(`refused: ${added.map((refusal) => refusal.messageKey).join(', ')}`)
      secret = added.signingSecret
    })
    after(() => subscriber.stop())
    after(() => elsewhereSubscriber.stop())

    // A second receiver, registered by another prison's administrator for that prison alone.
    const elsewhere = arrangedBefore(() => givenCarePlanPrison(database.db))
    const elsewhereSubscriber = receiver(clock)
    before(async () => {
      const elsewhereAdmin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [elsewhere.code] })
      await elsewhereSubscriber.start(204)
      const added = await services.webhooks.addSubscription(elsewhereAdmin, {
        url: elsewhereSubscriber.url(),
        eventTypes: [...domainEventTypes],
        establishmentCodes: [elsewhere.code],
      })
      if (!('id' in added)) throw new Error(`refused: ${added.map((refusal) => refusal.messageKey).join(', ')}`)
    })

    /** What the worker does on its rounds: the events to their listeners, and the deliveries that are due. */
    const work = () => services.jobs.work('test-worker', backgroundWork(services).handlers, 1000)
    const subscriptionId = async (by = admin) => {
      const subscriptions = await services.webhooks.listSubscriptions(by)
      return subscriptions.find((subscription) => subscription.url === subscriber.url())!.id
    }
    const log = async (by = admin) =>
      (await services.webhooks.viewSubscription(by, await subscriptionId(by))).deliveries.toReversed()

    it('delivers the events of opening and closing a care plan once each, signed, in order, after the receiver was down', async () => {
      const { person, carePlanId } = await givenClosedCarePlan(database.db, services, prison, clock)

      // Down: nothing listens. The person's first event is tried and refused; the rest wait behind it.
      await work()
      let deliveries = await log()
      assert.deepEqual(
        deliveries.map((delivery) => [delivery.eventType, delivery.state, delivery.attempts]),
        [
          ['person.alert.created', 'pending', 1],
          ['waymark.care-plan.opened', 'pending', 0],
          ['person.alert.inactive', 'pending', 0],
          ['person.alert.created', 'pending', 0],
          ['waymark.care-plan.closed', 'pending', 0],
        ],
      )
      assert.equal(deliveries[0].lastError, 'Could not connect (ECONNREFUSED)')
      assert.equal(deliveries[0].nextAttemptAt.toISOString(), '2026-11-25T09:00:30.000Z')

      // Nothing is tried again before its wait is over.
      await work()
      assert.equal((await log())[0].attempts, 1)

      // Up, but failing: 503 is a failure like any other, and the wait doubles.
      await subscriber.start(503)
      clock.advanceMinutes(1)
      await work()
      deliveries = await log()
      assert.equal(subscriber.refusedCount(), 1)
      assert.deepEqual([deliveries[0].attempts, deliveries[0].lastStatus], [2, 503])
      assert.equal(deliveries[0].nextAttemptAt.toISOString(), '2026-11-25T09:02:00.000Z')
      assert.equal(subscriber.accepted.length, 0)

      // Up and well: everything that waited goes, in order.
      subscriber.answerWith(204)
      clock.advanceMinutes(2)
      await work()
      assert.deepEqual(
        (await log()).map((delivery) => delivery.state),
        ['delivered', 'delivered', 'delivered', 'delivered', 'delivered'],
      )
      // A long while later, nothing more arrives: each event came once.
      clock.advanceMinutes(24 * 60)
      await work()

      const events = subscriber.accepted.map(({ body }) => JSON.parse(body) as DomainEvent)
      assert.deepEqual(
        events.map((event) => [event.eventType, event.additionalInformation.alertCode]),
        [
          ['person.alert.created', 'HA'],
          ['waymark.care-plan.opened', undefined],
          ['person.alert.inactive', 'HA'],
          ['person.alert.created', 'HA1'],
          ['waymark.care-plan.closed', undefined],
        ],
      )
      const ids = subscriber.accepted.map(({ headers }) => headers['waymark-event-id'])
      assert.equal(new Set(ids).size, 5, 'each event once')
      for (const { headers, body, receivedAt } of subscriber.accepted) {
        assert.equal(headers['content-type'], 'application/json')
        assert.equal(signatureIsValid(secret, body, String(headers['waymark-signature']), receivedAt), true)
        assert.equal(signatureIsValid('not the secret', body, String(headers['waymark-signature']), receivedAt), false)
      }
      for (const event of events) {
        assert.deepEqual(event.personReference, { identifiers: [{ type: 'NOMS', value: person.prisonNumber }] })
        assert.equal(event.additionalInformation.carePlanId, carePlanId)
        assert.equal(event.version, 1)
        // Never the person's name, the plan's reason or what the review said.
        for (const words of [`Person${person.prisonNumber}`, 'Said they could not go on', 'Much better', 'Amira'])
          assert.equal(JSON.stringify(event).includes(words), false, words)
      }
    })

    it('delivers a raised concern, an allocation and an accepted timetable once each, signed, each person’s in order, to its own prison’s subscriber alone', async () => {
      const before = subscriber.accepted.length
      const first = await givenAnotherPerson(database.db, prison)
      const second = await givenAnotherPerson(database.db, prison)
      const concernId = await givenRaisedConcern(services, prison, first.prisonNumber)
      const { allocationId } = await givenAllocatedOfficer(database.db, services, prison, first.prisonNumber)
      const runId = await givenAcceptedTimetable(database.db, services, prison, [first, second])
      await givenAllocatedOfficer(database.db, services, prison, second.prisonNumber)
      await work()
      await work()

      const arrived = subscriber.accepted.slice(before)
      const events = arrived.map(({ body }) => JSON.parse(body) as DomainEvent)
      const of = (person: { prisonNumber: string }) =>
        events
          .filter((event) => event.personReference.identifiers[0].value === person.prisonNumber)
          .map((event) => event.eventType)
      assert.deepEqual(of(first), [
        'waymark.concern.raised',
        'waymark.dedicated-officer.allocated',
        'waymark.timetable.accepted',
      ])
      assert.deepEqual(of(second), ['waymark.timetable.accepted', 'waymark.dedicated-officer.allocated'])
      assert.equal(events.length, 5)
      assert.equal(new Set(arrived.map(({ headers }) => headers['waymark-event-id'])).size, 5, 'each event once')
      for (const { headers, body, receivedAt } of arrived)
        assert.equal(signatureIsValid(secret, body, String(headers['waymark-signature']), receivedAt), true)
      assert.deepEqual(events[0].additionalInformation, {
        prisonNumber: first.prisonNumber,
        concernId,
        urgency: 'immediate',
        source: 'WAYMARK',
      })
      assert.equal(
        events.find((event) => event.additionalInformation.allocationId === allocationId)?.eventType,
        'waymark.dedicated-officer.allocated',
      )
      assert.ok(
        events.every(
          (event) => event.eventType !== 'waymark.timetable.accepted' || event.additionalInformation.runId === runId,
        ),
      )
      for (const words of ['radio', 'Amira', 'Barbering'])
        assert.equal(JSON.stringify(events).includes(words), false, words)

      // The other prison's subscriber heard nothing of this prison; it hears of its own.
      assert.equal(elsewhereSubscriber.accepted.length, 0)
      const there = await givenAnotherPerson(database.db, elsewhere)
      await givenRaisedConcern(services, elsewhere, there.prisonNumber)
      await work()
      await work()
      assert.deepEqual(
        elsewhereSubscriber.accepted.map(
          ({ body }) => (JSON.parse(body) as DomainEvent).personReference.identifiers[0].value,
        ),
        [there.prisonNumber],
      )
      assert.equal(subscriber.accepted.length, before + 5, 'and this prison’s subscriber nothing of that one')
    })

    it('signs with the old secret and the new for a day after a rotation, so the receiver can change over, then with the new alone', async () => {
      const rotated = await services.webhooks.rotateSecret(admin, await subscriptionId(), null)
      const person = await givenAnotherPerson(database.db, prison)
      const sendConcern = async () => {
        const before = subscriber.accepted.length
        await givenRaisedConcern(services, prison, person.prisonNumber)
        await work()
        await work()
        assert.equal(subscriber.accepted.length, before + 1)
        const { headers, body, receivedAt } = subscriber.accepted.at(-1)!
        return { header: String(headers['waymark-signature']), body, receivedAt }
      }

      const during = await sendConcern()
      assert.equal(during.header.split(',').filter((part) => part.startsWith('v1=')).length, 2)
      assert.equal(signatureIsValid(secret, during.body, during.header, during.receivedAt), true, 'the old secret')
      assert.equal(
        signatureIsValid(rotated.signingSecret, during.body, during.header, during.receivedAt),
        true,
        'the new',
      )

      clock.advanceMinutes(24 * 60 + 1)
      const after = await sendConcern()
      assert.equal(after.header.split(',').filter((part) => part.startsWith('v1=')).length, 1)
      assert.equal(
        signatureIsValid(secret, after.body, after.header, after.receivedAt),
        false,
        'the old secret no more',
      )
      assert.equal(signatureIsValid(rotated.signingSecret, after.body, after.header, after.receivedAt), true)
    })

    it('follows a change of a subscriber’s prisons: a prison added is heard of, one taken away no more, the log kept', async () => {
      const id = await subscriptionId()
      const both = await givenStaffUser(database.db, {
        role: 'admin',
        establishmentCodes: [prison.code, elsewhere.code],
      })
      const logBefore = (await log()).length
      const here = await givenAnotherPerson(database.db, prison)
      const there = await givenAnotherPerson(database.db, elsewhere)
      const concernsAt = async () => {
        const before = subscriber.accepted.length
        await givenRaisedConcern(services, prison, here.prisonNumber)
        await givenRaisedConcern(services, elsewhere, there.prisonNumber)
        await work()
        await work()
        return subscriber.accepted
          .slice(before)
          .map(({ body }) => (JSON.parse(body) as DomainEvent).personReference.identifiers[0].value)
      }

      assert.deepEqual(await concernsAt(), [here.prisonNumber], 'this prison only, to begin with')
      const added = await services.webhooks.changeSubscription(both, id, {
        eventTypes: [...domainEventTypes],
        establishmentCodes: [prison.code, elsewhere.code],
      })
      assert.equal(added, 'changed')
      assert.deepEqual((await concernsAt()).toSorted(), [here.prisonNumber, there.prisonNumber].toSorted())
      const takenAway = await services.webhooks.changeSubscription(both, id, {
        eventTypes: [...domainEventTypes],
        establishmentCodes: [elsewhere.code],
      })
      assert.equal(takenAway, 'changed')
      assert.deepEqual(await concernsAt(), [there.prisonNumber], 'the prison taken away is heard of no more')

      // Now of the other prison alone: its administrators' to see, not this prison's.
      assert.equal(await subscriptionId(both), id, 'the same subscriber')
      assert.equal((await log(both)).length, logBefore + 4, 'its log kept')
    })
  },
)
