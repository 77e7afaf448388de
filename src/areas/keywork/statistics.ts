import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { addDays } from '../../platform/dates.ts'
import { pageOf } from '../../platform/pagination.ts'
import type { KeyworkDeps } from './deps.ts'
import { officersListed } from './rules.ts'
import * as store from './store.ts'

/** The `days` days up to and including `today`. */
function periodEnding(today: IsoDate, days: number) {
  return { from: addDays(today, -(days - 1)), to: today }
}

/** K1, J2: a group's figures from its counts: shares and averages of the whole numbers the database counted. */
function figuresOf(counted: store.CountedFigures) {
  const { daysToAllocation, receivedAllocated, daysToFirstSession, receivedSeen, ...counts } = counted
  return {
    ...counts,
    shareAllocated: counts.people === 0 ? null : counts.allocated / counts.people,
    complianceRate: counts.due === 0 ? null : counts.held / counts.due,
    // J2: measured for the people received in the period, as HMPPS reports it.
    averageDaysToAllocation: receivedAllocated === 0 ? null : daysToAllocation / receivedAllocated,
    averageDaysToFirstSession: receivedSeen === 0 ? null : daysToFirstSession / receivedSeen,
  }
}

const noOne: store.CountedFigures = {
  people: 0,
  allocated: 0,
  due: 0,
  held: 0,
  heldWhenDue: 0,
  daysToAllocation: 0,
  receivedAllocated: 0,
  daysToFirstSession: 0,
  receivedSeen: 0,
  pastFirstContact: 0,
}

/**
 * K1, J2: the figures HMPPS's key worker statistics report, per prison, wing and officer, counted in the
 * database by the rules' own definitions (`deliveryOver`, `daysFromReception`, `isPastFirstContact`), and one
 * page of the people past the first contact threshold: the same number of queries whatever the roll.
 */
export async function statistics(
  deps: KeyworkDeps,
  actor: Actor,
  periodDays = 28,
  page = 1,
  { allOfficers = false }: { allOfficers?: boolean } = {},
) {
  const { db, clock, audit, staff } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const today = clock.today()
  const period = periodEnding(today, periodDays)
  // As the records stood at the end of `today`: nothing held or allocated after it counts, so a clock set at
  // a past date gives that date's figures (the measures keep a month's figures so).
  const [counted, officers] = await Promise.all([
    store.keyWorkCounts(db, actor.establishmentCode, period, today, policy),
    staff.listOfficersForAllocation(actor.establishmentCode),
  ])
  const prison = figuresOf(counted.prison ?? noOne)
  const { page: shownPage, pageCount } = pageOf(prison.pastFirstContact, page, store.PAST_FIRST_CONTACT_PAGE_SIZE)
  const listed =
    prison.pastFirstContact === 0
      ? []
      : await store.pastFirstContactPage(db, actor.establishmentCode, today, policy.firstContactDays, shownPage)
  await audit.record(db, actor, { action: 'keywork.statistics-viewed' })
  const byOfficer = officers.flatMap((officer) => {
    const ofOfficer = counted.officers.get(officer.staffUserId)
    return ofOfficer
      ? [{ staffUserId: officer.staffUserId, displayName: officer.displayName, ...figuresOf(ofOfficer) }]
      : []
  })
  return {
    policy,
    period,
    prison,
    wings: counted.wings.map(({ code, name, ...wing }) => ({ code, name, ...figuresOf(wing) })),
    officers: byOfficer,
    officersListed: officersListed(byOfficer, allOfficers),
    pastFirstContact: {
      total: prison.pastFirstContact,
      page: shownPage,
      pageCount,
      pageSize: store.PAST_FIRST_CONTACT_PAGE_SIZE,
      people: listed,
    },
  }
}

/**
 * K1, M4: the key work sessions due at the user's prison over the last `periodDays` days, the same figure as
 * `statistics(…).prison.due`, for a page that needs no more of them (the costing): counted in the database, so
 * two queries whatever the roll. A count of no one, so not audited.
 */
export async function sessionsDue(deps: KeyworkDeps, actor: Actor, periodDays = 28) {
  const { db, clock } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const period = periodEnding(clock.today(), periodDays)
  return { period, due: await store.sessionsDueAt(db, actor.establishmentCode, period, policy.sessionIntervalDays) }
}
