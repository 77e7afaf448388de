import { sql } from 'kysely'
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

/** The sessions held (not those that did not happen) with the people now at an establishment (`s`; `p`). */
function sessionsHeldAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('key_work_session as s')
    .innerJoin('person_summary as p', 'p.id', 's.person_id')
    .where('p.establishment_code', '=', establishmentCode)
    .where('s.did_not_happen_reason', 'is', null)
}

/** K1: the dates of the sessions held with an establishment's people from one day to another, oldest first. */
export async function sessionDatesBetween(db: Db, establishmentCode: string, from: IsoDate, to: IsoDate) {
  return sessionsHeldAt(db, establishmentCode)
    .select(['s.person_id as personId', 's.held_on as heldOn'])
    .where('s.held_on', '>=', from)
    .where('s.held_on', '<=', to)
    .orderBy('s.held_on')
    .execute()
}

/** J2: the day of each of an establishment's people's first session held, up to a day. */
export async function firstSessionsUpTo(db: Db, establishmentCode: string, to: IsoDate): Promise<Map<string, IsoDate>> {
  const rows = await sessionsHeldAt(db, establishmentCode)
    .select(['s.person_id as personId', sql<IsoDate>`min(s.held_on)`.as('firstOn')])
    .where('s.held_on', '<=', to)
    .groupBy('s.person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, row.firstOn]))
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
