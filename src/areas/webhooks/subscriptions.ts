/**
 * Issue 15: the subscribers an administrator registers. The signing secret is made here and shown once, as
 * the subscription is added; after that only its use (the signature on each delivery) shows it exists.
 */
import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/database.ts'
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts'
import type { Refusal } from '../../platform/forms.ts'
import { isUuid } from '../../platform/ids.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  addressRefusal,
  domainEventTypes,
  eventTypesChangeRefusal,
  eventTypesRefusal,
  maySeeSubscriber,
  mayRunSubscriber,
  prisonsAfterChange,
  prisonsRefusal,
  ROTATION_GRACE_MS,
} from './rules.ts'
import { pageOf, type PageAsked } from '../../platform/pagination.ts'
import * as store from './store.ts'
import { DELIVER_QUEUE, type WebhooksDeps } from './deps.ts'

/** The delivery log shows a subscription's latest deliveries, this many. */
const LOG_LENGTH = 100

/** The subscribers that hear of a prison the administrator works in, each saying whether it is theirs to run. */
export async function listSubscriptions(deps: WebhooksDeps, actor: Actor) {
  const subscriptions = await store.listSubscriptions(deps.db, actor.establishmentCodes)
  return subscriptions.map((subscription) => ({
    ...subscription,
    mayRun: mayRunSubscriber(subscription.establishmentCodes, actor.establishmentCodes),
  }))
}

/** The prisons an administrator may choose for a subscriber: those they work in, by name. */
export async function prisonChoices(deps: WebhooksDeps, actor: Actor) {
  return store.establishmentsNamed(deps.db, actor.establishmentCodes)
}

/**
 * Registers a subscriber for the prisons chosen: refused (an address, event types or prisons Waymark cannot
 * send, each told beside its field), or added with its secret.
 */
export async function addSubscription(
  deps: WebhooksDeps,
  actor: Actor,
  input: { url: string; eventTypes: string[]; establishmentCodes: string[] },
): Promise<{ id: string; signingSecret: string } | readonly Refusal[]> {
  const { db, clock, audit } = deps
  const refusals = [
    addressRefusal(input.url),
    eventTypesRefusal(input.eventTypes),
    prisonsRefusal(input.establishmentCodes, actor.establishmentCodes),
  ].filter((refusal) => refusal !== null)
  if (refusals.length > 0) return refusals
  const signingSecret = newSecret()
  const establishmentCodes = [...new Set(input.establishmentCodes)].sort()
  const url = input.url.trim()
  return db.transaction().execute(async (trx) => {
    // Sent twice (a double click: the browser shows only the second answer), the form adds one subscriber and
    // shows its secret: a second would be sent every event, signed with a secret no one saw, and refused.
    await holdUntilCommit(trx, `webhook-added-by:${actor.id}`)
    const eventTypes = [...new Set(input.eventTypes)]
    const since = new Date(clock.now().getTime() - SENT_TWICE_WITHIN_MS)
    const first = await store.justAddedBy(trx, actor.id, { url, eventTypes, establishmentCodes }, since)
    if (first) return first
    const id = await store.insertSubscription(trx, {
      url,
      eventTypes,
      establishmentCodes,
      signingSecret,
      at: clock.now(),
      by: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'webhooks.subscription-added',
      details: {
        subscriptionId: id,
        eventTypes: input.eventTypes.join(' '),
        establishmentCodes: establishmentCodes.join(' '),
      },
    })
    return { id, signingSecret }
  })
}

const newSecret = () => randomBytes(32).toString('hex')
/** How soon the same administrator's second rotation, or second subscriber at an address, is taken for a click sent twice. */
const SENT_TWICE_WITHIN_MS = 60_000

/**
 * Gives a subscriber a new secret, shown once as a new subscriber's is. For a day the old one signs each
 * delivery too (a second `v1=`), so the receiver can change over without refusing an event; then only the new.
 * Audited, never with either secret.
 */
export async function rotateSecret(
  deps: WebhooksDeps,
  actor: Actor,
  id: string,
  /** When the grace of the secret the page was drawn with ends (`rotatedUntil`): none before a first rotation. */
  from: Date | null,
): Promise<{ signingSecret: string; previousUntil: Date }> {
  const { db, clock, audit } = deps
  await subscriptionToRun(deps, actor, id)
  const signingSecret = newSecret()
  const previousUntil = new Date(clock.now().getTime() + ROTATION_GRACE_MS)
  return db.transaction().execute(async (trx) => {
    const rotated = { signingSecret, previousUntil, at: clock.now(), by: actor.id, from }
    if (!(await store.rotateSecret(trx, id, rotated))) return rotatedAlready(deps, trx, actor, id)
    await audit.record(trx, actor, {
      action: 'webhooks.secret-rotated',
      details: { subscriptionId: id, previousUntil: previousUntil.toISOString() },
    })
    return { signingSecret, previousUntil }
  })
}

