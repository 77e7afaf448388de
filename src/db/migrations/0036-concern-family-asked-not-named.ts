import { sql, type Kysely } from 'kysely'

/**
 * A concern raised from a family's worry says whether the family asked that the person is not told who raised it,
 * so the officer acting on it knows, without learning who they are (that stays with the worry, for safer custody).
 * Those raised already take it from their worry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table concern add column family_asked_not_named boolean not null default false;
    update concern c set family_asked_not_named = true
      from family_worry w where w.id = c.family_worry_id and not w.may_tell_person;
  `.execute(db)
}
