import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { nextSessionDue } from './rules.ts'
import { keyWorkState, summary, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** The signed-in officer’s people: last session, next due, flags. Audited as one view. */
export async function myCaseload(deps: KeyworkDeps, actor: Actor) {
  const { db, audit, people } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const [everyone, allocations] = await Promise.all([
    people.listPeopleAt(actor.establishmentCode),
    store.allocationsAt(db, actor.establishmentCode),
  ])
  const mine = everyone.filter((person) => allocations.get(person.id)?.staffUserId === actor.id)
  const allocatedOn = new Map(mine.map((person) => [person.id, londonDate(allocations.get(person.id)!.allocatedAt)]))
  const state = await keyWorkState(
    deps,
    mine.map((person) => person.id),
    policy,
    allocatedOn,
  )
  await audit.record(db, actor, { action: 'caseload.viewed', details: { count: mine.length } })
  return {
    policy,
    people: mine.map((person) => {
      const personState = state.get(person.id)!
      return {
        ...summary(person),
        wingName: person.wingName,
        allocatedOn: allocatedOn.get(person.id)!,
        lastSessionOn: personState.lastSessionOn,
        nextSessionDue: nextSessionDue(
          personState.lastSessionOn,
          allocatedOn.get(person.id)!,
          policy.sessionIntervalDays,
        ),
        flags: personState.flags,
      }
    }),
  }
}