/**
 * A rotation of a secret that is no longer the one its page showed. Sent twice by the same administrator (a double
 * click: the browser shows only the second answer), it shows the secret the first made, which no one has seen;
 * rotating again would end the grace of the secret the receiver holds, and every delivery would be refused. After
 * anyone else's change, or later, it is refused: the page is read again.
 */
async function rotatedAlready(deps: WebhooksDeps, trx: Db, actor: Actor, id: string) {
  const current = await store.currentSecret(trx, id)
  if (!current) throw new NotFound()
  const { signingSecret, previousUntil, changedAt, changedBy } = current
  const moments = deps.clock.now().getTime() - changedAt.getTime()
  if (changedBy !== actor.id || previousUntil === null || moments > SENT_TWICE_WITHIN_MS) throw new Conflict()
  return { signingSecret, previousUntil }
}

/** A subscription that hears of a prison the administrator works in; any other is not found, as one that does not exist. */
async function subscriptionSeen(deps: WebhooksDeps, actor: Actor, id: string) {
  const subscription = isUuid(id) ? await store.findSubscription(deps.db, id) : undefined
  if (!subscription || !maySeeSubscriber(subscription.establishmentCodes, actor.establishmentCodes))
    throw new NotFound()
  return subscription
}

/** A subscription as its pages show it: its prisons by name, those the administrator does not work in, whether theirs to run. */
async function describedSubscription(deps: WebhooksDeps, actor: Actor, id: string) {
  const { db, clock } = deps
  const subscription = await subscriptionSeen(deps, actor, id)
  const named = new Map(
    (await store.establishmentsNamed(db, subscription.establishmentCodes)).map((prison) => [prison.code, prison.name]),
  )
  // Each with how the pages name it in a list of prisons (joined as text, so a name's '&' is escaped once).
  const prisons = subscription.establishmentCodes.map((code) => {
    const name = named.get(code) ?? code
    return { code, name, label: `${name} (${code})` }
  })
  const { previousSecretUntil, ...shown } = subscription
  // While a rotated secret's grace lasts, deliveries carry both signatures; the page says until when.
  const oldSecretSignsUntil = previousSecretUntil && previousSecretUntil > clock.now() ? previousSecretUntil : null
  return {
    subscription: { ...shown, prisons, oldSecretSignsUntil, rotatedUntil: previousSecretUntil?.toISOString() ?? '' },
    mayRun: mayRunSubscriber(subscription.establishmentCodes, actor.establishmentCodes),
    prisonsNotYours: prisons.filter((prison) => !actor.establishmentCodes.includes(prison.code)),
  }
}

/**
 * A subscription and its delivery log of the events at the administrator's prisons, newest first, with how many
 * failed; or, asked for, only those that failed, however old (a failed one past the latest 100 could not be sent
 * again from the page, and held that person's later events). One that hears of no prison the administrator works
 * in is not found, as one that does not exist.
 */
export async function viewSubscription(
  deps: WebhooksDeps,
  actor: Actor,
  id: string,
  { onlyFailed = false, page: asked }: { onlyFailed?: boolean } & PageAsked = {},
) {
  const described = await describedSubscription(deps, actor, id)
  const failedCount = await store.countFailed(deps.db, id, actor.establishmentCodes)
  // The log: its latest 100. The failed deliveries: every one, 100 to a page, by the count the page gives anyway
  // (a count over the whole log in the statement that reads it would read the whole log for its latest 100).
  const { page, pageCount, offset } = pageOf(onlyFailed ? failedCount : 0, onlyFailed ? asked : undefined, LOG_LENGTH)
  const deliveries = await store.deliveryLog(
    deps.db,
    id,
    actor.establishmentCodes,
    { size: LOG_LENGTH, offset },
    onlyFailed,
  )
  // Named by prison where they are of more than one (a prison the subscriber no longer hears of, too).
  const byPrison = new Set(deliveries.map((delivery) => delivery.establishmentCode)).size > 1
  return {
    ...described,
    deliveries,
    byPrison,
    onlyFailed,
    failedCount,
    page,
    pageCount,
  }
}

/** A subscription this administrator may run (see `mayRunSubscriber`): refused with a 403 when they may only see it. */
async function subscriptionToRun(deps: WebhooksDeps, actor: Actor, id: string) {
  const subscription = await subscriptionSeen(deps, actor, id)
  if (!mayRunSubscriber(subscription.establishmentCodes, actor.establishmentCodes)) throw new Forbidden()
}

/**
 * What the page that changes a subscriber's events and prisons offers this administrator: the prisons they
 * work in to choose from, those it hears of that they do not (kept, shown by name), and whether its events are
 * theirs to change.
 */
