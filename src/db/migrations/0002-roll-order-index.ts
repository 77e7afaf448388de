import { sql, type Kysely } from 'kysely'

/**
 * The roll is shown in name order with the prison number as the tie-break; an index in exactly that order
 * lets a page be read from the index instead of sorting the whole prison. It covers what `person_roll`
 * did (the same leading columns), so that one goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index person_roll_order on person (establishment_code, last_name, first_name, prison_number);
    drop index person_roll;
  `.execute(db)
}
