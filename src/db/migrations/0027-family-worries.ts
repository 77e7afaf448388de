import { sql, type Kysely } from 'kysely'

/**
 * Issue 14: a family member or friend raises a worry about someone in custody, without an account. The worry
 * is kept as they wrote it, whether or not it names someone at the prison; it becomes a concern once it is
 * matched to a person (at once by the worker, or by hand by safer custody). The family's name and contact
 * stay here, for safer custody only; the concern carries a pointer back, never the contact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table family_worry (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      reference text not null unique,
      follow_up_code_hash text not null,
      received_at timestamptz not null,
      language text not null check (language in ('en', 'cy')),
      person_name text not null,
      date_of_birth date,
      prison_number text,
      what_worries text not null,
      how_soon text not null check (how_soon in ('now', 'today', 'this-week')),
      self_harm_risk boolean not null,
      relationship text not null,
      raiser_name text not null,
      raiser_phone text,
      raiser_email text,
      may_tell_person boolean not null,
      -- A keyed hash of the sender's address, for the per-address limit only: never the address itself.
      address_key text not null,
      -- Filled the field people cannot see: kept and shown to safer custody as held back, never dropped.
      held_back boolean not null default false,
      routed_at timestamptz,
      person_id uuid references person (id),
      concern_id uuid references concern (id),
      matched_at timestamptz,
      matched_by uuid references staff_user (id),
      family_status text not null default 'received'
        check (family_status in ('received', 'being-looked-at', 'acted-on')),
      family_status_at timestamptz not null,
      malicious_at timestamptz,
      malicious_by uuid references staff_user (id),
      malicious_reason text,
      -- Safer custody added the sender to the family contacts of the person's care plan in progress.
      care_plan_linked_at timestamptz,
      check (raiser_phone is not null or raiser_email is not null)
    );
    create index family_worry_prison on family_worry (establishment_code, received_at desc);
    create index family_worry_address on family_worry (address_key, received_at desc);
    create index family_worry_unrouted on family_worry (received_at) where routed_at is null;

    alter table concern add column family_worry_id uuid references family_worry (id);
    -- Every concern still has exactly one raiser: a member of staff, a person in custody, or a family's worry.
    alter table concern drop constraint concern_one_raiser;
    alter table concern add constraint concern_one_raiser
      check (num_nonnulls(raised_by, raised_by_person_account_id, family_worry_id) = 1);

    -- The line families ring at each prison, set by the prison; none until it is set.
    create table family_worry_setting (
      establishment_code text primary key references establishment (code),
      safer_custody_phone text not null
    );

    -- Mail Waymark has to send. In the embedded mode it stays here, and administrators read it on a page.
    create table mail_outbox (
      id uuid primary key default gen_random_uuid(),
      establishment_code text references establishment (code),
      to_address text not null,
      subject text not null,
      body text not null,
      created_at timestamptz not null
    );
    create index mail_outbox_created on mail_outbox (created_at desc);
  `.execute(db)
}
