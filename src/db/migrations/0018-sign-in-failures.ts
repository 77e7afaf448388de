import { sql, type Kysely } from 'kysely'

/**
 * Failed sign-ins by username, so every web process slows the same guesses: an attacker who spreads them over
 * many processes or many addresses still meets the delay the username has earned. A row is written before the
 * password is checked and removed when it proves right, so guesses still being answered count as well.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_failure (
      id bigserial primary key,
      account_kind text not null check (account_kind in ('staff', 'person')),
      username text not null,
      attempted_at timestamptz not null
    );
    create index sign_in_failure_username on sign_in_failure (account_kind, username, attempted_at);
    create index sign_in_failure_attempted_at on sign_in_failure (attempted_at);
  `.execute(db)
}
