import type { Db } from '../../../db/database.ts'
import { personNameColumns } from '../../../db/summaries.ts'

export async function insertChangeRequest(
  db: Db,
  values: {
    personId: string
    aboutStaffUserId: string
    reason: string
    raisedAt: Date
    raisedBy: string | null
    /** C1: the person asked themselves, through their own view. */
    raisedByPersonAccountId?: string | null
  },
) {
  const row = await db
    .insertInto('officer_change_request')
    .values({
      person_id: values.personId,
      about_staff_user_id: values.aboutStaffUserId,
      reason: values.reason,
      raised_at: values.raisedAt,
      raised_by: values.raisedBy,
      raised_by_person_account_id: values.raisedByPersonAccountId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** K2: whether a person already has a request to change officer that safer custody has not decided. */
export async function hasPendingChangeRequest(db: Db, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('officer_change_request')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row !== undefined
}

/** C1: the latest request a person made themselves, through their own view: when, and what was decided. */
export async function latestChangeRequestOfAccount(db: Db, personAccountId: string) {
  return db
    .selectFrom('officer_change_request')
    .select(['raised_at as raisedAt', 'status', 'decided_at as decidedAt'])
    .where('raised_by_person_account_id', '=', personAccountId)
    .orderBy('raised_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** M3: how many requests to change officer each person at a prison made since a date. */
export async function changeRequestCountsSince(db: Db, establishmentCode: string, since: Date) {
  return db
    .selectFrom('officer_change_request as r')
    .innerJoin('person_summary as p', 'p.id', 'r.person_id')
    .select(['r.person_id as personId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('p.establishment_code', '=', establishmentCode)
    .where('r.raised_at', '>=', since)
    .groupBy('r.person_id')
    .execute()
}

/** A request to change officer, with the person it is for: who it is about and where it stands. */
function changeRequests(db: Db) {
  return db
    .selectFrom('officer_change_request as r')
    .innerJoin('person_summary as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.person_id as personId', 'r.about_staff_user_id as aboutStaffUserId', 'r.status'])
}

/**
 * K2: change requests at an establishment, never those about `excludingStaffUserId` (the reader), so an
 * officer cannot read a request about themselves whatever their role.
 */
export async function changeRequestsAt(db: Db, establishmentCode: string, excludingStaffUserId: string) {
  return changeRequests(db)
    .select([
      ...personNameColumns,
      'r.reason',
      'r.raised_at as raisedAt',
      'r.outcome_reason as outcomeReason',
      'r.decided_at as decidedAt',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where('r.about_staff_user_id', '<>', excludingStaffUserId)
    .orderBy('r.status', 'desc')
    .orderBy('r.raised_at')
    .execute()
}

export async function findChangeRequest(db: Db, id: string) {
  return changeRequests(db)
    .select('p.establishment_code as establishmentCode')
    .where('r.id', '=', id)
    .executeTakeFirst()
}

export async function decideChangeRequest(
  db: Db,
  id: string,
  values: { status: 'agreed' | 'declined'; outcomeReason: string; decidedAt: Date; decidedBy: string },
) {
  const row = await db
    .updateTable('officer_change_request')
    .set({
      status: values.status,
      outcome_reason: values.outcomeReason,
      decided_at: values.decidedAt,
      decided_by: values.decidedBy,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()
  return Boolean(row)
}
