import { sql, type Kysely } from 'kysely'

/**
 * Issue 15: events out. An administrator registers a subscriber's address and the event types it wants;
 * Waymark signs each delivery with the subscription's secret, made here and shown once. A delivery is one
 * domain event for one subscription, tried until it is delivered: the log the administrators read, and the
 * queue itself, held in order per person (a later event for someone waits for the earlier one). The body
 * holds ids, codes and dates only, as the event outbox does. A delivered one is kept a month for the log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_subscription (
      id uuid primary key default gen_random_uuid(),
      url text not null,
      event_types text[] not null,
      signing_secret text not null,
      enabled boolean not null default true,
      created_at timestamptz not null,
      created_by uuid not null references staff_user (id),
      changed_at timestamptz not null,
      changed_by uuid not null references staff_user (id)
    );
    create table webhook_delivery (
      id bigserial primary key,
      subscription_id uuid not null references webhook_subscription (id),
      -- The outbox event it came from; not a foreign key, so the outbox can be pruned on its own terms.
      event_id bigint not null,
      -- Its place among the domain events that outbox event became: with the event's id, its place in line.
      position smallint not null,
      -- The domain event's own id, the same for every subscriber and every attempt, so a receiver can drop
      -- a repeat: deliveries are at least once.
      event_key text not null,
      event_type text not null,
      person_id uuid not null references person (id),
      body jsonb not null,
      state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      locked_until timestamptz,
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null,
      unique (subscription_id, event_key)
    );
    create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'pending';
    create index webhook_delivery_lane on webhook_delivery (subscription_id, person_id, event_id, position)
      where state <> 'delivered';
    create index webhook_delivery_log on webhook_delivery (subscription_id, event_id desc, position desc);
  `.execute(db)
}
