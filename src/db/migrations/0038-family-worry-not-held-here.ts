import { sql, type Kysely } from 'kysely'

/**
 * A worry about someone the prison does not hold is closed by safer custody as "not held here", with a short note,
 * who and when: an honest way to close it that is not "malicious", and one the escalation sweep no longer weighs.
 * The three are recorded together or not at all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table family_worry
      add column not_held_here_at timestamptz,
      add column not_held_here_by uuid references staff_user (id),
      add column not_held_here_note text,
      add constraint family_worry_not_held_here_whole
        check (num_nonnulls(not_held_here_at, not_held_here_by, not_held_here_note) in (0, 3)),
      add constraint family_worry_not_held_here_unmatched check (not_held_here_at is null or person_id is null);
    drop index family_worry_to_match;
    create index family_worry_to_match on family_worry (received_at)
      where person_id is null and malicious_at is null and not_held_here_at is null and escalated_at is null
        and not held_back;
  `.execute(db)
}
