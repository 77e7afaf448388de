import type { Db } from '../../../db/database.ts'
import { staffNameOf } from '../../../db/summaries.ts'

/** K1: the decisions about whether a person needs a specialist dedicated officer, newest first, with who made them. */
export async function specialistNeedDecisions(db: Db, personId: string) {
  return db
    .selectFrom('specialist_need_decision as d')
    .select([
      'd.id',
      'd.needs_specialist as needsSpecialist',
      'd.reason',
      'd.decided_at as decidedAt',
      (eb) => staffNameOf(eb, 'd.decided_by').as('decidedByName'),
    ])
    .where('d.person_id', '=', personId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .execute()
}

export async function insertSpecialistNeedDecision(
  db: Db,
  values: { personId: string; needsSpecialist: boolean; reason: string; decidedBy: string; decidedAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('specialist_need_decision')
    .values({
      person_id: values.personId,
      needs_specialist: values.needsSpecialist,
      reason: values.reason,
      decided_by: values.decidedBy,
      decided_at: values.decidedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
