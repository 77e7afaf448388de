import { sql, type Kysely } from 'kysely'

/**
 * Issue 7 (R5): allocation runs. A run keeps the problem it was given and the timetable it proposed, so it
 * can be checked again later by the same rules, and nothing changes in `activity_allocation` until a manager
 * accepts it. A timetable solved outside the app (`waymark allocate`) and imported is a run too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table allocation_run (
      id uuid primary key default gen_random_uuid(),
      establishment_code text not null references establishment (code),
      source text not null default 'solver' check (source in ('solver', 'import')),
      -- waiting for a worker; building the problem; solving; proposed for review; accepted; failed;
      -- superseded when another run was accepted after it was proposed.
      state text not null default 'waiting'
        check (state in ('waiting', 'building', 'solving', 'proposed', 'accepted', 'failed', 'superseded')),
      time_budget_ms integer not null check (time_budget_ms between 100 and 600000),
      requested_at timestamptz not null,
      requested_by uuid references staff_user (id),
      solving_started_at timestamptz,
      finished_at timestamptz,
      -- The allocator's problem (format 1) as built when the run started, and the timetable it proposed.
      problem jsonb,
      timetable jsonb,
      -- The checker's verdict and scores of the proposal and of the timetable of the day, and the solver's figures.
      result jsonb,
      error text,
      accepted_at timestamptz,
      accepted_by uuid references staff_user (id)
    );
    create index allocation_run_establishment on allocation_run (establishment_code, requested_at desc);
    -- One run at a time per prison: a second start while one is under way is refused, not queued twice.
    create unique index allocation_run_under_way on allocation_run (establishment_code)
      where state in ('waiting', 'building', 'solving');

    alter table activity_allocation
      add constraint activity_allocation_run foreign key (allocation_run_id) references allocation_run (id);
  `.execute(db)
}
