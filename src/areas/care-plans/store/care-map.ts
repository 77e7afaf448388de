import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'
import type { IsoDate } from '../../../db/schema.ts'

export async function insertActions(
  db: Db,
  rows: {
    carePlanId: string
    reviewId: string | null
    description: string
    owner: string
    dueOn: IsoDate
    createdAt: Date
    createdBy: string
  }[],
) {
  if (rows.length === 0) return
  await db
    .insertInto('care_map_action')
    .values(
      rows.map((row) => ({
        care_plan_id: row.carePlanId,
        review_id: row.reviewId,
        description: row.description,
        owner: row.owner,
        due_on: row.dueOn,
        created_at: row.createdAt,
        created_by: row.createdBy,
      })),
    )
    .execute()
}

export async function actionsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_map_action as a')
    .select([
      'a.id',
      'a.description',
      'a.owner',
      'a.due_on as dueOn',
      'a.completed_at as completedAt',
      (eb) => staffNameOf(eb, 'a.completed_by').as('completedByName'),
      'a.created_at as createdAt',
    ])
    .where('a.care_plan_id', '=', carePlanId)
    .orderBy('a.due_on')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute()
}

export async function completeAction(db: Db, carePlanId: string, actionId: string, at: Date, by: string) {
  const result = await db
    .updateTable('care_map_action')
    .set({ completed_at: at, completed_by: by })
    .where('id', '=', actionId)
    .where('care_plan_id', '=', carePlanId)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The care map actions of these plans past their date and not done, as of a London day. */
export async function overdueActionCounts(db: Db, carePlanIds: readonly string[], today: IsoDate) {
  if (carePlanIds.length === 0) return new Map<string, number>()
  const rows = await db
    .selectFrom('care_map_action')
    .select(['care_plan_id as carePlanId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('care_plan_id', 'in', [...carePlanIds])
    .where('completed_at', 'is', null)
    .where('due_on', '<', today)
    .groupBy('care_plan_id')
    .execute()
  return new Map(rows.map((row) => [row.carePlanId, Number(row.count)]))
}
