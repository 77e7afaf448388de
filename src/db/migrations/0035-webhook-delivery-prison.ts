import { sql, type Kysely } from 'kysely'

/**
 * A delivery records the prison its event happened at, so an administrator of one of a shared subscriber's prisons
 * sees and sends again the deliveries of their own prison's events, and not another's. Those already queued take
 * it from their event. One whose event cannot be found stays without a prison, shown only to an administrator who
 * works in every prison its subscriber hears of.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table webhook_delivery add column establishment_code text references establishment (code);
    update webhook_delivery d set establishment_code = o.establishment_code
      from event_outbox o where o.id = d.event_id;
  `.execute(db)
}
