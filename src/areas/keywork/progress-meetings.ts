import type { Outcome } from '../../platform/forms.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { addDays } from '../../platform/dates.ts'
import { datesByPerson, deliveryOver, PROGRESS_MEETING_INTERVAL_DAYS } from './rules.ts'
import { recordWithCheckIn, type CheckInInput, type KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

/** K4: a progress meeting with its attendees and check-in. Audited. */
export async function recordMeeting(
  deps: KeyworkDeps,
  actor: Actor,
  prisonNumber: string,
  values: {
    heldOn: IsoDate
    attendees: { name: string; organisation: string; role: string }[]
    checkIn: CheckInInput
  },
): Promise<Outcome> {
  const { clock } = deps
  return recordWithCheckIn(deps, actor, prisonNumber, values, {
    field: 'meetingHeldOn',
    insert: (trx, personId) =>
      store.insertMeeting(trx, {
        personId,
        heldOn: values.heldOn,
        attendees: values.attendees,
        recordedBy: actor.id,
        recordedAt: clock.now(),
      }),
    link: 'progressMeetingId',
    action: 'progress-meeting.recorded',
  })
}

/**
 * K4, M1: progress meetings held against due over the last interval (12 weeks): everyone on the roll is
 * due one for each whole interval they were in custody in it, counted from reception. Audited.
 */
export async function progressMeetings(deps: KeyworkDeps, actor: Actor) {
  const { db, clock, audit, people } = deps
  const today = clock.today()
  const intervalDays = PROGRESS_MEETING_INTERVAL_DAYS
  const period = { from: addDays(today, -(intervalDays - 1)), to: today }
  const everyone = await people.listPeopleAt(actor.establishmentCode)
  // By the prison, not by 1,200 ids: a list of every person's id to plan and bind on each page.
  const meetings = await store.meetingDatesSince(db, actor.establishmentCode, period.from)
  const datesOf = datesByPerson(meetings)
  const delivery = deliveryOver(
    everyone.map((person) => ({
      personId: person.id,
      coveredFrom: person.receptionOn,
      sessionDates: datesOf.get(person.id) ?? [],
    })),
    period,
    intervalDays,
  )
  await audit.record(db, actor, { action: 'keywork.progress-meetings-counted' })
  return { period, intervalDays, ...delivery }
}
