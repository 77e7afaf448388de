import { sql, type Kysely } from 'kysely'

/**
 * Issue 6, S1 and S2: a concern anyone raises about a person, routed at once to whoever is responsible for
 * them and to the safer custody leads, kept open until someone records what they did, and escalated to the
 * governors when nobody has acted within the prison's time for its urgency.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Minutes a concern of each urgency may wait for someone to act before it escalates, per prison.
    create table concern_policy (
      establishment_code text primary key references establishment (code),
      immediate_minutes integer not null default 15 check (immediate_minutes between 1 and 1440),
      today_minutes integer not null default 240 check (today_minutes between 1 and 2880),
      can_wait_minutes integer not null default 1440 check (can_wait_minutes between 1 and 10080)
    );

    create table concern (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      establishment_code text not null references establishment (code),
      raised_by uuid not null references staff_user (id),
      raised_at timestamptz not null,
      -- P4: a peer supporter's concern comes through a member of staff, who is then the raiser.
      peer_supporter_id uuid references peer_supporter (id),
      what_happened text not null check (char_length(what_happened) between 1 and 1000),
      urgency text not null check (urgency in ('immediate', 'today', 'can-wait')),
      safe_now text not null check (safe_now in ('yes', 'no', 'not-sure')),
      is_sensitive boolean not null default false,
      -- Who was responsible for the person when it was raised (J1), and so was told; null for a gap.
      responsible_staff_user_id uuid references staff_user (id),
      escalate_at timestamptz not null,
      escalated_at timestamptz,
      received_at timestamptz,
      received_by uuid references staff_user (id),
      acted_at timestamptz,
      acted_by uuid references staff_user (id),
      outcome text check (outcome in (
        'spoke-with-person', 'referred-to-healthcare', 'passed-to-wing', 'care-plan-opened', 'no-further-action')),
      action_note text not null default '' check (char_length(action_note) <= 1000),
      -- The care plan opened from it (S3); no foreign key, so the care plan area owns its own table.
      care_plan_id uuid,
      check ((acted_at is null) = (outcome is null)),
      check ((acted_at is null) = (acted_by is null))
    );
    create index concern_open on concern (establishment_code, raised_at) where acted_at is null;
    create index concern_to_escalate on concern (escalate_at) where acted_at is null and escalated_at is null;
    create index concern_person on concern (person_id, raised_at);
    create index concern_raised_by on concern (raised_by, raised_at);
    create index concern_responsible on concern (responsible_staff_user_id) where acted_at is null;
  `.execute(db)
}
