import { sql, type Kysely } from 'kysely'

/**
 * Issue 17: a concern says whether it indicates a risk of suicide or self-harm. Such a concern starts the
 * ACCT clock when it is raised, and only a manager may decide it needs no further action. Concerns raised
 * before the question was asked say no, as nobody was asked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table concern add column indicates_self_harm_risk boolean not null default false`.execute(db)
}
