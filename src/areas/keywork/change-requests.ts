import { aboutPerson } from '../../platform/audit.ts'
import { countsPerPersonSince } from '../../platform/counts-per-person.ts'
import { type Outcome } from '../../platform/forms.ts'
import { Conflict, NotFound } from '../../platform/errors.ts'
import { holdUntilCommit } from '../../platform/locks.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { holdCustody } from '../../platform/locks.ts'
import { endCurrentAllocation, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** K2: the page where anyone who hears a person ask for a different officer records it. Audited. */
export async function viewChangeOfficer(deps: KeyworkDeps, actor: Actor, prisonNumber: string) {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const [policy, current] = await Promise.all([
    store.findPolicy(db, person.establishmentCode),
    store.currentAllocations(db, [person.id]),
  ])
  await audit.record(db, actor, aboutPerson('change-officer.viewed', person))
  return { person, policy, hasOfficer: current.length > 0 }
}

/** K2: records a person’s request to change their officer, for safer custody to decide. */
export async function raiseChangeRequest(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  reason: string,
): Promise<Outcome> {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  // C1: a person in custody asks for themselves only.
  if (actor.person && actor.person.id !== person.id) throw new NotFound()
  return db.transaction().execute(async (trx) => {
    // One request waits at a time: two sent at once (a double click) take turns, and the second finds the first.
    await holdUntilCommit(trx, `officer-change-request:${person.id}`)
    const current = (await store.currentAllocations(trx, [person.id]))[0]
    if (!current) return { field: 'reason', messageKey: 'keywork.changeRequest.error.noOfficer', values: {} }
    // One request waits at a time: a second would list the person twice for one decision.
    if (await store.hasPendingChangeRequest(trx, person.id))
      return { field: 'reason', messageKey: 'keywork.changeRequest.error.pending', values: {} }
    const id = await store.insertChangeRequest(trx, {
      personId: person.id,
      aboutStaffUserId: current.staffUserId,
      reason,
      raisedAt: clock.now(),
      raisedBy: actor.person ? null : actor.id,
      raisedByPersonAccountId: actor.person ? actor.id : null,
    })
    await audit.record(trx, actor, aboutPerson('change-request.raised', person, { changeRequestId: id }))
    return null
  })
}

/**
 * C1: the latest request to change officer a person made themselves, for their own page: when they asked and what
 * safer custody decided, never the reason either gave. Null when they have not asked.
 */
export async function ownChangeRequest(deps: KeyworkDeps, actor: Actor) {
  if (!actor.person) throw new NotFound()
  return (await store.latestChangeRequestOfAccount(deps.db, actor.id)) ?? null
}

/** M3: requests to change officer per person at a prison since a date; counts only, for the equality figures. */
export const changeRequestCountsSince = countsPerPersonSince(store.changeRequestCountsSince)

/** K2: the change requests for safer custody, never showing a reader a request about themselves. */
export async function listChangeRequests(deps: KeyworkDeps, actor: Actor) {
  const { db, audit, staff } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const [requests, officers] = await Promise.all([
    store.changeRequestsAt(db, actor.establishmentCode, actor.id),
    staff.listOfficersForAllocation(actor.establishmentCode),
  ])
  const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
  await audit.record(db, actor, { action: 'change-request.list-viewed', details: { count: requests.length } })
  return {
    policy,
    pending: requests
      .filter((request) => request.status === 'pending')
      .map((request) => ({ ...request, aboutName: names.get(request.aboutStaffUserId) ?? null })),
    decided: requests
      .filter((request) => request.status !== 'pending')
      .map((request) => ({ ...request, aboutName: names.get(request.aboutStaffUserId) ?? null })),
  }
}

/** K2: safer custody agrees (ending the allocation, reason change-requested) or declines, with a reason. */
export async function decideChangeRequest(
  deps: KeyworkDeps,
  actor: Actor,
  id: string,
  outcome: 'agreed' | 'declined',
  outcomeReason: string,
): Promise<void> {
  const { db, clock, audit } = deps
  await db.transaction().execute(async (trx) => {
    const request = await store.findChangeRequest(trx, id)
    if (!request || request.establishmentCode !== actor.establishmentCode || request.aboutStaffUserId === actor.id)
      throw new NotFound()
    // Decided already, by a colleague or a second click: this decision is not saved, and the page says so.
    if (request.status !== 'pending') throw new Conflict()
    // Another decision taken at the same moment was kept: this one ends nothing and says it was not saved.
    const decided = await store.decideChangeRequest(trx, id, {
      status: outcome,
      outcomeReason,
      decidedAt: clock.now(),
      decidedBy: actor.id,
    })
    if (!decided) throw new Conflict()
    if (outcome === 'agreed') {
      // Read under the hold that every other allocation change takes: an officer allocated or taken off
      // meanwhile is not ended, nor found missing, here.
      await holdCustody(trx, request.personId)
      const current = (await store.currentAllocations(trx, [request.personId]))[0]
      if (current?.staffUserId === request.aboutStaffUserId) {
        const ended = await endCurrentAllocation(
          deps,
          trx,
          actor,
          { id: request.personId, establishmentCode: request.establishmentCode },
          'change-requested',
        )
        await audit.record(trx, actor, {
          action: 'dedicated-officer.deallocated',
          personId: request.personId,
          details: { allocationId: ended?.id ?? null, reason: 'change-requested' },
        })
      }
    }
    await audit.record(trx, actor, {
      action: 'change-request.decided',
      personId: request.personId,
      details: { changeRequestId: id, outcome },
    })
  })
}

/** Whether this user may see change requests at all (reviewers), for the pages. */
export function canReviewChangeRequests(_deps: KeyworkDeps, actor: Actor) {
  return hasPermission(actor.role, 'keywork.review-change-request')
}
