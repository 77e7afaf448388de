import type { Outcome } from '../../platform/forms.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { addDays } from '../../platform/dates.ts'
import { PROGRESS_MEETING_INTERVAL_DAYS } from './rules.ts'
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
 * due one for each whole interval they were in custody in it, counted from reception (`deliveryOver`'s rule,
 * counted in the database). Audited.
 */
export async function progressMeetings(deps: KeyworkDeps, actor: Actor) {
  const { db, clock, audit } = deps
  const today = clock.today()
  const intervalDays = PROGRESS_MEETING_INTERVAL_DAYS
  const period = { from: addDays(today, -(intervalDays - 1)), to: today }
  const counted = await store.progressMeetingsOver(db, actor.establishmentCode, period, intervalDays)
  const delivery = { ...counted, complianceRate: counted.due === 0 ? null : counted.held / counted.due }
  await audit.record(db, actor, { action: 'keywork.progress-meetings-counted' })
  return { period, intervalDays, ...delivery }
}
