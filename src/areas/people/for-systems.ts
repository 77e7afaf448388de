import type { ApiCaller } from '../../platform/api-callers.ts'
import type { PeopleDeps } from './deps.ts'
import * as store from './store.ts'

/**
 * Issue 15: the roll as another of the prison's systems reads it, a page at a time in name order. The call is
 * audited with its client by platform; protected characteristics are never part of it.
 */
export async function rollForSystems(deps: PeopleDeps, caller: ApiCaller, paging: { page: number; size: number }) {
  const filter = { establishmentCode: caller.establishmentCode }
  const [total, people] = await Promise.all([
    store.countRoll(deps.db, filter),
    store.listRoll(deps.db, filter, paging.size, paging.page * paging.size),
  ])
  return { total, people }
}
