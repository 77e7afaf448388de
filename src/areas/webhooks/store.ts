/** Issue 15: the subscriptions and their deliveries, written here alone. */
import { sql } from 'kysely'
import type { Page } from '../../platform/pagination.ts'
import type { Db } from '../../db/database.ts'
import type { WebhookDeliveryState } from '../../db/schema.ts'

/**
 * A subscriber this administrator added since an instant, still sending, with the same address, events and
 * prisons, and its secret: the same form sent twice (a double click) finds the first.
 */
export async function justAddedBy(
  db: Db,
  by: string,
  added: { url: string; eventTypes: readonly string[]; establishmentCodes: readonly string[] },
  since: Date,
) {
  const rows = await db
    .selectFrom('webhook_subscription as s')
    .select([
      's.id',
      's.signing_secret as signingSecret',
      's.event_types as eventTypes',
      prisonsOf.as('establishmentCodes'),
    ])
    .where('s.created_by', '=', by)
    .where('s.url', '=', added.url)
    .where('s.enabled', '=', true)
    .where('s.created_at', '>=', since)
    .orderBy('s.created_at')
    .execute()
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join(' ') === [...b].sort().join(' ')
  const first = rows.find(
    (row) => same(row.eventTypes, added.eventTypes) && same(row.establishmentCodes, added.establishmentCodes),
  )
  return first && { id: first.id, signingSecret: first.signingSecret }
}

