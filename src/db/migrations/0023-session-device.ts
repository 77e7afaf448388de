import { sql, type Kysely } from 'kysely'

/**
 * Issue 13: a member of staff sees their own sessions and can end one (a PC left signed in on the wing). A
 * session gets an id to name it by (never its token) and the device it began on, in words.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table web_session
      add column id uuid not null default gen_random_uuid(),
      add column device text not null default '';
    create unique index web_session_id on web_session (id);
  `.execute(db)
}
