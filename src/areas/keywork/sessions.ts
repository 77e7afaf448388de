import { aboutPerson } from '../../platform/audit.ts'
import { type Outcome } from '../../platform/forms.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { londonDate } from '../../platform/dates.ts'
import { keyWorkState, recordWithCheckIn, type CheckInInput, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** K4: the key work tab: sessions and progress meetings with their check-ins, and the flags. Audited. */
export async function viewKeyWork(deps: KeyworkDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit, people, staff } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const policy = await store.findPolicy(db, person.establishmentCode)
  const current = (await store.currentAllocations(db, [person.id]))[0]
  const allocatedOn = new Map(current ? [[person.id, londonDate(current.allocatedAt)]] : [])
  const [state, sessions, checkIns, meetings, officers] = await Promise.all([
    keyWorkState(deps, [person.id], policy, allocatedOn),
    store.sessionsOf(db, [person.id]),
    store.checkInsOf(db, [person.id]),
    store.meetingsOf(db, person.id),
    staff.listOfficersForAllocation(person.establishmentCode),
  ])
  const names = new Map(officers.map((officer) => [officer.staffUserId, officer.displayName]))
  await audit.record(db, actor, aboutPerson('key-work.viewed', person))
  return {
    person,
    policy,
    flags: state.get(person.id)!.flags,
    sessions: sessions
      .map((session) => ({
        ...session,
        officerName: names.get(session.staffUserId) ?? null,
        checkIn: checkIns.find((checkIn) => checkIn.keyWorkSessionId === session.id) ?? null,
      }))
      .reverse(),
    meetings: meetings.map((meeting) => ({
      ...meeting,
      checkIn: checkIns.find((checkIn) => checkIn.progressMeetingId === meeting.id) ?? null,
    })),
    /** The forms' date, as the wing's calendar has it: most sessions are recorded the day they are held. */
    today: londonDate(clock.now()),
  }
}

/** K4: a key work session with its check-in, held by the user. Audited. */
export async function recordSession(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  values: { heldOn: IsoDate; minutes: number; checkIn: CheckInInput },
): Promise<Outcome> {
  const { clock } = deps
  return recordWithCheckIn(deps, actor, prisonNumber, values, {
    field: 'heldOn',
    insert: (trx, personId) =>
      store.insertSession(trx, {
        personId,
        staffUserId: actor.id,
        heldOn: values.heldOn,
        minutes: values.minutes,
        recordedAt: clock.now(),
      }),
    link: 'keyWorkSessionId',
    action: 'key-work-session.recorded',
  })
}
