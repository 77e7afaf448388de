import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'

/**
 * Waits (up to two seconds) until some transaction on this PostgreSQL database is held up by a lock another holds: for a test
 * that holds a lock in one transaction, starts a use case that must wait for it, and changes something before
 * letting it go. A use case that never waits (the fault such a test finds) is let run after the two seconds.
 */
export async function untilSomeoneWaits(db: Db): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where not l.granted and a.datname = current_database()`.execute(db)
    if ((rows[0]?.waiting ?? 0) > 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
