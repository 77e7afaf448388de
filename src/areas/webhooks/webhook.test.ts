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
import { givenClosedCarePlan } from '../../../test/support/webhook-builders.ts'

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

    /** What the worker does on its rounds: the events to their listeners, and the deliveries that are due. */
    const work = () => services.jobs.work('test-worker', backgroundWork(services).handlers, 1000)
    const log = async () => {
      const [subscription] = await services.webhooks.listSubscriptions(admin)
      return (await services.webhooks.viewSubscription(admin, subscription.id)).deliveries.toReversed()
    }

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
  },
)
