import type { Db } from '../../src/db/database.ts'
import type { StaffStatus, TrainingCourse } from '../../src/db/schema.ts'
import { givenStaffUser } from './builders.ts'

/** A training record for a staff member, as if recorded by hand. */
export async function givenTraining(
  db: Db,
  staffUserId: string,
  course: TrainingCourse,
  completedOn: string,
  expiresOn: string | null,
  options: { isJoint?: boolean } = {},
) {
  const row = await db
    .insertInto('training_record')
    .values({
      staff_user_id: staffUserId,
      course,
      completed_on: completedOn,
      expires_on: expiresOn,
      is_joint: options.isJoint ?? false,
      recorded_at: new Date(`${completedOn}T12:00:00Z`),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * An officer at the prison who may take people for key work: safeguarding (until `safeguarding`, or never when
 * null) and mental health first aid current, both done in January 2024; a key worker unless `role` says.
 */
export async function givenTrainedOfficer(
  db: Db,
  establishmentCode: string,
  options: { role?: 'keyworker' | 'officer'; safeguarding?: string | null; caseloadLimit?: number } = {},
) {
  const officer = await givenStaffUser(db, {
    role: options.role ?? 'keyworker',
    establishmentCodes: [establishmentCode],
  })
  const safeguarding = options.safeguarding === undefined ? '2027-06-01' : options.safeguarding
  if (safeguarding) await givenTraining(db, officer.id, 'safeguarding', '2024-01-01', safeguarding)
  await givenTraining(db, officer.id, 'mental-health-first-aid', '2024-01-01', '2027-06-01')
  if (options.caseloadLimit !== undefined)
    await givenStaffStatus(db, officer.id, { caseloadLimit: options.caseloadLimit })
  return officer
}

export async function givenStaffStatus(
  db: Db,
  staffUserId: string,
  values: {
    status?: StaffStatus
    reactivationOn?: string | null
    caseloadLimit?: number | null
    organisationId?: string | null
  },
) {
  await db
    .updateTable('staff_user')
    .set({
      ...(values.status ? { staff_status: values.status } : {}),
      ...(values.reactivationOn !== undefined ? { reactivation_on: values.reactivationOn } : {}),
      ...(values.caseloadLimit !== undefined ? { caseload_limit: values.caseloadLimit } : {}),
      ...(values.organisationId !== undefined ? { organisation_id: values.organisationId } : {}),
    })
    .where('id', '=', staffUserId)
    .execute()
}

let organisationCounter = 0
export async function givenOrganisation(
  db: Db,
  kind: 'prison-service' | 'charity' | 'provider' | 'health' | 'lived-experience' = 'charity',
  name?: string,
) {
  organisationCounter += 1
  const row = await db
    .insertInto('organisation')
    .values({ name: name ?? `Test organisation ${process.pid}-${organisationCounter}`, kind, services: 'Mentoring' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
