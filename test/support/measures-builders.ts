import type { Db } from '../../src/db/database.ts'

/** A month's figure kept for a measure, as the dashboard would have left it that month. */
export async function givenSnapshot(db: Db, establishmentCode: string, measure: string, month: string, value: number) {
  await db
    .insertInto('measure_snapshot')
    .values({
      establishment_code: establishmentCode,
      measure,
      month,
      value,
      recorded_at: new Date(`${month}-28T12:00:00Z`),
    })
    .execute()
}

/** A self-harm incident, as if recorded by hand. */
export async function givenIncident(
  db: Db,
  establishmentCode: string,
  personId: string,
  occurredAt: string,
  options: { onOpenCarePlan?: boolean; injury?: string } = {},
) {
  await db
    .insertInto('self_harm_incident')
    .values({
      establishment_code: establishmentCode,
      person_id: personId,
      occurred_at: new Date(occurredAt),
      method: 'cutting',
      injury: options.injury ?? 'minor',
      on_open_care_plan: options.onOpenCarePlan ?? false,
      recorded_at: new Date(occurredAt),
      recorded_by: null,
    })
    .execute()
}

/** The measures audit entries of a user, oldest first. */
export async function auditOfUser(db: Db, actorId: string, prefix: string) {
  const rows = await db
    .selectFrom('audit_event')
    .select(['action', 'details', 'person_id as personId'])
    .where('actor_id', '=', actorId)
    .where('action', 'like', `${prefix}%`)
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    ...row,
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as unknown,
  }))
}
