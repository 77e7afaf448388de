import { sql, type Kysely } from 'kysely'

/**
 * Issue 13: a prison administers its own accounts. A one-time password set by an administrator must be
 * changed at the first sign-in; a partner lead may manage the accounts of their own organisation's workers;
 * the account list shows each account's last sign-in, read from the audit trail by an index of sign-ins.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table staff_user
      add column must_change_password boolean not null default false,
      add column manages_organisation_accounts boolean not null default false;
    create index audit_event_sign_in on audit_event (actor_id, occurred_at) where action = 'sign-in.succeeded';
  `.execute(db)
}
