import { sql, type Kysely } from 'kysely'

/**
 * A sweep is enqueued for a period only if no job for that period exists in any state: a process that worked
 * out the next period and then waited (for a connection, under load) must not enqueue a period that another
 * process has already run. This index answers that question for each sweep on every tick.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index job_queue_run_at on job (queue, run_at)`.execute(db)
}
