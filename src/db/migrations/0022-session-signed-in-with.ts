import { sql, type Kysely } from 'kysely'

/**
 * Issue 13: a staff session says how it began, Waymark's own password or the prison's identity provider,
 * so that signing out of one begun at the provider also asks the provider to end its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table web_session
      add column signed_in_with text not null default 'password' check (signed_in_with in ('password', 'oidc'))
  `.execute(db)
}
