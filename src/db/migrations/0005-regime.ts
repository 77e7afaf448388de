import { sql, type Kysely } from 'kysely'

/**
 * Issue 7, the regime: the prison's usable day, its offer of activities and groups, the wants that a needs
 * assessment yields, separations, and who is in which group now. The allocator's problem (ALLOCATION.md,
 * format 1) is built from these tables; the areas that assess needs, run allocations and take attendance add
 * their own tables on top.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The allocator's parameters per prison; a prison without a row uses the defaults.
    create table regime_policy (
      establishment_code text primary key references establishment (code),
      max_sessions_per_person integer not null default 10 check (max_sessions_per_person between 1 and 21),
      fairness_target_sessions integer not null default 10 check (fairness_target_sessions between 0 and 21),
      fairness_weight numeric not null default 1 check (fairness_weight between 0 and 100),
      continuity_bonus numeric not null default 0.5 check (continuity_bonus between 0 and 100),
      updated_at timestamptz,
      updated_by uuid references staff_user (id)
    );

    -- The usable day: which of the week's 21 slots the prison runs, and when each starts and ends.
    create table regime_slot (
      establishment_code text not null references establishment (code),
      slot text not null check (slot ~ '^(MON|TUE|WED|THU|FRI|SAT|SUN)_(AM|PM|ED)$'),
      starts_at time not null,
      ends_at time not null check (ends_at > starts_at),
      primary key (establishment_code, slot)
    );

    create table activity (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      -- The allocator's activity id, e.g. EDU-ENG-L1; stable, so exported problems read the same.
      code text not null check (code ~ '^[A-Z0-9][A-Z0-9-]{0,39}$'),
      name text not null check (length(name) between 1 and 120),
      category text not null check (category in (
        'education', 'work', 'intervention', 'therapeutic', 'peer-led', 'chaplaincy', 'family', 'gym')),
      -- Null when the prison itself provides it.
      provider_organisation_id uuid references organisation (id),
      delivery_mode text not null default 'group'
        check (delivery_mode in ('group', 'one-to-one', 'in-cell', 'blended', 'remote')),
      description text not null default '',
      is_active boolean not null default true,
      created_at timestamptz not null,
      unique (establishment_code, code)
    );

    create table activity_group (
      id uuid primary key default gen_random_uuid(),
      activity_id uuid not null references activity (id),
      -- The allocator's group id is the activity code, a slash and this: EDU-ENG-L1/a.
      code text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,19}$'),
      location text not null default '',
      slots text[] not null check (cardinality(slots) between 1 and 21),
      capacity integer not null check (capacity between 1 and 200),
      -- From the local risk assessment; 0 means none. Below it the group does not run at all.
      min_size integer not null default 0 check (min_size >= 0 and min_size <= capacity),
      -- Only these cohorts may join; null admits every cohort.
      cohorts text[],
      is_active boolean not null default true,
      unique (activity_id, code)
    );

    -- Cohorts (person.cohort) that must never share a group, e.g. mainstream and vulnerable.
    create table cohort_separation (
      establishment_code text not null references establishment (code),
      cohort_a text not null,
      cohort_b text not null,
      primary key (establishment_code, cohort_a, cohort_b),
      check (cohort_a < cohort_b)
    );

    -- As the HMPPS non-associations service records them: two people, why, and where they must be kept apart.
    create table non_association (
      id uuid primary key default gen_random_uuid(),
      person_a_id uuid not null references person (id),
      person_b_id uuid not null references person (id),
      reason text not null check (reason in (
        'bullying', 'gang-related', 'organised-crime', 'legal-request', 'threat', 'violence', 'other')),
      level text not null check (level in ('cell', 'landing', 'wing', 'regime')),
      comment text not null default '',
      created_at timestamptz not null,
      created_by uuid references staff_user (id),
      closed_at timestamptz,
      closed_by uuid references staff_user (id),
      closed_reason text,
      check (person_a_id < person_b_id)
    );
    create unique index non_association_open on non_association (person_a_id, person_b_id) where closed_at is null;
    create index non_association_b on non_association (person_b_id) where closed_at is null;

    -- What the needs assessment asks for: the allocator's wants (activity -> weight). Replaced as a whole
    -- when an assessment is saved; the assessment keeps its own history.
    create table person_activity_want (
      person_id uuid not null references person (id),
      activity_id uuid not null references activity (id),
      weight numeric not null check (weight > 0 and weight <= 100),
      primary key (person_id, activity_id)
    );
    create index person_activity_want_activity on person_activity_want (activity_id);

    -- Slots in which a person cannot attend (appointments, visits, court, work outside the regime).
    create table person_unavailable_slot (
      person_id uuid not null references person (id),
      slot text not null check (slot ~ '^(MON|TUE|WED|THU|FRI|SAT|SUN)_(AM|PM|ED)$'),
      reason text not null default '',
      primary key (person_id, slot)
    );

    -- Who is in which group: the allocator's "current". An accepted run or a manual change opens rows; a
    -- move, a release or a later run closes them. History is kept.
    create table activity_allocation (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      group_id uuid not null references activity_group (id),
      starts_on date not null,
      ends_on date,
      -- The allocation run that placed the person, when it was not a manual change.
      allocation_run_id uuid,
      created_at timestamptz not null,
      created_by uuid references staff_user (id),
      end_reason text,
      check (ends_on is null or ends_on >= starts_on)
    );
    create unique index activity_allocation_current on activity_allocation (person_id, group_id) where ends_on is null;
    create index activity_allocation_group on activity_allocation (group_id) where ends_on is null;
  `.execute(db)
}
