import { sql, type Kysely } from 'kysely'

/**
 * Issue 8, C1: people in custody sign in to a narrow view of their own (an in-cell laptop, a wing kiosk).
 * Their accounts are not staff accounts: a person account belongs to one person, and what they do through
 * it (a worry, a request to change officer, their feedback) is recorded as theirs, not as a member of staff's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_account (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null unique references person (id),
      username text not null unique check (username = lower(username)),
      password_hash text not null,
      is_active boolean not null default true,
      created_at timestamptz not null default now()
    );

    -- A sign-in session is a member of staff's or a person's, never both.
    alter table web_session alter column staff_user_id drop not null;
    alter table web_session add column person_account_id uuid references person_account (id) on delete cascade;
    alter table web_session add constraint web_session_one_owner check (num_nonnulls(staff_user_id, person_account_id) = 1);

    -- S1, C1: a worry a person raises themselves becomes a concern raised by them.
    alter table concern alter column raised_by drop not null;
    alter table concern add column raised_by_person_account_id uuid references person_account (id);
    alter table concern add constraint concern_one_raiser check (num_nonnulls(raised_by, raised_by_person_account_id) = 1);
    create index concern_raised_by_person on concern (raised_by_person_account_id, raised_at)
      where raised_by_person_account_id is not null;

    -- K2, C1: a person asks for a change of officer themselves.
    alter table officer_change_request add column raised_by_person_account_id uuid references person_account (id);

    -- R7, C1: feedback the person gave themselves, not recorded for them by staff.
    alter table activity_feedback add column given_by_person_account_id uuid references person_account (id);
  `.execute(db)
}
