import { sql, type Kysely } from 'kysely'

/**
 * Issue 5: who is responsible for each person at every point of their journey; dedicated officers and
 * their key work; progress meetings and check-ins; staff and partner organisations, training,
 * supervision and peer supporters. One migration so the areas that share these tables meet one schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createStaffTables(db)
  await createKeyworkAndJourneyTables(db)
}

/** Staff, partners and each prison's settings. */
async function createStaffTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Staff and partners (P1-P4)
    create table organisation (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      kind text not null check (kind in ('prison-service', 'charity', 'provider', 'health', 'lived-experience')),
      services text not null default ''
    );

    alter table staff_user
      add column organisation_id uuid references organisation (id),
      add column staff_status text not null default 'active'
        check (staff_status in ('active', 'annual-leave', 'long-term-absence', 'no-prisoner-contact', 'inactive')),
      add column reactivation_on date,
      add column caseload_limit integer check (caseload_limit between 0 and 30);

    create table training_record (
      id uuid primary key default gen_random_uuid(),
      staff_user_id uuid not null references staff_user (id),
      course text not null check (course in (
        'mental-health-first-aid', 'trauma-informed', 'acct-assessor', 'acct-case-manager',
        'health-and-social-care', 'safeguarding')),
      completed_on date not null,
      expires_on date,
      is_joint boolean not null default false,
      recorded_by uuid references staff_user (id),
      recorded_at timestamptz not null,
      check (expires_on is null or expires_on >= completed_on)
    );
    create index training_record_staff on training_record (staff_user_id, course, expires_on);

    create table staff_supervision (
      id uuid primary key default gen_random_uuid(),
      staff_user_id uuid not null references staff_user (id),
      held_on date not null,
      kind text not null check (kind in ('line-management', 'reflective-practice', 'external-clinical')),
      supervisor text not null,
      recorded_by uuid references staff_user (id),
      recorded_at timestamptz not null
    );
    create index staff_supervision_staff on staff_supervision (staff_user_id, held_on);

    create table peer_supporter (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      scheme text not null check (scheme in ('listener', 'insider', 'peer-mentor', 'lived-experience-worker')),
      wing_id integer references wing (id),
      started_on date not null,
      ended_on date,
      recorded_by uuid references staff_user (id)
    );
    create index peer_supporter_person on peer_supporter (person_id);

    -- Settings per prison (K1, J2): caseload sizes, key work frequency, the first-contact threshold
    create table keywork_policy (
      establishment_code text primary key references establishment (code),
      officer_label text not null default 'key worker',
      caseload_default integer not null default 6 check (caseload_default between 1 and 30),
      caseload_extended integer not null default 9 check (caseload_extended between 1 and 30),
      session_interval_days integer not null default 7 check (session_interval_days between 1 and 90),
      first_contact_days integer not null default 7 check (first_contact_days between 1 and 60),
      handover_chase_days integer not null default 2 check (handover_chase_days between 1 and 30)
    );
  `.execute(db)
}

/** Dedicated officers, key work and the journey. */
async function createKeyworkAndJourneyTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Dedicated officers (K1-K3)
    alter table person add column needs_specialist_allocation boolean not null default false;

    create table dedicated_officer_allocation (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      staff_user_id uuid not null references staff_user (id),
      allocated_at timestamptz not null,
      allocated_by uuid references staff_user (id),
      allocation_kind text not null check (allocation_kind in ('manual', 'recommended', 'specialist')),
      ended_at timestamptz,
      ended_by uuid references staff_user (id),
      end_reason text check (end_reason in ('transfer', 'release', 'officer-unavailable', 'change-requested', 'other')),
      check ((ended_at is null) = (end_reason is null))
    );
    create unique index dedicated_officer_allocation_current on dedicated_officer_allocation (person_id) where ended_at is null;
    create index dedicated_officer_allocation_officer on dedicated_officer_allocation (staff_user_id) where ended_at is null;

    -- K2: seen by the safer custody lead, never by the officer it is about
    create table officer_change_request (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      about_staff_user_id uuid not null references staff_user (id),
      reason text not null,
      raised_at timestamptz not null,
      raised_by uuid references staff_user (id),
      status text not null default 'pending' check (status in ('pending', 'agreed', 'declined')),
      outcome_reason text,
      decided_at timestamptz,
      decided_by uuid references staff_user (id)
    );
    create index officer_change_request_person on officer_change_request (person_id);

    create table key_work_session (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      staff_user_id uuid not null references staff_user (id),
      held_on date not null,
      minutes integer not null check (minutes between 1 and 480),
      did_not_happen_reason text,
      recorded_at timestamptz not null
    );
    create index key_work_session_person on key_work_session (person_id, held_on);

    -- K4
    create table progress_meeting (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      held_on date not null,
      attendees jsonb not null default '[]'::jsonb,
      recorded_by uuid references staff_user (id),
      recorded_at timestamptz not null
    );
    create index progress_meeting_person on progress_meeting (person_id, held_on);

    -- A short structured check-in, from a key work session or a progress meeting (1 = very low, 5 = good)
    create table check_in (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      key_work_session_id uuid references key_work_session (id),
      progress_meeting_id uuid references progress_meeting (id),
      recorded_on date not null,
      mood integer not null check (mood between 1 and 5),
      sleep integer not null check (sleep between 1 and 5),
      family_contact integer not null check (family_contact between 1 and 5),
      worries integer not null check (worries between 1 and 5),
      notes text not null default '',
      recorded_by uuid references staff_user (id),
      recorded_at timestamptz not null,
      check ((key_work_session_id is null) <> (progress_meeting_id is null))
    );
    create index check_in_person on check_in (person_id, recorded_on);

    -- Journey and responsibility (J1-J4)
    create table journey_stage (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      establishment_code text not null references establishment (code),
      stage text not null check (stage in ('reception', 'first-night', 'induction', 'residential', 'transfer-out', 'transfer-in', 'release')),
      responsible_staff_user_id uuid references staff_user (id),
      started_at timestamptz not null,
      ended_at timestamptz,
      reason text not null default '',
      recorded_by uuid references staff_user (id)
    );
    create unique index journey_stage_current on journey_stage (person_id) where ended_at is null;
    create index journey_stage_person on journey_stage (person_id, started_at);

    create table handover (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      from_establishment_code text not null references establishment (code),
      to_establishment_code text not null references establishment (code),
      kind text not null check (kind in ('transfer', 'youth-to-adult')),
      summary jsonb not null,
      persons_wishes text not null default '',
      created_at timestamptz not null,
      created_by uuid references staff_user (id),
      acknowledged_at timestamptz,
      acknowledged_by uuid references staff_user (id),
      refused_at timestamptz,
      refusal_reason text,
      last_chased_at timestamptz
    );
    create index handover_to on handover (to_establishment_code) where acknowledged_at is null;
  `.execute(db)
}
