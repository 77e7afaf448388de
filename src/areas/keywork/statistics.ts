import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { addDays, daysBetween, londonDate } from '../../platform/dates.ts'
import { daysFromReception, datesByPerson, deliveryOver, isPastFirstContact } from './rules.ts'
import { summary, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** The `days` days up to and including `today`. */
function periodEnding(today: IsoDate, days: number) {
  return { from: addDays(today, -(days - 1)), to: today }
}

/** K1, J2: the figures HMPPS's key worker statistics report, per prison, wing and officer. */
export async function statistics(deps: KeyworkDeps, actor: Actor, periodDays = 28) {
  const { db, clock, audit, people, staff } = deps
  const policy = await store.findPolicy(db, actor.establishmentCode)
  const today = clock.today()
  const period = periodEnding(today, periodDays)
  const [everyone, allocations, firstAllocations, officers] = await Promise.all([
    people.listPeopleAt(actor.establishmentCode),
    store.allocationsAt(db, actor.establishmentCode),
    store.firstAllocations(db, actor.establishmentCode),
    staff.listOfficersForAllocation(actor.establishmentCode),
  ])
  // As the records stood at the end of `today`: nothing held or allocated after it counts, so a clock set at
  // a past date gives that date's figures (the measures keep a month's figures so).
  const [sessions, firstSessions] = await Promise.all([
    store.sessionDatesBetween(db, actor.establishmentCode, period.from, today),
    store.firstSessionsUpTo(db, actor.establishmentCode, today),
  ])
  const datesOf = datesByPerson(sessions)
  const rows = everyone.map((person) => {
    const allocation = allocations.get(person.id)
    const dates = datesOf.get(person.id) ?? []
    const firstOn = firstSessions.get(person.id) ?? null
    const firstAt = firstAllocations.get(person.id)
    const firstAllocatedOn = firstAt && londonDate(firstAt) <= today ? londonDate(firstAt) : null
    return {
      person,
      staffUserId: allocation?.staffUserId ?? null,
      delivery: allocation
        ? { personId: person.id, coveredFrom: londonDate(allocation.allocatedAt), sessionDates: dates }
        : null,
      daysToAllocation: daysFromReception(person.receptionOn, firstAllocatedOn),
      daysToFirstSession: daysFromReception(person.receptionOn, firstOn),
      pastFirstContact: isPastFirstContact(person.receptionOn, firstOn, today, policy.firstContactDays),
    }
  })
  const figures = (group: typeof rows) => {
    const allocated = group.filter((row) => row.staffUserId !== null)
    const received = group.filter((row) => row.person.receptionOn >= period.from && row.person.receptionOn <= period.to)
    const average = (values: (number | null)[]) => {
      const known = values.filter((value): value is number => value !== null)
      return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0) / known.length
    }
    return {
      people: group.length,
      allocated: allocated.length,
      shareAllocated: group.length === 0 ? null : allocated.length / group.length,
      ...deliveryOver(
        allocated.map((row) => row.delivery!),
        period,
        policy.sessionIntervalDays,
      ),
      // J2: measured for the people received in the period, as HMPPS reports it.
      averageDaysToAllocation: average(received.map((row) => row.daysToAllocation)),
      averageDaysToFirstSession: average(received.map((row) => row.daysToFirstSession)),
    }
  }
  // Grouped once: a filter of the whole roll for each wing and each officer was people × officers.
  const byWing = Map.groupBy(rows, (row) => row.person.wingCode ?? '')
  const byOfficer = Map.groupBy(rows, (row) => row.staffUserId)
  await audit.record(db, actor, { action: 'keywork.statistics-viewed' })
  return {
    policy,
    period,
    prison: figures(rows),
    wings: [...byWing].map(([code, group]) => ({ code, name: group[0]?.person.wingName ?? null, ...figures(group) })),
    officers: officers
      .map((officer) => ({
        staffUserId: officer.staffUserId,
        displayName: officer.displayName,
        ...figures(byOfficer.get(officer.staffUserId) ?? []),
      }))
      .filter((row) => row.people > 0),
    pastFirstContact: rows
      .filter((row) => row.pastFirstContact)
      .map((row) => ({
        ...summary(row.person),
        wingName: row.person.wingName,
        receptionOn: row.person.receptionOn,
        days: daysBetween(row.person.receptionOn, today),
      })),
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
