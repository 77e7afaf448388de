import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'

export async function insertFamilyEvent(
  db: Db,
  values: {
    carePlanId: string
    kind: 'consent-given' | 'consent-withdrawn' | 'contact'
    familyMember: string
    occurredAt: Date
    notes: string
    recordedBy: string
    recordedAt: Date
  },
) {
  const row = await db
    .insertInto('care_plan_family_event')
    .values({
      care_plan_id: values.carePlanId,
      kind: values.kind,
      family_member: values.familyMember,
      occurred_at: values.occurredAt,
      notes: values.notes,
      recorded_by: values.recordedBy,
      recorded_at: values.recordedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function familyEventsOf(db: Db, carePlanId: string) {
  return db
    .selectFrom('care_plan_family_event as f')
    .select([
      'f.id',
      'f.kind',
      'f.family_member as familyMember',
      'f.occurred_at as occurredAt',
      'f.notes',
      (eb) => staffNameOf(eb, 'f.recorded_by').$notNull().as('recordedByName'),
    ])
    .where('f.care_plan_id', '=', carePlanId)
    .orderBy('f.occurred_at')
    .orderBy('f.seq')
    .execute()
}
