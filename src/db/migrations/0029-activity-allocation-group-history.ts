import { sql, type Kysely } from 'kysely'

/**
 * A session's register and the day's member counts ask for a group's allocations on a date, ended ones
 * included (someone moved on since still belongs on that day's register). The group index 0005 made covers
 * only current allocations, so every one of these read the whole table, which grows with every allocation
 * ever ended: this one covers them all, by group and start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index activity_allocation_group_history on activity_allocation (group_id, starts_on)`.execute(db)
}
