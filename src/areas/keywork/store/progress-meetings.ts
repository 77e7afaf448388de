import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'

/** K4: the dates of the progress meetings of these people held on or after a day, oldest first. */
export async function meetingDatesSince(db: Db, personIds: readonly string[], from: IsoDate) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('progress_meeting')
    .select(['person_id as personId', 'held_on as heldOn'])
    .where('person_id', 'in', personIds)
    .where('held_on', '>=', from)
    .orderBy('held_on')
    .execute()
}

export async function meetingsOf(db: Db, personId: string) {
  return db
    .selectFrom('progress_meeting')
    .select(['id', 'held_on as heldOn', 'attendees'])
    .where('person_id', '=', personId)
    .orderBy('held_on', 'desc')
    .execute()
}

export async function insertMeeting(
  db: Db,
  values: {
    personId: string
    heldOn: IsoDate
    attendees: { name: string; organisation: string; role: string }[]
    recordedBy: string | null
    recordedAt: Date
  },
) {
  const row = await db
    .insertInto('progress_meeting')
    .values({
      person_id: values.personId,
      held_on: values.heldOn,
      attendees: JSON.stringify(values.attendees),
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