export async function subscriptionChoices(deps: WebhooksDeps, actor: Actor, id: string) {
  const { subscription, mayRun, prisonsNotYours } = await describedSubscription(deps, actor, id)
  return {
    subscription,
    prisons: await prisonChoices(deps, actor),
    keptPrisons: prisonsNotYours,
    mayChangeEvents: mayRun,
  }
}

/**
 * Changes the events a subscriber asks for and the prisons it hears of, checked as when it is added: each
 * prison chosen one the administrator works in, and at least one. Those it hears of that they do not work in
 * stay. Events published from then on go by the change; deliveries already queued go as they are. The address
 * and the secret stay, and so does the delivery log. Audited by codes; nothing is written when nothing changed.
 */
export async function changeSubscription(
  deps: WebhooksDeps,
  actor: Actor,
  id: string,
  input: { eventTypes: string[]; establishmentCodes: string[] },
): Promise<'changed' | 'unchanged' | readonly Refusal[]> {
  const { db, clock, audit } = deps
  if (!isUuid(id)) throw new NotFound()
  return db.transaction().execute(async (trx) => {
    const current = await store.findSubscriptionForChange(trx, id)
    const yours = actor.establishmentCodes
    if (!current || !maySeeSubscriber(current.establishmentCodes, yours)) throw new NotFound()
    const prisons = prisonsAfterChange(current.establishmentCodes, input.establishmentCodes, yours)
    const refusals = [
      eventTypesChangeRefusal(input.eventTypes, current.establishmentCodes, yours),
      'messageKey' in prisons ? prisons : null,
    ].filter((refusal) => refusal !== null)
    if (refusals.length > 0 || 'messageKey' in prisons) return refusals
    const eventTypes = mayRunSubscriber(current.establishmentCodes, yours)
      ? domainEventTypes.filter((type) => input.eventTypes.includes(type))
      : current.eventTypes
    const { establishmentCodes } = prisons
    const same = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && a.every((one) => b.includes(one))
    if (same(eventTypes, current.eventTypes) && same(establishmentCodes, current.establishmentCodes)) return 'unchanged'
    await store.changeSubscription(trx, id, { eventTypes, establishmentCodes, at: clock.now(), by: actor.id })
    await audit.record(trx, actor, {
      action: 'webhooks.subscription-changed',
      details: {
        subscriptionId: id,
        eventTypes: eventTypes.join(' '),
        establishmentCodes: establishmentCodes.join(' '),
        prisonsAdded: establishmentCodes.filter((code) => !current.establishmentCodes.includes(code)).join(' '),
        prisonsRemoved: current.establishmentCodes.filter((code) => !establishmentCodes.includes(code)).join(' '),
      },
    })
    return 'changed'
  })
}

/**
 * Stops or starts sending to a subscriber. Stopped, its events still queue and wait; started again, they go
 * in order from where they stopped. Answers whether anything changed.
 */
export async function setEnabled(deps: WebhooksDeps, actor: Actor, id: string, enabled: boolean): Promise<boolean> {
  const { db, clock, audit, jobs } = deps
  await subscriptionToRun(deps, actor, id)
  return db.transaction().execute(async (trx) => {
    const changed = await store.setEnabled(trx, id, enabled, clock.now(), actor.id)
    if (!changed) return false
    await audit.record(trx, actor, {
      action: enabled ? 'webhooks.subscription-enabled' : 'webhooks.subscription-disabled',
      details: { subscriptionId: id },
    })
    if (enabled) await jobs.enqueue(trx, DELIVER_QUEUE)
    return true
  })
}

/**
 * Sends a failed or delivered event at one of the administrator's prisons again, from its first attempt, before
 * the person's later ones. One of another prison's events is not found, as one that does not exist; one still
 * waiting to go is left as it is.
 */
export async function replayDelivery(
  deps: WebhooksDeps,
  actor: Actor,
  subscriptionId: string,
  deliveryId: number,
): Promise<boolean> {
  const { db, clock, audit, jobs } = deps
  await subscriptionSeen(deps, actor, subscriptionId)
  return db.transaction().execute(async (trx) => {
    const outcome = await store.replay(trx, subscriptionId, deliveryId, actor.establishmentCodes, clock.now())
    if (outcome === 'not-found') throw new NotFound()
    if (outcome === 'pending') return false
    // Filed where the event happened and under whom it was of: that prison's trail, and the person's.
    await audit.record(trx, actor, {
      action: 'webhooks.delivery-replayed',
      personId: outcome.personId,
      establishmentCode: outcome.establishmentCode ?? undefined,
      details: { subscriptionId, deliveryId },
    })
    await jobs.enqueue(trx, DELIVER_QUEUE)
    return true
  })
}
