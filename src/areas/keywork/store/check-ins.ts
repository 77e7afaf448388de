import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'
import type { CheckInReading } from '../rules.ts'
import { peopleIn, type PeopleOf } from './sessions.ts'

export type CheckInRow = CheckInReading & {
  id: string
  personId: string
  keyWorkSessionId: string | null
  progressMeetingId: string | null
  notes: string
}

export async function checkInsOf(db: Db, personIds: readonly string[]): Promise<CheckInRow[]> {
  if (personIds.length === 0) return []
  return db
    .selectFrom('check_in')
    .select([
      'id',
      'person_id as personId',
      'key_work_session_id as keyWorkSessionId',
      'progress_meeting_id as progressMeetingId',
      'recorded_on as recordedOn',
      'mood',
      'sleep',
      'family_contact as familyContact',
      'worries',
      'notes',
    ])
    .where('person_id', 'in', personIds)
    .orderBy('recorded_on')
    .orderBy('recorded_at')
    .execute()
}

/**
 * K4: each person's latest `count` check-ins, oldest first, the scales alone: all the flags read. Ranked in the
 * database, so a prison's years of check-ins and their notes are not carried out to be thrown away.
 */
export async function latestCheckIns(
  db: Db,
  whose: PeopleOf,
  count: number,
): Promise<(CheckInReading & { personId: string })[]> {
  if ('personIds' in whose && whose.personIds.length === 0) return []
  const ranked = db
    .selectFrom('check_in')
    .select([
      'person_id as personId',
      'recorded_on as recordedOn',
      'recorded_at as recordedAt',
      'mood',
      'sleep',
      'family_contact as familyContact',
      'worries',
      sql<number>`row_number() over (partition by person_id order by recorded_on desc, recorded_at desc)`.as('newest'),
    ])
    .where('person_id', 'in', peopleIn(db, whose))
  return db
    .selectFrom(ranked.as('c'))
    .select(['c.personId', 'c.recordedOn', 'c.mood', 'c.sleep', 'c.familyContact', 'c.worries'])
    .where('c.newest', '<=', count)
    .orderBy('c.personId')
    .orderBy('c.recordedOn')
    .orderBy('c.recordedAt')
    .execute()
}

export type CheckInValues = {
  mood: number
  sleep: number
  familyContact: number
  worries: number
  notes: string
}

export async function insertCheckIn(
  db: Db,
  values: CheckInValues & {
    personId: string
    keyWorkSessionId?: string
    progressMeetingId?: string
    recordedOn: IsoDate
    recordedBy: string | null
    recordedAt: Date
  },
) {
  await db
    .insertInto('check_in')
    .values({
      person_id: values.personId,
      key_work_session_id: values.keyWorkSessionId ?? null,
      progress_meeting_id: values.progressMeetingId ?? null,
      recorded_on: values.recordedOn,
      mood: values.mood,
      sleep: values.sleep,
      family_contact: values.familyContact,
      worries: values.worries,
      notes: values.notes,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .execute()
}
