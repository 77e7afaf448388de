import { sql, type Kysely } from 'kysely'

/**
 * A worry from family or friends that no one has matched by the time the prison gives a concern of its urgency is
 * escalated, once: when, is kept with it, so a second worker finds it taken and the page can say so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table family_worry add column escalated_at timestamptz;
    create index family_worry_to_match on family_worry (received_at)
      where person_id is null and malicious_at is null and escalated_at is null and not held_back;
  `.execute(db)
}
