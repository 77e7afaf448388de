/**
 * Issue 15: events out. Each Waymark event a subscriber asked for becomes HMPPS domain events, queued as one
 * delivery per subscription in order, and sent signed, at least once, each person's in order.
 */
import type { Db } from '../../db/database.ts'
import type { EventListener, PublishedEvent, WrittenWithEvent } from '../../platform/events.ts'
import type { Sweep } from '../../platform/jobs.ts'
import {
  afterAttempt,
  domainEventsOf,
  domainEventTypes,
  peopleOf,
  SIGNATURE_HEADER,
  signatureOf,
  signingSecretsAt,
  type WaymarkEventOut,
} from './rules.ts'
import * as store from './store.ts'
import { DELIVER_QUEUE, type WebhooksDeps } from './deps.ts'

/** A delivery is held by the worker sending it this long: longer than a receiver is given to answer. */
const LEASE_MS = 60_000
/** How many deliveries one job sends before it lets other work run; the next job takes up the rest. */
const EACH_JOB = 100

/**
 * The Waymark events that go out, turned into their deliveries in the transaction that publishes them: a
 * person's deliveries then exist in the order their changes were made. Queued by a listener's job instead, a
 * care plan's closing could be queued, and sent, before its opening, when the opening's job was taken by
 * another worker a moment later or failed once and waited to be tried again.
 */
export function writtenWithEvents(deps: WebhooksDeps): WrittenWithEvent {
  return {
    types: eventListeners(deps).map((listener) => listener.type),
    write: (trx, event) => queueDeliveries(deps, trx, event as PublishedEvent<WaymarkEventOut['type']>),
  }
}

/**
 * The same, as listeners: for events published before their deliveries were written with them, whose jobs
 * may still be waiting; for any other, a delivery already queued is kept, not doubled.
 */
export function eventListeners(deps: WebhooksDeps) {
  const handle = (event: PublishedEvent<WaymarkEventOut['type']>) =>
    deps.db.transaction().execute((trx) => queueDeliveries(deps, trx, event))
  return [
    { name: 'webhooks.care-plan-opened', type: 'care-plan.opened', handle },
    { name: 'webhooks.care-plan-closed', type: 'care-plan.closed', handle },
    { name: 'webhooks.care-plan-alert-moved', type: 'care-plan.alert-moved', handle },
    { name: 'webhooks.concern-raised', type: 'concern.raised', handle },
    { name: 'webhooks.dedicated-officer-allocated', type: 'dedicated-officer.allocated', handle },
    { name: 'webhooks.dedicated-officer-allocation-ended', type: 'dedicated-officer.allocation-ended', handle },
    { name: 'webhooks.timetable-accepted', type: 'timetable.accepted', handle },
  ] satisfies [
    EventListener<'care-plan.opened'>,
    EventListener<'care-plan.closed'>,
    EventListener<'care-plan.alert-moved'>,
    EventListener<'concern.raised'>,
    EventListener<'dedicated-officer.allocated'>,
    EventListener<'dedicated-officer.allocation-ended'>,
    EventListener<'timetable.accepted'>,
  ]
}

/**
 * One delivery for each subscriber and each domain event it asked for, of the prisons it hears of, queued in
 * one transaction with the job that sends them. The listener may be tried again: deliveries already queued are
 * kept, not doubled.
 */
async function queueDeliveries(deps: WebhooksDeps, db: Db, event: PublishedEvent<WaymarkEventOut['type']>) {
  const { clock, jobs } = deps
  const out = { type: event.type, payload: event.payload } as WaymarkEventOut
  // An event of no prison goes to none: each subscriber hears of its own prisons only.
  const { establishmentCode } = event
  if (establishmentCode === null) return
  // A subscriber hears of what happened after it subscribed: one added since an event waiting for its listener
  // would otherwise hear of it after later events it was sent already.
  const subscribers = (await store.subscribersTo(db, domainEventTypes, establishmentCode)).filter(
    (subscriber) => subscriber.createdAt.getTime() <= event.occurredAt.getTime(),
  )
  if (subscribers.length === 0) return
  const personIds = peopleOf(out)
  const people =
    personIds.length === 0
      ? []
      : await db
          .selectFrom('person_summary')
          .select(['id', 'prison_number as prisonNumber'])
          .where('id', 'in', personIds)
          .execute()
  const shaped = domainEventsOf(
    { ...out, id: event.id, occurredAt: event.occurredAt },
    new Map(people.map((person) => [person.id, person.prisonNumber])),
  )
  const at = clock.now()
  const rows = subscribers.flatMap((subscriber) =>
    shaped
      .filter((one) => subscriber.eventTypes.includes(one.event.eventType))
      .map((one) => ({
        subscriptionId: subscriber.id,
        eventId: event.id,
        eventKey: one.key,
        position: one.position,
        eventType: one.event.eventType,
        personId: one.personId,
        establishmentCode,
        body: one.event,
        at,
      })),
  )
  if (rows.length === 0) return
  await store.insertDeliveries(db, rows)
  await jobs.enqueue(db, DELIVER_QUEUE)
}

