import { sql, type Kysely } from 'kysely'

/**
 * Events between areas (issue 12): a row written in the same transaction as the change it reports, then
 * handed by the job queue to each area that listens, once each, with retries. The payload holds ids only;
 * who made the change is kept beside it for the listeners' audit entries, never in the payload.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table event_outbox (
      id bigserial primary key,
      type text not null,
      establishment_code text references establishment (code),
      payload jsonb not null,
      actor_id uuid,
      actor_username text not null,
      occurred_at timestamptz not null
    );
    create index event_outbox_type_occurred_at on event_outbox (type, occurred_at);
  `.execute(db)
}
