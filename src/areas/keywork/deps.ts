import type { Db } from '../../db/database.ts'
import type { DeallocationReason, IsoDate } from '../../db/schema.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import type { Events } from '../../platform/events.ts'
import { aboutPerson, type CommandActor } from '../../platform/audit.ts'
import { londonDate } from '../../platform/dates.ts'
import type { Outcome } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import { holdCustody } from '../../platform/locks.ts'
import type { PeopleService } from '../people/service.ts'
import {
  caseloadLimitOf,
  CHECK_INS_FLAGGED,
  wellbeingFlags,
  type KeyworkPolicy,
  type OfficerForAllocation,
  type OfficerWithCaseload,
  type WellbeingFlag,
} from './rules.ts'
import * as store from './store.ts'

/** What key work needs from the staff area: the officers who could take people at a prison. */
export type StaffForKeywork = {
  listOfficersForAllocation: (establishmentCode: string, trx?: Db) => Promise<readonly OfficerForAllocation[]>
}

/** What every key work use case is given: built once, in app.ts. */
export type KeyworkDeps = PlatformDeps & {
  people: PeopleService
  staff: StaffForKeywork
  /** Issue 15: an allocation is told, by its ids, to the systems that subscribe to events. */
  events?: Pick<Events, 'publish'> | undefined
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

/**
 * The last session and the flags of a set of people (K4). `onRollOf` names the prison when they are everyone on
 * its roll, so the sessions and check-ins are read by the prison rather than by a list of every id on it.
 */
export async function keyWorkState(
  deps: KeyworkDeps,
  personIds: readonly string[],
  policy: KeyworkPolicy,
  allocatedOn: Map<string, IsoDate>,
  { onRollOf }: { onRollOf?: string } = {},
) {
  const { db, clock } = deps
  const whose: store.PeopleOf = onRollOf === undefined ? { personIds } : { onRollOf }
  const [lastSessions, checkIns] = await Promise.all([
    store.lastSessionDates(db, whose),
    store.latestCheckIns(db, whose, CHECK_INS_FLAGGED),
  ])
  const today = clock.today()
  const state = new Map<string, { lastSessionOn: IsoDate | null; flags: WellbeingFlag[] }>()
  const checkInsBy = Map.groupBy(checkIns, (checkIn) => checkIn.personId)
  for (const id of personIds) {
    const lastSessionOn = lastSessions.get(id) ?? null
    state.set(id, {
      lastSessionOn,
      flags: wellbeingFlags(
        checkInsBy.get(id) ?? [],
        lastSessionOn,
        allocatedOn.get(id) ?? null,
        today,
        policy.sessionIntervalDays,
      ),
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

/**
 * Ends the person's allocation at the prison, if they have one, in the caller's transaction, and tells other
 * areas and systems (`dedicated-officer.allocation-ended`) as an allocation's start is told: a system that heard
 * of the allocation would otherwise keep an officer the person no longer has. The ended allocation, if any.
 */
export async function endCurrentAllocation(
  deps: KeyworkDeps,
  trx: Db,
  actor: Actor | CommandActor,
  person: { id: string; establishmentCode: string },
  reason: DeallocationReason,
) {
  // A concern raised now reads who is responsible under the same hold: it goes to the next officer, or to none.
  await holdCustody(trx, person.id)
  const ended = await store.endAllocation(trx, person.id, { endedAt: deps.clock.now(), endedBy: actor.id, reason })
  if (ended)
    await deps.events?.publish(
      trx,
      actor,
      'dedicated-officer.allocation-ended',
      { allocationId: ended.id, personId: person.id, staffUserId: ended.staffUserId, reason },
      person.establishmentCode,
    )
  return ended
}
