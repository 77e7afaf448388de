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

/**
 * Holds where a person is in custody, and who answers for them, until the transaction ends. Starting a handover
 * and recording a stage each check the other has not happened (no handover waiting, not released) before they
 * write: two at once would each pass, leaving two handovers waiting, or a released person with a handover to
 * acknowledge. Ending a dedicated officer's allocation holds it too, and a concern reads who is responsible
 * under it, so a concern never goes to an officer whose allocation ended as it was raised.
 */
export async function holdCustody(trx: Db, personId: string): Promise<void> {
  await holdUntilCommit(trx, `custody:${personId}`)
}

/**
 * Holds a prison's dedicated officer caseloads until the transaction ends, for a check of an officer's caseload
 * and the allocation that fills it: two allocations at once would each count the place as free, and an officer
 * would be given more people than their limit. A change to an officer's status or limit holds it too, so an
 * allocation is never made to an officer made unavailable as it was made.
 */
export async function holdCaseloads(trx: Db, establishmentCode: string): Promise<void> {
  await holdUntilCommit(trx, `caseloads:${establishmentCode}`)
}
