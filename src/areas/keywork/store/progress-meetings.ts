import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'

/** K4, M1: the dates of the progress meetings held with an establishment's people since a day, oldest first. */
export async function meetingDatesSince(db: Db, establishmentCode: string, from: IsoDate) {
  return db
    .selectFrom('progress_meeting as m')
    .innerJoin('person_summary as p', 'p.id', 'm.person_id')
    .select(['m.person_id as personId', 'm.held_on as heldOn'])
    .where('p.establishment_code', '=', establishmentCode)
    .where('m.held_on', '>=', from)
    .orderBy('m.held_on')
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
