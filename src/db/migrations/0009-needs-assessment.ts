import { sql, type Kysely } from 'kysely'

/**
 * Issue 7 (R1, R3, R8): each prison's framework (how it adjusts its function's default), when assessments
 * fall due, which activities meet which need, and every saved version of each person's needs assessment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A prison without a row follows its function's default framework and the default due days.
    create table regime_framework (
      establishment_code text primary key references establishment (code),
      -- category -> share of the week in percent; need -> emphasis 1-5. Both complete when present.
      category_shares jsonb not null,
      need_emphasis jsonb not null,
      first_assessment_days integer not null default 5 check (first_assessment_days between 1 and 60),
      reassessment_days integer not null default 182 check (reassessment_days between 7 and 730),
      updated_at timestamptz not null,
      updated_by uuid references staff_user (id)
    );

    -- The per-prison map from an assessed need to the activities that meet it.
    create table need_activity (
      establishment_code text not null references establishment (code),
      need text not null check (need ~ '^[a-z0-9-]{1,40}$'),
      activity_id uuid not null references activity (id),
      primary key (establishment_code, need, activity_id)
    );
    create index need_activity_activity on need_activity (activity_id);

    -- Every saved version is kept: a new assessment is a new row, never an update.
    create table needs_assessment (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      establishment_code text not null references establishment (code),
      version integer not null check (version >= 1),
      kind text not null check (kind in ('reception', 'induction', 'review')),
      answers jsonb not null,
      -- What the answers yielded: [{ need, priority }], kept as it was decided on the day.
      needs jsonb not null,
      -- The person's own words and the activities they asked for.
      wishes text not null default '' check (length(wishes) <= 2000),
      wished_activity_ids uuid[] not null default '{}',
      -- Who to ask about health: a name or team, never clinical detail.
      health_contact text not null default '' check (length(health_contact) <= 120),
      assessed_on date not null,
      assessed_at timestamptz not null,
      assessed_by uuid references staff_user (id),
      unique (person_id, version)
    );
    create index needs_assessment_establishment on needs_assessment (establishment_code, person_id, version desc);
  `.execute(db)
}
