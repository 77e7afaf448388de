import { sql, type Kysely } from 'kysely'

/**
 * Issue 13: staff issue a person in custody their own account, with a printed slip: a one-time code that
 * runs out after 7 days, stored as the account's password hash until the person chooses their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person_account
      add column must_choose_password boolean not null default false,
      add column code_expires_at timestamptz,
      add column issued_at timestamptz,
      add column issued_by uuid references staff_user (id);
  `.execute(db)
}
