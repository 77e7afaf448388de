import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'

/** Constant supervision: who watches from when. Each handover is a new row, so the watch has no gap. */
export async function insertConstantWatch(
  db: Db,
  values: { carePlanId: string; officerId: string | null; startedAt: Date; recordedBy: string; recordedAt: Date },
) {
  await db
    .insertInto('care_plan_constant_watch')
    .values({
      care_plan_id: values.carePlanId,
      officer_id: values.officerId,
      started_at: values.startedAt,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .execute()
}

export async function setConstantOfficer(db: Db, id: string, officerId: string) {
  await db.updateTable('care_plan').set({ constant_officer_id: officerId }).where('id', '=', id).execute()
}

export async function constantWatchesOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_constant_watch as w')
    .select([
      'w.id',
      (eb) => staffNameOf(eb, 'w.officer_id').as('officerName'),
      'w.started_at as startedAt',
      (eb) => staffNameOf(eb, 'w.recorded_by').$notNull().as('recordedByName'),
    ])
    .where('w.care_plan_id', '=', carePlanId)
    .orderBy('w.seq')
    .execute()
}
