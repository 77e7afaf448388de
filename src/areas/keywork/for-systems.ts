import type { ApiCaller } from '../../platform/api-callers.ts'
import { pageOfList, type Paging } from '../../platform/api-schemas.ts'
import type { IsoDate } from '../../db/schema.ts'
import { londonDate } from '../../platform/dates.ts'
import { NotFound } from '../../platform/errors.ts'
import { caseloadLimitOf, nextSessionDue, PROGRESS_MEETING_INTERVAL_DAYS } from './rules.ts'
import type { KeyworkDeps } from './deps.ts'
import * as store from './store.ts'
import * as forSystems from './store/for-systems.ts'

type SystemsOfficer = { username: string; displayName: string; caseloadSize: number; capacity: number | null }

/**
 * The dedicated officers at the caller's prison as other systems know them, by name: every officer and key
 * worker there who could hold a caseload, with its size and the capacity Waymark holds them to, and anyone else
 * who still has people there (whose role has since changed: no capacity, as Waymark would give them no more).
 */
async function officersAt(deps: KeyworkDeps, establishmentCode: string) {
  const { db, staff } = deps
  const [policy, officers, counts] = await Promise.all([
    store.findPolicy(db, establishmentCode),
    staff.listOfficersForAllocation(establishmentCode),
    store.caseloadCounts(db, establishmentCode),
  ])
  const capacities = new Map(officers.map((officer) => [officer.staffUserId, caseloadLimitOf(officer, policy)]))
  // An account that is switched off, with no one on it, holds no caseload to speak of.
  const holding = officers.filter((officer) => officer.staffStatus !== 'inactive').map((officer) => officer.staffUserId)
  const ids = [...new Set([...holding, ...counts.keys()])]
  const named = await forSystems.staffNamed(db, ids)
  const listed = named
    .map((member) => ({
      staffUserId: member.id,
      officer: {
        username: member.username,
        displayName: member.displayName,
        caseloadSize: counts.get(member.id) ?? 0,
        capacity: capacities.get(member.id) ?? null,
      } satisfies SystemsOfficer,
    }))
    .sort(
      (a, b) =>
        a.officer.displayName.localeCompare(b.officer.displayName) ||
        a.officer.username.localeCompare(b.officer.username),
    )
  return { policy, listed }
}

/**
 * K4: when each of these people is next due a key work session (from their last, or their allocation) and a
 * progress meeting (from their last, or their reception: one a quarter, as `progressMeetings` counts them). The
 * dates only: what was said at either never leaves Waymark.
 */
async function dueDates(
  deps: KeyworkDeps,
  sessionIntervalDays: number,
  people: readonly { personId: string; receptionOn: IsoDate; allocatedAt: Date }[],
) {
  const ids = people.map((person) => person.personId)
  const [lastSessions, lastMeetings] = await Promise.all([
    store.lastSessionDates(deps.db, { personIds: ids }),
    forSystems.lastMeetingDates(deps.db, ids),
  ])
  return new Map(
    people.map((person) => {
      const lastKeyWorkSessionOn = lastSessions.get(person.personId) ?? null
      const lastProgressMeetingOn = lastMeetings.get(person.personId) ?? null
      return [
        person.personId,
        {
          lastKeyWorkSessionOn,
          nextKeyWorkSessionDue: nextSessionDue(
            lastKeyWorkSessionOn,
            londonDate(person.allocatedAt),
            sessionIntervalDays,
          ),
          lastProgressMeetingOn,
          nextProgressMeetingDue: nextSessionDue(
            lastProgressMeetingOn,
            person.receptionOn,
            PROGRESS_MEETING_INTERVAL_DAYS,
          ),
        },
      ]
    }),
  )
}

/**
 * Issue 15: the dedicated officers at the caller's prison, a page at a time by name, with their caseload's size
 * and capacity. Never a member of staff's training or absence. Audited with the client by platform.
 */
export async function dedicatedOfficersForSystems(deps: KeyworkDeps, caller: ApiCaller, paging: Paging) {
  const { listed } = await officersAt(deps, caller.establishmentCode)
  return pageOfList(
    listed.map((entry) => entry.officer),
    paging,
  )
}

/**
 * Issue 15: the people at the caller's prison allocated to one dedicated officer, by username, with when each
 * was allocated and their last and next key work session and progress meeting; 404 for no dedicated officer of
 * that username at the prison.
 */
export async function caseloadForSystems(deps: KeyworkDeps, caller: ApiCaller, username: string) {
  const { policy, listed } = await officersAt(deps, caller.establishmentCode)
  const asked = username.trim().toLowerCase()
  const entry = listed.find((candidate) => candidate.officer.username.toLowerCase() === asked)
  if (!entry) throw new NotFound(`No dedicated officer with that username at ${caller.establishmentCode}`)
  const people = await forSystems.caseloadAt(deps.db, caller.establishmentCode, entry.staffUserId)
  const due = await dueDates(deps, policy.sessionIntervalDays, people)
  return {
    officer: entry.officer,
    people: people.map((person) => ({
      prisonNumber: person.prisonNumber,
      allocatedAt: person.allocatedAt.toISOString(),
      ...due.get(person.personId)!,
    })),
  }
}

/**
 * Issue 15: a person's dedicated officer now, as their caseload lists them, with the officer; 404 for no one of
 * that prison number at the caller's prison, or no dedicated officer allocated.
 */
export async function dedicatedOfficerOfForSystems(deps: KeyworkDeps, caller: ApiCaller, prisonNumber: string) {
  const found = await forSystems.personAt(deps.db, caller.establishmentCode, prisonNumber)
  if (!found) throw new NotFound(`No one with that prison number at ${caller.establishmentCode}`)
  const { allocation } = found
  if (!allocation) throw new NotFound('No dedicated officer is allocated to this person')
  const { policy, listed } = await officersAt(deps, caller.establishmentCode)
  const officer = listed.find((entry) => entry.staffUserId === allocation.staffUserId)!.officer
  const due = await dueDates(deps, policy.sessionIntervalDays, [allocation])
  return {
    prisonNumber: allocation.prisonNumber,
    allocatedAt: allocation.allocatedAt.toISOString(),
    ...due.get(allocation.personId)!,
    officer,
  }
}
