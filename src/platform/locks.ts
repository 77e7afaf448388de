import { sql } from 'kysely'
import type { Db } from '../db/database.ts'

/**
 * Holds a named thing until the transaction ends: a second transaction asking for the same name waits, then reads
 * what the first saved before it decides. For a check and a write with no row to lock between them (a register
 * not yet written, a request not yet raised). The name holds ids only.
 */
export async function holdUntilCommit(trx: Db, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx)
}
