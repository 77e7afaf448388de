/**
 * Issue 15: the people area's part in the roll from NOMIS. The journey area decides what a NOMIS record means
 * and records the stage; the roll itself (who a person is, their prison, their cell) is written here, inside
 * the journey's transaction. Not audited here: the journey audits each change as the command that made it.
 */
import type { Db } from '../../db/database.ts'
import type { PeopleDeps } from './deps.ts'
import * as store from './store.ts'

export type { ReceivedPersonValues } from './store.ts'

/** Where each of these prison numbers is on the roll now; locked when the caller is about to change them. */
export async function placesOf(
  _deps: PeopleDeps,
  trx: Db,
  prisonNumbers: readonly string[],
  options: { lock?: boolean } = {},
) {
  return store.placesOfPrisonNumbers(trx, prisonNumbers, options)
}

/** The establishments Waymark holds, and one establishment's cells by label, to check a record against. */
export async function estateFor(deps: PeopleDeps, establishmentCode: string) {
  const { db } = deps
  const [establishmentCodes, cells] = await Promise.all([
    store.listEstablishmentCodes(db),
    store.cellIdsByLabel(db, establishmentCode),
  ])
  return { establishmentCodes: new Set(establishmentCodes), cells }
}

/** A person received (new, or back in custody) onto a prison's roll; their id. */
export async function receivePerson(_deps: PeopleDeps, trx: Db, values: store.ReceivedPersonValues) {
  return store.upsertReceivedPerson(trx, values)
}

/** A person moved to another cell of their prison. */
export async function moveToCell(_deps: PeopleDeps, trx: Db, personId: string, cellId: number) {
  await store.setCell(trx, personId, cellId)
}
