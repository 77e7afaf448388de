import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { keyWorkState, summary, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** K4: everyone at the prison with a flag, for safer custody. Audited as one view. */
export async function listWellbeingFlags(deps: KeyworkDeps, actor: Actor) {
  const { db, audit, people, staff } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const [everyone, allocations, officers] = await Promise.all([
    people.listPeopleAt(actor.establishmentCode),
    store.allocationsAt(db, actor.establishmentCode),
    staff.listOfficersForAllocation(actor.establishmentCode),
  ])
  const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
  const allocatedOn = new Map([...allocations].map(([id, row]) => [id, londonDate(row.allocatedAt)]))
  const state = await keyWorkState(
    deps,
    everyone.map((person) => person.id),
    policy,
    allocatedOn,
    { onRollOf: actor.establishmentCode },
  )
  const flagged = everyone
    .filter((person) => state.get(person.id)!.flags.length > 0)
    .map((person) => {
      const officerId = allocations.get(person.id)?.staffUserId
      return {
        ...summary(person),
        wingName: person.wingName,
        officerName: officerId ? (names.get(officerId) ?? null) : null,
        lastSessionOn: state.get(person.id)!.lastSessionOn,
        flags: state.get(person.id)!.flags,
      }
    })
  await audit.record(db, actor, { action: 'wellbeing-flags.viewed', details: { count: flagged.length } })
  return { policy, people: flagged }
}
