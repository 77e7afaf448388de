import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { aboutPerson } from '../../platform/audit.ts'
import { londonDate } from '../../platform/dates.ts'
import type { Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PeopleService } from '../people/service.ts'
import {
  caseloadLimitOf,
  wellbeingFlags,
  type KeyworkPolicy,
  type OfficerForAllocation,
  type OfficerWithCaseload,
  type WellbeingFlag,
} from './rules.ts'
import * as store from './store.ts'

/** What key work needs from the staff area: the officers who could take people at a prison. */
export type StaffForKeywork = {
  listOfficersForAllocation: (establishmentCode: string) => Promise<readonly OfficerForAllocation[]>
}

/** What every key work use case is given: built once, in app.ts. */
export type KeyworkDeps = PlatformDeps & {
  people: PeopleService
  staff: StaffForKeywork
}

export type CheckInInput = store.CheckInValues

type PersonSummary = { id: string; prisonNumber: string; firstName: string; lastName: string }
export type PersonOnRoll = Awaited<ReturnType<PeopleService['listPeopleAt']>>[number]

/** Officers at a prison with their caseloads and limits. */
export async function officersWithCaseloads(deps: KeyworkDeps, establishmentCode: string, policy: KeyworkPolicy) {
  const { db, staff } = deps
  const [officers, counts] = await Promise.all([
    staff.listOfficersForAllocation(establishmentCode),
    store.caseloadCounts(db, establishmentCode),
  ])
  return officers.map((officer): OfficerWithCaseload => ({
    officer,
    caseload: { count: counts.get(officer.staffUserId) ?? 0, limit: caseloadLimitOf(officer, policy) },
  }))
}

/** Flags and session dates for a set of people (K4). */
export async function keyWorkState(
  deps: KeyworkDeps,
  personIds: readonly string[],
  policy: KeyworkPolicy,
  allocatedOn: Map<string, IsoDate>,
) {
  const { db, clock } = deps
  const [sessions, checkIns] = await Promise.all([store.sessionsOf(db, personIds), store.checkInsOf(db, personIds)])
  const today = clock.today()
  const state = new Map<
    string,
    { lastSessionOn: IsoDate | null; firstSessionOn: IsoDate | null; sessionDates: IsoDate[]; flags: WellbeingFlag[] }
  >()
  // Grouped once: filtering every session for each person was people × sessions (3 s for a 1,200-person prison).
  const sessionsBy = Map.groupBy(sessions, (session) => session.personId)
  const checkInsBy = Map.groupBy(checkIns, (checkIn) => checkIn.personId)
  for (const id of personIds) {
    const dates = (sessionsBy.get(id) ?? []).map((session) => session.heldOn)
    const readings = checkInsBy.get(id) ?? []
    const lastSessionOn = dates.at(-1) ?? null
    state.set(id, {
      lastSessionOn,
      firstSessionOn: dates[0] ?? null,
      sessionDates: dates,
      flags: wellbeingFlags(readings, lastSessionOn, allocatedOn.get(id) ?? null, today, policy.sessionIntervalDays),
    })
  }
  return state
}

/**
 * K4: a meeting with the person (a key work session, a progress meeting) and the check-in taken at it, in
 * one transaction, audited; never one held in the future.
 */
export async function recordWithCheckIn(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  values: { heldOn: IsoDate; checkIn: CheckInInput },
  meeting: {
    /** The form's date field, for the refusal of a date to come. */
    field: string
    insert: (trx: Db, personId: string) => Promise<string>
    link: 'keyWorkSessionId' | 'progressMeetingId'
    action: string
  },
): Promise<Outcome> {
  const { db, clock, audit, people } = deps
  if (values.heldOn > londonDate(clock.now()))
    return { field: meeting.field, messageKey: 'keywork.session.error.future', values: {} }
  const person = await people.personHeader(actor, prisonNumber)
  await db.transaction().execute(async (trx) => {
    const id = await meeting.insert(trx, person.id)
    const takenAt = { [meeting.link]: id } as { keyWorkSessionId: string } | { progressMeetingId: string }
    await store.insertCheckIn(trx, {
      ...values.checkIn,
      personId: person.id,
      ...takenAt,
      recordedOn: values.heldOn,
      recordedBy: actor.id,
      recordedAt: clock.now(),
    })
    await audit.record(trx, actor, aboutPerson(meeting.action, person, takenAt))
  })
  return null
}

export function summary(person: PersonSummary) {
  return { id: person.id, prisonNumber: person.prisonNumber, firstName: person.firstName, lastName: person.lastName }
}
