import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'
import { onRollAt } from '../../../db/summaries.ts'
import { currentAllocationsOfPeopleAt } from './allocations.ts'

/** Issue 15: who members of staff are, by id, as other systems know them: their username and name. */
export async function staffNamed(db: Db, staffUserIds: readonly string[]) {
  if (staffUserIds.length === 0) return []
  return db
    .selectFrom('staff_summary')
    .select(['id', 'username', 'display_name as displayName'])
    .where('id', 'in', [...staffUserIds])
    .execute()
}

/** The current allocations at a prison (`a`), with the person (`p`) each is of. */
function currentAllocationsAt(db: Db, establishmentCode: string) {
  return currentAllocationsOfPeopleAt(db, establishmentCode).select([
    'p.id as personId',
    'p.prison_number as prisonNumber',
    'p.reception_on as receptionOn',
    'a.staff_user_id as staffUserId',
    'a.allocated_at as allocatedAt',
  ])
}

/** The people at a prison allocated to one officer now, by prison number. */
export async function caseloadAt(db: Db, establishmentCode: string, staffUserId: string) {
  return currentAllocationsAt(db, establishmentCode)
    .where('a.staff_user_id', '=', staffUserId)
    .orderBy('p.prison_number')
    .execute()
}

/** A person at a prison, with their current allocation if they have one; undefined for no one there. */
export async function personAt(db: Db, establishmentCode: string, prisonNumber: string) {
  const person = await onRollAt(db, establishmentCode, prisonNumber).select('p.id').executeTakeFirst()
  if (!person) return undefined
  const allocation = await currentAllocationsAt(db, establishmentCode)
    .where('a.person_id', '=', person.id)
    .executeTakeFirst()
  return { personId: person.id, allocation }
}

/** K4: the day of each person's last progress meeting, for those who have had one. Never what was said at it. */
export async function lastMeetingDates(db: Db, personIds: readonly string[]): Promise<Map<string, IsoDate>> {
  if (personIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('progress_meeting')
    .select(['person_id as personId', (eb) => eb.fn.max<IsoDate>('held_on').as('lastOn')])
    .where('person_id', 'in', [...personIds])
    .groupBy('person_id')
    .execute()
  return new Map(rows.map((row) => [row.personId, row.lastOn]))
}
