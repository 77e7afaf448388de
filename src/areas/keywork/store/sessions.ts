import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'

export type SessionRow = {
  id: string
  personId: string
  staffUserId: string
  heldOn: IsoDate
  minutes: number
}

export async function sessionsOf(db: Db, personIds: readonly string[]): Promise<SessionRow[]> {
  if (personIds.length === 0) return []
  return db
    .selectFrom('key_work_session')
    .select(['id', 'person_id as personId', 'staff_user_id as staffUserId', 'held_on as heldOn', 'minutes'])
    .where('person_id', 'in', personIds)
    .where('did_not_happen_reason', 'is', null)
    .orderBy('held_on')
    .orderBy('recorded_at')
    .execute()
}

/** Whose key work to read: these people, or everyone now on an establishment's roll. */
export type PeopleOf = { personIds: readonly string[] } | { onRollOf: string }

/**
 * The people of `PeopleOf` as the right side of an `in`: a prison's roll as a subquery of the person summary,
 * not a list of its ids (a prison of 1,500 would send 1,500).
 */
export function peopleIn(db: Db, whose: PeopleOf) {
  return 'personIds' in whose
    ? [...whose.personIds]
    : db.selectFrom('person_summary').select('id').where('establishment_code', '=', whose.onRollOf)
}

/** K4: the day of each person's last session held, for those who have had one. */
export async function lastSessionDates(db: Db, whose: PeopleOf): Promise<Map<string, IsoDate>> {
  if ('personIds' in whose && whose.personIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('key_work_session')
    .select(['person_id as personId', (eb) => eb.fn.max<IsoDate>('held_on').as('lastOn')])
    .where('person_id', 'in', peopleIn(db, whose))
    .where('did_not_happen_reason', 'is', null)
    .groupBy('person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, row.lastOn]))
}

export async function insertSession(
  db: Db,
  values: { personId: string; staffUserId: string; heldOn: IsoDate; minutes: number; recordedAt: Date },
) {
  const row = await db
    .insertInto('key_work_session')
    .values({
      person_id: values.personId,
      staff_user_id: values.staffUserId,
      held_on: values.heldOn,
      minutes: values.minutes,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
