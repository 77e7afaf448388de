import type { Db } from '../../src/db/database.ts'
import type { JourneyStageName } from '../../src/db/schema.ts'

/** A journey stage as if recorded earlier; current unless `endedAt` is given. */
export async function givenStage(
  db: Db,
  values: {
    personId: string
    establishmentCode: string
    stage: JourneyStageName
    responsibleStaffUserId?: string | null
    startedAt: Date | string
    endedAt?: Date | string | null
    reason?: string
  },
): Promise<string> {
  const row = await db
    .insertInto('journey_stage')
    .values({
      person_id: values.personId,
      establishment_code: values.establishmentCode,
      stage: values.stage,
      responsible_staff_user_id: values.responsibleStaffUserId ?? null,
      started_at: new Date(values.startedAt),
      ended_at: values.endedAt ? new Date(values.endedAt) : null,
      reason: values.reason ?? '',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A current dedicated officer allocation. */
export async function givenDedicatedOfficer(db: Db, personId: string, staffUserId: string, allocatedAt: Date | string) {
  await db
    .insertInto('dedicated_officer_allocation')
    .values({
      person_id: personId,
      staff_user_id: staffUserId,
      allocated_at: new Date(allocatedAt),
      allocation_kind: 'manual',
    })
    .execute()
}