export async function insertSubscription(
  db: Db,
  values: {
    url: string
    eventTypes: string[]
    establishmentCodes: readonly string[]
    signingSecret: string
    at: Date
    by: string
  },
): Promise<string> {
  const { id } = await db
    .insertInto('webhook_subscription')
    .values({
      url: values.url,
      event_types: values.eventTypes,
      signing_secret: values.signingSecret,
      created_at: values.at,
      created_by: values.by,
      changed_at: values.at,
      changed_by: values.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('webhook_subscription_prison')
    .values(values.establishmentCodes.map((code) => ({ subscription_id: id, establishment_code: code })))
    .execute()
  return id
}

/** The prisons a subscriber hears of, by code, in order. */
const prisonsOf = sql<string[]>`coalesce((
  select array_agg(p.establishment_code order by p.establishment_code)
  from webhook_subscription_prison p where p.subscription_id = s.id
), '{}')`

/** The prisons an administrator may choose from, with their names, in the order of their names. */
export async function establishmentsNamed(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom('establishment').select(['code', 'name']).where('code', 'in', codes).orderBy('name').execute()
}

/** The subscriptions, newest first, with how their deliveries stand; never the secret. */
/** What a page shows of every subscriber. */
const subscriptionColumns = [
  's.id',
  's.url',
  's.event_types as eventTypes',
  's.enabled',
  's.created_at as createdAt',
] as const

/** Whether the subscription `s` hears of any of these prisons. */
const hearsOfAnyOf = (establishmentCodes: readonly string[]) =>
  sql<boolean>`exists (select 1 from webhook_subscription_prison p where p.subscription_id = s.id and p.establishment_code = any(${sql.val(establishmentCodes)}::text[]))`

/**
 * Whether the delivery `d` is for an administrator of these prisons to see and send again: its event happened at
 * one of them. One that records no prison (queued before deliveries did, its event gone) is for an administrator
 * who works in every prison its subscriber hears of, as `mayRunSubscriber` says.
 */
const deliveryAtAnyOf = (establishmentCodes: readonly string[], delivery: 'd' | 'earlier' = 'd') => {
  const codes = sql.val(establishmentCodes)
  const d = sql.table(delivery)
  return sql<boolean>`(${d}.establishment_code = any(${codes}::text[]) or (${d}.establishment_code is null and not exists (
    select 1 from webhook_subscription_prison p
    where p.subscription_id = ${d}.subscription_id and p.establishment_code <> all(${codes}::text[]))))`
}

/**
 * The subscriptions that hear of any of these prisons, with the deliveries of events at these prisons counted by
 * state.
 */
export async function listSubscriptions(db: Db, establishmentCodes: readonly string[]) {
  if (establishmentCodes.length === 0) return []
  const count = (state: WebhookDeliveryState) => sql<number>`count(d.id) filter (where d.state = ${state})::int`
  return db
    .selectFrom('webhook_subscription as s')
    .leftJoin('webhook_delivery as d', (join) =>
      join.onRef('d.subscription_id', '=', 's.id').on(deliveryAtAnyOf(establishmentCodes)),
    )
    .where(hearsOfAnyOf(establishmentCodes))
    .select([
      ...subscriptionColumns,
      prisonsOf.as('establishmentCodes'),
      count('pending').as('pending'),
      count('failed').as('failed'),
      count('delivered').as('delivered'),
    ])
    .groupBy('s.id')
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .execute()
}

export async function findSubscription(db: Db, id: string) {
  return db
    .selectFrom('webhook_subscription as s')
    .select([
      ...subscriptionColumns,
      's.previous_secret_until as previousSecretUntil',
      prisonsOf.as('establishmentCodes'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst()
}

export async function setEnabled(db: Db, id: string, enabled: boolean, at: Date, by: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_subscription')
    .set({ enabled, changed_at: at, changed_by: by })
    .where('id', '=', id)
    .where('enabled', '=', !enabled)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * A subscription's events and prisons as they stand, held until the transaction ends so no change is lost. Locked
 * first and read after, in a statement of its own: a statement that waits for the lock reads its prisons as they
 * were when it began, so another administrator's change saved meanwhile would be undone.
 */
export async function findSubscriptionForChange(db: Db, id: string) {
  await db.selectFrom('webhook_subscription').select('id').where('id', '=', id).forUpdate().execute()
  return db
    .selectFrom('webhook_subscription as s')
    .select(['s.id', 's.event_types as eventTypes', prisonsOf.as('establishmentCodes')])
    .where('s.id', '=', id)
    .executeTakeFirst()
}

/**
 * Puts a subscription's events and prisons in place. The rows of prisons it still hears of stay as they are;
 * those it no longer hears of go, and new ones come.
 */
export async function changeSubscription(
  db: Db,
  id: string,
  values: { eventTypes: readonly string[]; establishmentCodes: readonly string[]; at: Date; by: string },
): Promise<void> {
  await db
    .updateTable('webhook_subscription')
    .set({ event_types: [...values.eventTypes], changed_at: values.at, changed_by: values.by })
    .where('id', '=', id)
    .execute()
  await db
    .deleteFrom('webhook_subscription_prison')
    .where('subscription_id', '=', id)
    .where('establishment_code', 'not in', values.establishmentCodes)
    .execute()
  await db
    .insertInto('webhook_subscription_prison')
    .values(values.establishmentCodes.map((code) => ({ subscription_id: id, establishment_code: code })))
    .onConflict((conflict) => conflict.columns(['subscription_id', 'establishment_code']).doNothing())
    .execute()
}

/** The enabled subscriptions that asked for any of these event types and hear of the prison the event happened at. */
export async function subscribersTo(db: Db, eventTypes: readonly string[], establishmentCode: string) {
  return db
    .selectFrom('webhook_subscription as s')
    .select(['s.id', 's.event_types as eventTypes', 's.created_at as createdAt'])
    .where('s.enabled', '=', true)
    .where(sql<boolean>`s.event_types && ${sql.val(eventTypes)}::text[]`)
    .where(hearsOfAnyOf([establishmentCode]))
    .orderBy('s.created_at')
    .execute()
}

/**
 * Puts a new secret in place and keeps the one it replaces signing beside it until `previousUntil`. A secret
 * still in its grace from an earlier rotation is dropped: two signatures at most.
 */
export async function rotateSecret(
  db: Db,
  id: string,
  values: { signingSecret: string; previousUntil: Date; at: Date; by: string; from: Date | null },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_subscription')
    .set((eb) => ({
      previous_signing_secret: eb.ref('signing_secret'),
      previous_secret_until: values.previousUntil,
      signing_secret: values.signingSecret,
      changed_at: values.at,
      changed_by: values.by,
    }))
    .where('id', '=', id)
    // Only the secret the page was drawn with (`from`, its last rotation's grace, none before the first).
    .where(sql<boolean>`previous_secret_until is not distinct from ${values.from}`)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The secret signing now, and who last changed the subscription and when: for a rotation sent twice. */
export async function currentSecret(db: Db, id: string) {
  return db
    .selectFrom('webhook_subscription')
    .select([
      'signing_secret as signingSecret',
      'previous_secret_until as previousUntil',
      'changed_at as changedAt',
      'changed_by as changedBy',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Queues deliveries. A delivery already queued for the subscription and the event (a listener tried again
 * after it had queued some) is left as it is, so each event goes to each subscriber once.
 */
export async function insertDeliveries(
  db: Db,
  rows: readonly {
    subscriptionId: string
    eventId: number
    eventKey: string
    position: number
    eventType: string
    personId: string
    establishmentCode: string
    body: unknown
    at: Date
  }[],
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('webhook_delivery')
    .values(
      rows.map((row) => ({
        subscription_id: row.subscriptionId,
        event_id: row.eventId,
        event_key: row.eventKey,
        position: row.position,
        event_type: row.eventType,
        person_id: row.personId,
        establishment_code: row.establishmentCode,
        body: JSON.stringify(row.body),
        next_attempt_at: row.at,
        created_at: row.at,
      })),
    )
    .onConflict((conflict) => conflict.columns(['subscription_id', 'event_key']).doNothing())
    .execute()
}

/**
 * Deliveries due now to enabled subscribers, not held by a worker, oldest first; each only if every earlier
 * delivery for the same person to the same subscriber is delivered (in order per person). Earlier is by the
 * outbox event and the place in it, not by when the delivery was queued: an event whose listener was tried
 * again after a later one's still goes first, if the later one is still waiting. One that failed for
 * good holds the person's later ones until it is replayed, so a subscriber never hears of a closing before the
 * opening it follows. Held deliveries are left out here, not after, so a subscriber whose every person is held
 * never keeps another's due deliveries from their turn.
 */
export async function dueDeliveries(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('webhook_delivery as d')
    .innerJoin('webhook_subscription as s', 's.id', 'd.subscription_id')
    .select('d.id')
    .where('s.enabled', '=', true)
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_delivery as earlier')
            .select('earlier.id')
            .whereRef('earlier.subscription_id', '=', 'd.subscription_id')
            .whereRef('earlier.person_id', '=', 'd.person_id')
            .where(sql<boolean>`(earlier.event_id, earlier.position) < (d.event_id, d.position)`)
            .where('earlier.state', '<>', 'delivered'),
        ),
      ),
    )
    .orderBy('d.event_id')
    .orderBy('d.position')
    .limit(limit)
    .execute()
}

/**
 * Takes a delivery for one attempt: held by this worker until `until`, so no other sends it meanwhile. None
 * if another worker took it first. A worker that dies holding it lets it go when `until` passes.
 */
export async function claimDelivery(db: Db, id: number, now: Date, until: Date) {
  return db
    .updateTable('webhook_delivery as d')
    .from('webhook_subscription as s')
    .set((eb) => ({ locked_until: until, attempts: eb('d.attempts', '+', 1), last_attempt_at: now }))
    .whereRef('s.id', '=', 'd.subscription_id')
    .where('d.id', '=', id)
    .where('d.state', '=', 'pending')
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
    .returning([
      'd.id',
      'd.attempts',
      'd.body',
      'd.event_key as eventKey',
      'd.event_type as eventType',
      's.url',
      's.signing_secret as signingSecret',
      's.previous_signing_secret as previousSigningSecret',
      's.previous_secret_until as previousSecretUntil',
    ])
    .executeTakeFirst()
}

/**
 * What an attempt came to, recorded only while the worker still holds the delivery (`heldUntil`, as claimed): a
 * worker held up past its lease, whose delivery another has since sent, must not put it back as pending.
 */
export async function recordAttempt(
  db: Db,
  id: number,
  heldUntil: Date,
  outcome: {
    state: WebhookDeliveryState
    status: number | null
    error: string | null
    nextAttemptAt?: Date
    deliveredAt?: Date
  },
) {
  const result = await db
    .updateTable('webhook_delivery')
    .set({
      state: outcome.state,
      last_status: outcome.status,
      last_error: outcome.error,
      locked_until: null,
      ...(outcome.nextAttemptAt && { next_attempt_at: outcome.nextAttemptAt }),
      ...(outcome.deliveredAt && { delivered_at: outcome.deliveredAt }),
    })
    .where('id', '=', id)
    .where('locked_until', '=', heldUntil)
    .executeTakeFirst()
  return (result.numUpdatedRows ?? 0n) > 0n
}

/**
 * A page of the delivery log of a subscription, newest first, of the events at these prisons: what was tried and
 * how it went, and the prison, never the body. With `onlyFailed`, the
 * deliveries that failed, oldest first: those that have held a person's later events the longest.
 */
export async function deliveryLog(
  db: Db,
  subscriptionId: string,
  establishmentCodes: readonly string[],
  page: Page,
  onlyFailed = false,
) {
  const order = onlyFailed ? 'asc' : 'desc'
  return db
    .selectFrom('webhook_delivery as d')
    .$if(onlyFailed, (query) => query.where('d.state', '=', 'failed'))
    .leftJoin('establishment as e', 'e.code', 'd.establishment_code')
    .select([
      'd.id',
      'd.event_key as eventKey',
      'd.event_type as eventType',
      'd.establishment_code as establishmentCode',
      'e.name as establishmentName',
      'd.state',
      'd.attempts',
      'd.last_attempt_at as lastAttemptAt',
      'd.last_status as lastStatus',
      'd.last_error as lastError',
      'd.next_attempt_at as nextAttemptAt',
      'd.delivered_at as deliveredAt',
      'd.created_at as createdAt',
    ])
    .select((eb) =>
      // Each person's deliveries go in order, whatever their prison: one waiting behind another prison's that has
      // not gone is said to be held, without saying what holds it.
      eb
        .exists(
          eb
            .selectFrom('webhook_delivery as earlier')
            .select('earlier.id')
            .whereRef('earlier.subscription_id', '=', 'd.subscription_id')
            .whereRef('earlier.person_id', '=', 'd.person_id')
            .where(sql<boolean>`(earlier.event_id, earlier.position) < (d.event_id, d.position)`)
            .where('earlier.state', '<>', 'delivered')
            .where(sql<boolean>`not ${deliveryAtAnyOf(establishmentCodes, 'earlier')}`),
        )
        .as('heldByAnotherPrison'),
    )
    .where('d.subscription_id', '=', subscriptionId)
    .where(deliveryAtAnyOf(establishmentCodes))
    .orderBy('d.event_id', order)
    .orderBy('d.position', order)
    .limit(page.size)
    .offset(page.offset)
    .execute()
}

/** Delivered deliveries sent before `before`: the log keeps a month, the subscriber has the events. */
export async function forgetDelivered(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_delivery')
    .where('state', '=', 'delivered')
    .where('delivered_at', '<', before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * Sends a delivery of an event at these prisons again from its first attempt: a failed one, or one delivered that
 * a receiver lost. Answers what it found: none of theirs by that id, one still waiting to go, or whose and where
 * the one sent again is.
 */
export async function replay(
  db: Db,
  subscriptionId: string,
  deliveryId: number,
  establishmentCodes: readonly string[],
  at: Date,
): Promise<'not-found' | 'pending' | { personId: string; establishmentCode: string | null }> {
  const found = await db
    .selectFrom('webhook_delivery as d')
    .select(['d.state', 'd.person_id as personId', 'd.establishment_code as establishmentCode'])
    .where('d.id', '=', deliveryId)
    .where('d.subscription_id', '=', subscriptionId)
    .where(deliveryAtAnyOf(establishmentCodes))
    .forUpdate()
    .executeTakeFirst()
  if (!found) return 'not-found'
  if (found.state === 'pending') return 'pending'
  await db
    .updateTable('webhook_delivery')
    .set({ state: 'pending', attempts: 0, next_attempt_at: at, locked_until: null, delivered_at: null })
    .where('id', '=', deliveryId)
    .execute()
  return { personId: found.personId, establishmentCode: found.establishmentCode }
}

/** How many of a subscription's deliveries of events at these prisons failed: each holds that person's later events. */
export async function countFailed(db: Db, subscriptionId: string, establishmentCodes: readonly string[]) {
  const row = await db
    .selectFrom('webhook_delivery as d')
    .select(sql<number>`count(*)::int`.as('failed'))
    .where('d.subscription_id', '=', subscriptionId)
    .where('d.state', '=', 'failed')
    .where(deliveryAtAnyOf(establishmentCodes))
    .executeTakeFirstOrThrow()
  return Number(row.failed)
}
