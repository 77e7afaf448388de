import type { ApiCaller } from '../../platform/api-callers.ts'
import type { Paging } from '../../platform/api-schemas.ts'
import type { ConcernsDeps } from './deps.ts'
import { maySystemSeeDetail, statusOf } from './rules.ts'
import * as store from './store/for-systems.ts'

/**
 * Issue 15: the concerns at the caller's prison, a page at a time, newest raised first, under the pages'
 * need to know (S2): what was seen and done only where the system may read it, never a member of staff's
 * name. Audited with the client by platform.
 */
export async function concernsForSystems(
  deps: ConcernsDeps,
  caller: ApiCaller,
  query: Paging & { state: 'open' | 'acted' },
) {
  const [total, rows] = await Promise.all([
    store.countConcernsAt(deps.db, caller.establishmentCode, query.state),
    store.pageOfConcernsAt(deps.db, caller.establishmentCode, query.state, {
      limit: query.size,
      offset: query.page * query.size,
    }),
  ])
  const concerns = rows.map(({ whatHappened, actionNote, ...concern }) => {
    const detail = maySystemSeeDetail(caller.roles, concern)
    return {
      id: concern.id,
      prisonNumber: concern.prisonNumber,
      raisedAt: concern.raisedAt.toISOString(),
      urgency: concern.urgency,
      safeNow: concern.safeNow,
      isSensitive: concern.isSensitive,
      indicatesSelfHarmRisk: concern.indicatesSelfHarmRisk,
      status: statusOf(concern),
      escalated: concern.escalatedAt !== null,
      actedAt: concern.actedAt?.toISOString() ?? null,
      outcome: concern.outcome,
      carePlanId: concern.carePlanId,
      whatHappened: detail ? whatHappened : null,
      actionNote: detail && concern.actedAt ? actionNote : null,
    }
  })
  return { total, concerns }
}
