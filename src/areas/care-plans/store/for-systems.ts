import type { Db } from '../../../db/database.ts'

const planColumns = [
  'cp.id',
  'p.prison_number as prisonNumber',
  'cp.establishment_code as establishmentCode',
  'cp.opened_at as openedAt',
  'cp.closed_at as closedAt',
  'cp.post_closure_reviewed_at as postClosureReviewedAt',
  'cp.ended_reason as endedReason',
] as const

function plansWithPerson(db: Db) {
  return db.selectFrom('care_plan as cp').innerJoin('person_summary as p', 'p.id', 'cp.person_id').select(planColumns)
}

/** Plans in progress (open, or awaiting the post-closure review) held by a prison, by prison number. */
export async function plansInProgressHeldAt(db: Db, establishmentCode: string) {
  return plansWithPerson(db)
    .where('cp.establishment_code', '=', establishmentCode)
    .where('cp.post_closure_reviewed_at', 'is', null)
    .orderBy('p.prison_number')
    .orderBy('cp.opened_at')
    .execute()
}

/** Every plan of someone on a prison's roll, oldest first: none where no such person is there. */
export async function plansOfPersonAt(db: Db, establishmentCode: string, prisonNumber: string) {
  return plansWithPerson(db)
    .where('p.establishment_code', '=', establishmentCode)
    .where('p.prison_number', '=', prisonNumber)
    .orderBy('cp.opened_at')
    .execute()
}

export async function isOnRollAt(db: Db, establishmentCode: string, prisonNumber: string): Promise<boolean> {
  const row = await db
    .selectFrom('person_summary')
    .select('id')
    .where('establishment_code', '=', establishmentCode)
    .where('prison_number', '=', prisonNumber)
    .executeTakeFirst()
  return row !== undefined
}
