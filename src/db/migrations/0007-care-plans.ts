import { sql, type Kysely } from 'kysely'

/**
 * Issue 6 (S3-S5): the ACCT-style care plan. A plan is opened from a concern or directly, follows its
 * deadlines (immediate action, assessment interview, first case review), is reviewed on a schedule that
 * each review sets, carries a care map and a supervision level, and ends with a closure review and a
 * post-closure review. Observations are tamper-evident: the table refuses updates and deletes, and a
 * correction is a new row that points at the one it corrects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createCarePlanTables(db)
  await createObservationAlertAndFamilyTables(db)
}

/** Each prison's settings, the plans and their histories. */
async function createCarePlanTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Settings per prison (S3): the ACCT v6 timings are the defaults, so newer guidance needs no code.
    create table care_plan_setting (
      establishment_code text primary key references establishment (code),
      immediate_action_minutes integer not null default 60 check (immediate_action_minutes between 5 and 1440),
      assessment_hours integer not null default 24 check (assessment_hours between 1 and 168),
      first_review_hours integer not null default 24 check (first_review_hours between 1 and 168),
      transfer_review_hours integer not null default 24 check (transfer_review_hours between 1 and 168),
      post_closure_review_days integer not null default 7 check (post_closure_review_days between 1 and 90),
      day_starts_hour integer not null default 8 check (day_starts_hour between 0 and 23),
      night_starts_hour integer not null default 20 check (night_starts_hour between 0 and 23),
      orderly_officer_after_minutes integer not null default 30 check (orderly_officer_after_minutes between 1 and 720),
      risk_low_name text not null default 'low',
      risk_raised_name text not null default 'raised',
      risk_high_name text not null default 'high',
      check (day_starts_hour <> night_starts_hour)
    );

    create table care_plan (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      -- Where the plan is being carried out now: it moves with the person on transfer (J3).
      establishment_code text not null references establishment (code),
      concern_id uuid,
      reason text not null,
      opened_at timestamptz not null,
      opened_by uuid not null references staff_user (id),
      immediate_action_due_at timestamptz not null,
      immediate_action_at timestamptz,
      immediate_action_by uuid references staff_user (id),
      immediate_action text,
      assessment_due_at timestamptz not null,
      assessment_at timestamptz,
      assessor_id uuid references staff_user (id),
      assessment_notes text,
      first_review_due_at timestamptz not null,
      next_review_due_at timestamptz,
      case_manager_id uuid references staff_user (id),
      risk_level text check (risk_level in ('low', 'raised', 'high')),
      observations_per_day integer not null default 0 check (observations_per_day between 0 and 96),
      observations_per_night integer not null default 0 check (observations_per_night between 0 and 96),
      conversations_per_day integer not null default 0 check (conversations_per_day between 0 and 24),
      conversations_per_night integer not null default 0 check (conversations_per_night between 0 and 24),
      supervision_set_at timestamptz,
      triggers text not null default '',
      warning_signs text not null default '',
      closure_expected boolean not null default false,
      -- A trigger (self-harm, bad news, a worrying observation) demands a case review now.
      immediate_review_requested_at timestamptz,
      immediate_review_reason text
        check (immediate_review_reason in ('self-harm', 'significant-event', 'new-information', 'observation', 'request')),
      closed_at timestamptz,
      post_closure_review_due_at timestamptz,
      post_closure_reviewed_at timestamptz,
      received_at timestamptz,
      check ((closed_at is null) = (post_closure_review_due_at is null)),
      check (post_closure_reviewed_at is null or closed_at is not null)
    );
    -- One plan in progress (open or awaiting its post-closure review) per person.
    create unique index care_plan_current on care_plan (person_id) where post_closure_reviewed_at is null;
    create index care_plan_establishment on care_plan (establishment_code) where post_closure_reviewed_at is null;

    -- Each history table keeps its order of entry (seq): two entries can share a minute.
    create table care_plan_review (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      care_plan_id uuid not null references care_plan (id),
      establishment_code text not null references establishment (code),
      kind text not null check (kind in ('first', 'scheduled', 'immediate', 'closure', 'post-closure')),
      held_at timestamptz not null,
      due_at timestamptz,
      chaired_by uuid not null references staff_user (id),
      case_manager_id uuid references staff_user (id),
      risk_level text check (risk_level in ('low', 'raised', 'high')),
      observations_per_day integer,
      observations_per_night integer,
      conversations_per_day integer,
      conversations_per_night integer,
      triggers text not null default '',
      warning_signs text not null default '',
      notes text not null default '',
      immediate_reason text
        check (immediate_reason in ('self-harm', 'significant-event', 'new-information', 'observation', 'request')),
      next_review_due_at timestamptz,
      closure_expected boolean not null default false,
      -- [{ kind: 'person' | 'family' | 'partner' | 'staff', name, organisationId? }]
      attendees jsonb not null default '[]'::jsonb,
      recorded_by uuid not null references staff_user (id),
      recorded_at timestamptz not null
    );
    create index care_plan_review_plan on care_plan_review (care_plan_id, held_at);

    create table care_map_action (
      id uuid primary key default gen_random_uuid(),
      care_plan_id uuid not null references care_plan (id),
      review_id uuid references care_plan_review (id),
      description text not null,
      owner text not null,
      due_on date not null,
      completed_at timestamptz,
      completed_by uuid references staff_user (id),
      created_at timestamptz not null,
      created_by uuid not null references staff_user (id)
    );
    create index care_map_action_plan on care_map_action (care_plan_id);

    create table care_plan_observation (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      care_plan_id uuid not null references care_plan (id),
      establishment_code text not null references establishment (code),
      observed_at timestamptz not null,
      seen text not null,
      was_conversation boolean not null,
      corrects_id uuid references care_plan_observation (id),
      correction_reason text,
      recorded_by uuid not null references staff_user (id),
      recorded_at timestamptz not null,
      check ((corrects_id is null) = (correction_reason is null))
    );
    create index care_plan_observation_plan on care_plan_observation (care_plan_id, observed_at);
    create unique index care_plan_observation_corrected_once on care_plan_observation (corrects_id)
      where corrects_id is not null;

    create function care_plan_observation_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'care_plan_observation is append-only: % is not allowed; record a correction instead', tg_op;
    end;
    $$;
    create trigger care_plan_observation_append_only before update or delete on care_plan_observation
      for each row execute function care_plan_observation_is_append_only();
    create trigger care_plan_observation_no_truncate before truncate on care_plan_observation
      for each statement execute function care_plan_observation_is_append_only();
  `.execute(db)
}

/** Alerts for missed observations, family involvement and referrals. */
async function createObservationAlertAndFamilyTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per alert sent about a missed observation slot: the primary key is what makes a sweep
    -- run by two workers at once send each alert once.
    create table care_plan_observation_alert (
      care_plan_id uuid not null references care_plan (id),
      slot_ends_at timestamptz not null,
      stage text not null check (stage in ('wing', 'orderly-officer')),
      sent_at timestamptz not null,
      recipients integer not null,
      primary key (care_plan_id, slot_ends_at, stage)
    );

    -- S4: family involvement with the person's consent, its withdrawal, and each contact.
    create table care_plan_family_event (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      care_plan_id uuid not null references care_plan (id),
      kind text not null check (kind in ('consent-given', 'consent-withdrawn', 'contact')),
      family_member text not null,
      occurred_at timestamptz not null,
      notes text not null default '',
      recorded_by uuid not null references staff_user (id),
      recorded_at timestamptz not null
    );
    create index care_plan_family_event_plan on care_plan_family_event (care_plan_id, occurred_at);

    -- S5: referrals to community and partner services, with their outcome.
    create table care_plan_referral (
      id uuid primary key default gen_random_uuid(),
      care_plan_id uuid not null references care_plan (id),
      organisation_id uuid not null references organisation (id),
      reason text not null,
      referred_at timestamptz not null,
      referred_by uuid not null references staff_user (id),
      outcome text check (outcome in ('accepted', 'declined', 'no-response', 'completed')),
      outcome_notes text,
      outcome_at timestamptz,
      outcome_by uuid references staff_user (id),
      check ((outcome is null) = (outcome_at is null))
    );
    create index care_plan_referral_plan on care_plan_referral (care_plan_id);
  `.execute(db)
}
