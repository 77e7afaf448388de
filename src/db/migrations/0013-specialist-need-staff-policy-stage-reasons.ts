import { sql, type Kysely } from 'kysely'

/**
 * Issue 5, what the first pass left:
 * - K1: who decided that a person needs (or no longer needs) a specialist dedicated officer, when and why.
 *   `person.needs_specialist_allocation` stays the current answer; each decision is kept here.
 * - P2: each prison's own supervision interval (8 weeks until it says otherwise).
 * - J1: a stage's reason may be one of the standard reasons by its key, shown in the reader's language;
 *   what staff type stays in `reason`, as they wrote it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table specialist_need_decision (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      needs_specialist boolean not null,
      reason text not null,
      decided_by uuid references staff_user (id),
      decided_at timestamptz not null
    );
    create index specialist_need_decision_person on specialist_need_decision (person_id, decided_at);

    create table staff_policy (
      establishment_code text primary key references establishment (code),
      supervision_interval_weeks integer not null default 8 check (supervision_interval_weeks between 1 and 26)
    );

    alter table journey_stage add column reason_key text
      check (reason_key in ('arrived-from-court', 'reception-complete', 'first-night-complete', 'induction-complete',
        'arrived-on-transfer'));
  `.execute(db)
}