/**
 * Sends what is due, one delivery at a time, each only when every earlier one for the same person to the same
 * subscriber is delivered. A failure waits before its next try, and holds that person's later events. Returns
 * how many attempts were made.
 */
export async function deliverDue(deps: WebhooksDeps, limit = EACH_JOB): Promise<number> {
  const { db, clock } = deps
  let attempts = 0
  while (attempts < limit) {
    const due = await store.dueDeliveries(db, clock.now(), limit - attempts)
    if (due.length === 0) break
    for (const delivery of due) {
      // Each is the first of its person's still to go to its subscriber: no two are of one person, so any order.
      attempts += 1
      await attempt(deps, delivery.id)
    }
  }
  return attempts
}

async function attempt(deps: WebhooksDeps, deliveryId: number) {
  const { db, clock, jobs, send } = deps
  const now = clock.now()
  const heldUntil = new Date(now.getTime() + LEASE_MS)
  const claimed = await store.claimDelivery(db, deliveryId, now, heldUntil)
  // Another worker took it between the look and the claim: it is theirs to send.
  if (!claimed) return
  const body = JSON.stringify(claimed.body)
  const answer = await send(claimed.url, body, {
    'content-type': 'application/json',
    'user-agent': 'Waymark-Webhooks/1',
    [SIGNATURE_HEADER]: signatureOf(
      signingSecretsAt(
        {
          current: claimed.signingSecret,
          previous: claimed.previousSigningSecret,
          previousUntil: claimed.previousSecretUntil,
        },
        now,
      ),
      body,
      clock.now(),
    ),
    'waymark-event-id': claimed.eventKey,
    'waymark-event-type': claimed.eventType,
  })
  const after = afterAttempt(claimed.attempts, answer, clock.now())
  await db.transaction().execute(async (trx) => {
    const recorded = await store.recordAttempt(trx, claimed.id, heldUntil, {
      state: after.state,
      status: after.status,
      error: after.state === 'delivered' ? null : after.error,
      ...(after.state === 'pending' && { nextAttemptAt: after.nextAttemptAt }),
      ...(after.state === 'delivered' && { deliveredAt: clock.now() }),
    })
    // Held past its lease, the delivery is another worker's now: what it comes to is theirs to record.
    if (recorded && after.state === 'pending')
      await jobs.enqueue(trx, DELIVER_QUEUE, {}, { runAt: after.nextAttemptAt })
  })
}

/** The job that sends what is due. */
export function jobHandlersOf(deps: WebhooksDeps) {
  return { [DELIVER_QUEUE]: async () => void (await deliverDue(deps)) }
}

/** A delivered event stays in the log this long, then is forgotten: the subscriber has it. */
const KEEP_DELIVERED_DAYS = 30

/**
 * Every five minutes, whatever is due and was not sent: a delivery whose worker died holding it, or whose
 * retry job was lost. The jobs send everything else as soon as it is due. The log forgets what was delivered
 * over a month ago; what is waiting or failed stays until it is delivered.
 */
export function deliverySweepOf(deps: WebhooksDeps): Sweep {
  return {
    name: 'webhooks:deliver-due',
    everySeconds: 300,
    run: async (now) => {
      await store.forgetDelivered(deps.db, new Date(now.getTime() - KEEP_DELIVERED_DAYS * 86_400_000))
      await deliverDue(deps)
    },
  }
}
