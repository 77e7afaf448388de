/** What allocation reads of the prison itself: its wings, slots, activities' names and people's numbers. */
import type { Db } from '../../../db/database.ts'

export async function wingsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('wing')
    .select(['code', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .orderBy('code')
    .execute()
}

export async function activityNames(db: Db, establishmentCode: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('activity')
    .select(['code', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.code, row.name]))
}

export async function findEstablishmentName(db: Db, code: string) {
  const row = await db.selectFrom('establishment').select('name').where('code', '=', code).executeTakeFirst()
  return row?.name ?? code
}

export async function usableSlots(db: Db, establishmentCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('regime_slot')
    .select('slot')
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => row.slot)
}

/** Ids and prison numbers of the people at a prison: the allocator's ids. */
export async function prisonNumbersAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('person_summary')
    .select(['id', 'prison_number as prisonNumber'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
}
