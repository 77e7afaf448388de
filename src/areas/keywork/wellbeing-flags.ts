import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { pageOf, type PageAsked } from '../../platform/pagination.ts'
import { keyWorkState, summary, type KeyworkDeps } from './deps.ts'
import { FLAGS_PAGE_SIZE, wingKey } from './rules.ts'
import * as store from './store.ts'

/** Which of the flagged people to show: those on one wing (its code, or 'none' for no wing), a page at a time. */
export type FlagsAsked = { wing?: string | undefined } & PageAsked

/**
 * K4: everyone at the prison with a flag, for safer custody: how many on each wing first, then the people (of one
 * wing, if chosen), 50 to a page. Audited as one view.
 */
export async function listWellbeingFlags(deps: KeyworkDeps, actor: Actor, asked: FlagsAsked = {}) {
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
        wingCode: person.wingCode,
        wingName: person.wingName,
        officerName: officerId ? (names.get(officerId) ?? null) : null,
        lastSessionOn: state.get(person.id)!.lastSessionOn,
        flags: state.get(person.id)!.flags,
      }
    })
  const wings = new Map<string, { key: string; name: string | null; people: number }>()
  for (const person of flagged) {
    const key = wingKey(person.wingCode)
    const wing = wings.get(key) ?? { key, name: person.wingName, people: 0 }
    wing.people += 1
    wings.set(key, wing)
  }
  const wing = asked.wing !== undefined && wings.has(asked.wing) ? asked.wing : null
  const chosen = wing === null ? flagged : flagged.filter((person) => wingKey(person.wingCode) === wing)
  const { page, pageCount, offset } = pageOf(chosen.length, asked.page, FLAGS_PAGE_SIZE)
  const shown = chosen.slice(offset, offset + FLAGS_PAGE_SIZE)
  await audit.record(db, actor, {
    action: 'wellbeing-flags.viewed',
    details: { count: shown.length, total: chosen.length, page, ...(wing !== null && { wing }) },
  })
  return {
    policy,
    people: shown,
    flaggedTotal: flagged.length,
    wings: [...wings.values()].sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')),
    wing,
    wingName: wing === null ? null : wings.get(wing)!.name,
    total: chosen.length,
    page,
    pageCount,
  }
}
