import { sql, type Kysely } from 'kysely'

/**
 * Issue 7 (R6, R7): what happened at each session (attendance), how each person's course ended
 * (completion), what the person thought of it (feedback), and the prison's saved what-if scenarios with
 * the figures of their last run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per person per session (a group meeting in one slot on one date), with the outcomes HMPPS
    -- records. Recording the session again replaces the person's row: the register is corrected, not appended.
    create table attendance (
      id uuid primary key default gen_random_uuid(),
      group_id uuid not null references activity_group (id),
      session_on date not null,
      slot text not null check (slot ~ '^(MON|TUE|WED|THU|FRI|SAT|SUN)_(AM|PM|ED)$'),
      person_id uuid not null references person (id),
      outcome text not null check (outcome in (
        'attended', 'refused', 'sick', 'rest-day', 'clash', 'cancelled', 'suspended')),
      reason text not null default '' check (length(reason) <= 500),
      recorded_at timestamptz not null,
      recorded_by uuid references staff_user (id),
      unique (group_id, session_on, slot, person_id)
    );
    create index attendance_person on attendance (person_id, session_on);
    create index attendance_session_on on attendance (session_on);

    -- How a person's time on an activity ended: completed the course, or left it before the end.
    create table activity_completion (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      activity_id uuid not null references activity (id),
      outcome text not null check (outcome in ('completed', 'not-completed')),
      reason text not null default '' check (length(reason) <= 500),
      finished_on date not null,
      recorded_at timestamptz not null,
      recorded_by uuid references staff_user (id),
      unique (person_id, activity_id, finished_on)
    );
    create index activity_completion_activity on activity_completion (activity_id, finished_on);

    -- The person's own view of an activity, in their words; staff record it for them for now.
    create table activity_feedback (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      activity_id uuid not null references activity (id),
      rating integer not null check (rating between 1 and 5),
      comment text not null default '' check (length(comment) <= 1000),
      given_on date not null,
      recorded_at timestamptz not null,
      recorded_by uuid references staff_user (id)
    );
    create index activity_feedback_activity on activity_feedback (activity_id, given_on);
    create index activity_feedback_person on activity_feedback (person_id);

    -- A what-if on the prison's set-up (R6): the changes, kept as a whole, and the figures of its last run.
    create table scenario (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      name text not null check (length(name) between 1 and 80),
      changes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null,
      created_by uuid references staff_user (id),
      updated_at timestamptz not null,
      run_state text not null default 'not-run' check (run_state in ('not-run', 'running', 'done', 'failed')),
      ran_at timestamptz,
      figures jsonb,
      run_error text
    );
    create index scenario_establishment on scenario (establishment_code, created_at);
  `.execute(db)
}
