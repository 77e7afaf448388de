import { after, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { openPGlite } from '../database.ts'
import { emptyTemplate, newTestPGlite } from '../../../test/support/database.ts'
import { migrateToLatest, migrateUpTo } from '../migrate.ts'

/** Deliveries queued before they recorded their prison take it from their event, so each prison sees its own. */
const database = openPGlite(await newTestPGlite(emptyTemplate()))
after(() => database.close())

it('gives each delivery already queued the prison of its event, and none to one whose event had none or is gone', async () => {
  const { db } = database
  await migrateUpTo(db, '0034-webhook-prisons')
  // Who added the subscriber and whom the events are of do not matter here: their rows are not made.
  await sql`
    set session_replication_role = replica;
    insert into establishment (code, name, function) values ('NGI', 'HMP Northgate', 'reception'), ('SWI', 'HMP Swansea', 'reception');
    insert into event_outbox (id, type, establishment_code, payload, actor_username, occurred_at) values
      (1, 'concern.raised', 'NGI', '{}', 'officer', now()), (2, 'concern.raised', 'SWI', '{}', 'officer', now()),
      (3, 'concern.raised', null, '{}', 'officer', now());
    insert into webhook_subscription (id, url, event_types, signing_secret, created_at, created_by, changed_at, changed_by)
      values ('7b0c4a7e-9f6e-4d43-8d0a-1f4a2b3c4d5e', 'https://receiver.example.org/events', '{waymark.concern.raised}', 's', now(), gen_random_uuid(), now(), gen_random_uuid());
    insert into webhook_delivery (subscription_id, event_id, position, event_key, event_type, person_id, body, next_attempt_at, created_at)
      select '7b0c4a7e-9f6e-4d43-8d0a-1f4a2b3c4d5e', id, 0, 'key-' || id, 'waymark.concern.raised', gen_random_uuid(), '{}', now(), now()
      from generate_series(1, 4) id;
    set session_replication_role = origin;
  `.execute(db)
  await migrateToLatest(db)
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['event_id as eventId', 'establishment_code as establishmentCode'])
    .orderBy('event_id')
    .execute()
  assert.deepEqual(rows, [
    { eventId: 1, establishmentCode: 'NGI' },
    { eventId: 2, establishmentCode: 'SWI' },
    { eventId: 3, establishmentCode: null },
    { eventId: 4, establishmentCode: null },
  ])
})
