import type { ApiCaller } from '../../platform/api-callers.ts'
import { pageOfRows, type Paging } from '../../platform/api-schemas.ts'
import { NotFound } from '../../platform/errors.ts'
import type { PeopleDeps } from './deps.ts'
import * as store from './store.ts'

/**
 * Issue 15: the roll as another of the prison's systems reads it, a page at a time in name order. The call is
 * audited with its client by platform; protected characteristics are never part of it.
 */
export async function rollForSystems(deps: PeopleDeps, caller: ApiCaller, paging: Paging) {
  const filter = { establishmentCode: caller.establishmentCode }
  return pageOfRows(
    paging,
    () => store.countRoll(deps.db, filter),
    ({ limit, offset }) => store.listRoll(deps.db, filter, limit, offset),
  )
}

/**
 * Issue 15: one person on the caller's prison's roll, or 404: someone elsewhere is, to this client, not there
 * at all. Protected characteristics stay behind, as on the roll.
 */
export async function personForSystems(deps: PeopleDeps, caller: ApiCaller, prisonNumber: string) {
  const person = await store.findPersonInEstablishments(deps.db, [caller.establishmentCode], prisonNumber)
  if (!person) throw new NotFound('No such person at this prison')
  return person
}
