import type { Db } from '../../../db/database.ts'
import type { IsoDate, TrainingCourse } from '../../../db/schema.ts'

/**
 * Which of these staff hold a current record of a course (the latest completion not expired). Reads the
 * staff area's training records for one purpose: ACCT assessors and case managers must be trained (S3).
 */
export async function currentlyTrained(
  db: Db,
  staffUserIds: readonly string[],
  course: TrainingCourse,
  today: IsoDate,
): Promise<Set<string>> {
  if (staffUserIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('training_record')
    .select('staff_user_id as staffUserId')
    .where('staff_user_id', 'in', [...staffUserIds])
    .where('course', '=', course)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .execute()
  return new Set(rows.map((row) => row.staffUserId))
}
