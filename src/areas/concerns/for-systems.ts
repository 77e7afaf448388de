import type { ApiCaller } from '../../platform/api-callers.ts'
import { pageOfRows, type Paging } from '../../platform/api-schemas.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { isRefusal, type Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { ConcernsDeps, RaiseInput } from './deps.ts'
import { raiseConcern } from './raising.ts'
import { maySystemSeeDetail, statusOf } from './rules.ts'
import * as store from './store/for-systems.ts'

type StoredConcern = NonNullable<Awaited<ReturnType<typeof store.findConcernAt>>>

/** A concern as a system may read it (S2): what was seen and done only where it may, never a member of staff's name. */
function asSystemSees(caller: ApiCaller, { whatHappened, actionNote, ...concern }: StoredConcern) {
  const detail = maySystemSeeDetail(caller.roles, concern)
  return {
    id: concern.id,
    prisonNumber: concern.prisonNumber,
    raisedAt: concern.raisedAt.toISOString(),
    urgency: concern.urgency,
    // As on the pages' lists: what the raiser feared and what was done are a sensitive concern's detail too.
    safeNow: detail ? concern.safeNow : null,
    isSensitive: concern.isSensitive,
    indicatesSelfHarmRisk: concern.indicatesSelfHarmRisk,
    status: statusOf(concern),
    escalated: concern.escalatedAt !== null,
    actedAt: concern.actedAt?.toISOString() ?? null,
    outcome: detail ? concern.outcome : null,
    carePlanId: detail ? concern.carePlanId : null,
    whatHappened: detail ? whatHappened : null,
    actionNote: detail && concern.actedAt ? actionNote : null,
  }
}

/**
 * Issue 15: the concerns at the caller's prison, a page at a time, newest raised first, under the pages'
 * need to know (S2). Audited with the client by platform.
 */
export async function concernsForSystems(
  deps: ConcernsDeps,
  caller: ApiCaller,
  query: Paging & { state: 'open' | 'acted' },
) {
  const { establishmentCode } = caller
  return pageOfRows(
    query,
    () => store.countConcernsAt(deps.db, establishmentCode, query.state),
    async (window) =>
      (await store.pageOfConcernsAt(deps.db, establishmentCode, query.state, window)).map((row) =>
        asSystemSees(caller, row),
      ),
  )
}

/**
 * Issue 15, S1: a concern another system raises (a wing kiosk, a handheld device) for the member of staff it
 * names, through the raise-a-concern page's own use case: the same refusals, and the same notifications to the
 * person responsible and the safer custody leads, in the same transaction, audited under the member of staff.
 * The person must be at the caller's prison (Caseload-Id), not only at one of the member of staff's: the call is
 * about that prison. Answers the stored concern as the calling system may read it, or the page's refusal.
 */
export async function raiseConcernForSystems(
  deps: ConcernsDeps,
  caller: ApiCaller,
  staffMember: Actor,
  prisonNumber: string,
  input: RaiseInput,
): Promise<Outcome<ReturnType<typeof asSystemSees>>> {
  const atThisPrison: Actor = {
    ...staffMember,
    establishmentCode: caller.establishmentCode,
    establishmentCodes: [caller.establishmentCode],
  }
  const raised = await raiseConcern(deps, atThisPrison, prisonNumber, input)
  if (isRefusal(raised)) return raised
  return concernForSystems(deps, caller, raised.concernId)
}

/**
 * Issue 15: one concern at the caller's prison, under the same need to know as the list: what `POST
 * /api/concerns` answers as its Location. A concern at another prison is, to this client, not there at all.
 */
export async function concernForSystems(deps: ConcernsDeps, caller: ApiCaller, id: string) {
  const found = isUuid(id) ? await store.findConcernAt(deps.db, caller.establishmentCode, id) : undefined
  if (!found) throw new NotFound('No such concern at this prison')
  return asSystemSees(caller, found)
}
