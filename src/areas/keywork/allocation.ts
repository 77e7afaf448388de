import { aboutPerson, type CommandActor } from '../../platform/audit.ts'
import { type Outcome } from '../../platform/forms.ts'
import type { Db } from '../../db/database.ts'
import type { DeallocationReason } from '../../db/schema.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { allocationRefusal, caseloadLimitOf, isAvailable, nextSessionDue } from './rules.ts'
import { holdCaseloads } from '../../platform/locks.ts'
import { endCurrentAllocation, keyWorkState, officersWithCaseloads, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/**
 * Current allocations with their officer's name, as the officers for allocation at the person's prison name
 * them (none, '', for one no longer there).
 */
async function namedOfficers(
  deps: KeyworkDeps,
  rows: readonly { personId: string; staffUserId: string; allocatedAt: Date; establishmentCode: string }[],
  trx?: Db,
) {
  const { staff } = deps
  const names = new Map<string, string>()
  for (const code of new Set(rows.map((row) => row.establishmentCode)))
    for (const officer of await staff.listOfficersForAllocation(code, trx))
      names.set(officer.staffUserId, officer.displayName)
  return new Map(
    rows.map((row) => [
      row.personId,
      { staffUserId: row.staffUserId, displayName: names.get(row.staffUserId) ?? '', allocatedAt: row.allocatedAt },
    ]),
  )
}

/**
 * For the journey area: each person's current dedicated officer, for those who have one. Inside the caller's
 * transaction when given one, so that who a concern goes to is read under the hold that ends an allocation.
 */
export async function currentDedicatedOfficers(deps: KeyworkDeps, personIds: string[], trx?: Db) {
  return namedOfficers(deps, await store.currentAllocations(trx ?? deps.db, personIds), trx)
}

/**
 * For the journey area: the current dedicated officer of each person on an establishment's roll who has one,
 * asked by the prison (the allocations joined to its roll) rather than by a list of every id on it.
 */
export async function currentDedicatedOfficersAt(deps: KeyworkDeps, establishmentCode: string) {
  const allocations = await store.allocationsAt(deps.db, establishmentCode)
  return namedOfficers(
    deps,
    [...allocations.values()].map((row) => ({ ...row, establishmentCode })),
  )
}

/**
 * For the journey area's count of people with nobody named for them (J1): who on an establishment's roll has a
 * dedicated officer now, the same people as `currentDedicatedOfficersAt` but by id alone, so without reading the
 * prison's officers and their training for names a count does not show. Not audited: a count of no one's record.
 */
export async function peopleWithDedicatedOfficerAt(deps: KeyworkDeps, establishmentCode: string) {
  return store.allocatedPeopleAt(deps.db, establishmentCode)
}

/**
 * For the journey area: a transfer or release ends the person's allocation at the prison they leave, if they
 * have one, inside the caller's transaction, so the move and the end of the allocation are saved together or not
 * at all. Audited.
 */
export async function endAllocationForMove(
  deps: KeyworkDeps,
  trx: Db,
  actor: Actor | CommandActor,
  person: { id: string; establishmentCode: string },
  reason: 'transfer' | 'release',
) {
  const ended = await endCurrentAllocation(deps, trx, actor, person, reason)
  if (ended)
    await deps.audit.record(trx, actor, {
      action: 'dedicated-officer.deallocated',
      personId: person.id,
      details: { allocationId: ended.id, reason },
    })
}

/** The dedicated officer tab of a person's record. Audited. */
export async function viewDedicatedOfficer(deps: KeyworkDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const policy = await store.findPolicy(db, person.establishmentCode)
  const officers = await officersWithCaseloads(deps, person.establishmentCode, policy)
  const history = await store.allocationHistory(db, person.id)
  const today = clock.today()
  const byId = new Map(officers.map((entry) => [entry.officer.staffUserId, entry.officer]))
  const current = history.find((row) => row.endedAt === null)
  const currentOfficer = current ? byId.get(current.staffUserId) : undefined
  const allocatedOn = new Map(current ? [[person.id, londonDate(current.allocatedAt)]] : [])
  const state = (await keyWorkState(deps, [person.id], policy, allocatedOn)).get(person.id)!
  await audit.record(db, actor, aboutPerson('dedicated-officer.viewed', person))
  return {
    person,
    policy,
    needsSpecialistAllocation: person.needsSpecialistAllocation,
    current: current
      ? {
          staffUserId: current.staffUserId,
          displayName: currentOfficer?.displayName ?? null,
          allocatedAt: current.allocatedAt,
          needsCover: currentOfficer ? !isAvailable(currentOfficer, today) : false,
          nextSessionDue: nextSessionDue(
            state.lastSessionOn,
            londonDate(current.allocatedAt),
            policy.sessionIntervalDays,
          ),
        }
      : null,
    lastSessionOn: state.lastSessionOn,
    flags: state.flags,
    history: history
      .filter((row) => row.endedAt !== null)
      .map((row) => ({ ...row, displayName: byId.get(row.staffUserId)?.displayName ?? null })),
    // Those the person could move to: everyone but their current officer. Only for those who allocate:
    // the reasons name staff whose training has lapsed.
    officers: officers
      .filter(() => hasPermission(actor.role, 'keywork.allocate'))
      .filter((entry) => entry.officer.staffUserId !== current?.staffUserId)
      .map((entry) => ({
        staffUserId: entry.officer.staffUserId,
        displayName: entry.officer.displayName,
        caseload: entry.caseload,
        refusal: allocationRefusal(entry.officer, today, entry.caseload),
      })),
  }
}

/** K1, K3: allocates a person by hand, ending any current allocation; a refusal writes nothing. */
export async function allocate(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  staffUserId: string,
): Promise<Outcome> {
  const { db, clock, audit, people, events } = deps
  const person = await people.personHeader(actor, prisonNumber)
  return db.transaction().execute(async (trx) => {
    // Read once no other allocation at the prison can come in between (a second click, say): the officer's
    // status and limit (made unavailable meanwhile, say), the person's officer now, and the officer's caseload.
    await holdCaseloads(trx, person.establishmentCode)
    const officer = (await deps.staff.listOfficersForAllocation(person.establishmentCode, trx)).find(
      (candidate) => candidate.staffUserId === staffUserId,
    )
    if (!officer) return { field: 'staffUserId', messageKey: 'keywork.allocate.error.choose', values: {} }
    if ((await store.currentAllocations(trx, [person.id]))[0]?.staffUserId === staffUserId)
      return {
        field: 'staffUserId',
        messageKey: 'keywork.allocate.error.already',
        values: { name: officer.displayName },
      }
    const policy = await store.findPolicy(trx, person.establishmentCode)
    const count = (await store.caseloadCounts(trx, person.establishmentCode)).get(staffUserId) ?? 0
    const filled = allocationRefusal(officer, clock.today(), { count, limit: caseloadLimitOf(officer, policy) })
    if (filled) return filled
    await endCurrentAllocation(deps, trx, actor, person, 'other')
    const allocationId = await store.insertAllocation(trx, {
      personId: person.id,
      staffUserId,
      allocatedAt: clock.now(),
      allocatedBy: actor.id,
      kind: person.needsSpecialistAllocation ? 'specialist' : 'manual',
    })
    await audit.record(trx, actor, aboutPerson('dedicated-officer.allocated', person, { allocationId, staffUserId }))
    await events?.publish(
      trx,
      actor,
      'dedicated-officer.allocated',
      { allocationId, personId: person.id, staffUserId },
      person.establishmentCode,
    )
    return null
  })
}

/** Ends a person's allocation with a reason; a person with no officer is a refusal. */
export async function deallocate(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  reason: DeallocationReason,
): Promise<Outcome> {
  const { db, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  return db.transaction().execute(async (trx) => {
    const ended = await endCurrentAllocation(deps, trx, actor, person, reason)
    if (!ended) return { field: 'reason', messageKey: 'keywork.deallocate.error.none', values: {} }
    await audit.record(
      trx,
      actor,
      aboutPerson('dedicated-officer.deallocated', person, { allocationId: ended.id, reason }),
    )
    return null
  })
}
