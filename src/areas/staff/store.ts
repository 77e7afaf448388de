import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { IsoDate, StaffStatus, TrainingCourse } from '../../db/schema.ts'

/** An expiry far enough ahead to mean "never expires", so a date comparison treats it as always current. */
export const NEVER_EXPIRES: IsoDate = '9999-12-31'

export type OfficerRow = {
  staffUserId: string
  displayName: string
  role: string
  isActive: boolean
  staffStatus: StaffStatus
  reactivationOn: IsoDate | null
  caseloadLimit: number | null
}

/** Officers and key workers who work at an establishment, whatever their status, in name order. */
export async function listOfficers(db: Db, establishmentCode: string): Promise<OfficerRow[]> {
  return db
    .selectFrom('staff_user as s')
    .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
    .select([
      's.id as staffUserId',
      's.display_name as displayName',
      's.role',
      's.is_active as isActive',
      's.staff_status as staffStatus',
      's.reactivation_on as reactivationOn',
      's.caseload_limit as caseloadLimit',
    ])
    .where('se.establishment_code', '=', establishmentCode)
    .where('s.role', 'in', ['officer', 'keyworker'])
    .orderBy('s.display_name')
    .orderBy('s.id')
    .execute()
}

export type LatestTraining = {
  staffUserId: string
  course: TrainingCourse
  completedOn: IsoDate
  expiresOn: IsoDate | null
  isJoint: boolean
}

/** Each staff member's most recent record of each course (latest completion; ties by latest expiry). */
export async function latestTrainingOf(db: Db, staffUserIds: readonly string[]): Promise<LatestTraining[]> {
  if (staffUserIds.length === 0) return []
  return db
    .selectFrom('training_record')
    .select([
      'staff_user_id as staffUserId',
      'course',
      'completed_on as completedOn',
      'expires_on as expiresOn',
      'is_joint as isJoint',
    ])
    .distinctOn(['staff_user_id', 'course'])
    .where('staff_user_id', 'in', [...staffUserIds])
    .orderBy('staff_user_id')
    .orderBy('course')
    .orderBy('completed_on', 'desc')
    .orderBy(sql`expires_on desc nulls first`)
    .orderBy('recorded_at', 'desc')
    .execute()
}
