import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'
import type { ReferralOutcome } from '../../../db/schema.ts'

export async function insertReferral(
  db: Db,
  values: { carePlanId: string; organisationId: string; reason: string; referredAt: Date; referredBy: string },
) {
  const row = await db
    .insertInto('care_plan_referral')
    .values({
      care_plan_id: values.carePlanId,
      organisation_id: values.organisationId,
      reason: values.reason,
      referred_at: values.referredAt,
      referred_by: values.referredBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function recordReferralOutcome(
  db: Db,
  carePlanId: string,
  referralId: string,
  values: { outcome: ReferralOutcome; notes: string; at: Date; by: string },
) {
  const result = await db
    .updateTable('care_plan_referral')
    .set({ outcome: values.outcome, outcome_notes: values.notes, outcome_at: values.at, outcome_by: values.by })
    .where('id', '=', referralId)
    .where('care_plan_id', '=', carePlanId)
    .where('outcome', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function referralsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_referral as r')
    .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
    .select([
      'r.id',
      'o.name as organisationName',
      'r.reason',
      'r.referred_at as referredAt',
      (eb) => staffNameOf(eb, 'r.referred_by').$notNull().as('referredByName'),
      'r.outcome',
      'r.outcome_notes as outcomeNotes',
      'r.outcome_at as outcomeAt',
    ])
    .where('r.care_plan_id', '=', carePlanId)
    .orderBy('r.referred_at')
    .execute()
}
