import type { Db } from '../../src/db/database.ts'
import type { ActivityCategory, AttendanceOutcome, IsoDate } from '../../src/db/schema.ts'
import { unique } from './builders.ts'

/** An activity with its groups at a prison; each group meets in the slots given. */
export async function givenActivity(
  db: Db,
  establishmentCode: string,
  options: {
    code?: string
    name?: string
    category?: ActivityCategory
    providerOrganisationId?: string | null
    groups?: { code?: string; slots: string[]; capacity?: number; minSize?: number; location?: string }[]
  } = {},
) {
  const code = options.code ?? unique('ACT-')
  const activity = await db
    .insertInto('activity')
    .values({
      establishment_code: establishmentCode,
      code,
      name: options.name ?? `Activity ${code}`,
      category: options.category ?? 'education',
      provider_organisation_id: options.providerOrganisationId ?? null,
      created_at: new Date('2026-01-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const groups = []
  for (const [index, group] of (options.groups ?? [{ slots: ['MON_AM', 'WED_AM'] }]).entries()) {
    const row = await db
      .insertInto('activity_group')
      .values({
        activity_id: activity.id,
        code: group.code ?? String.fromCharCode(97 + index),
        slots: group.slots,
        capacity: group.capacity ?? 12,
        min_size: group.minSize ?? 0,
        location: group.location ?? 'Education block',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    groups.push({ id: row.id, code: group.code ?? String.fromCharCode(97 + index), slots: group.slots })
  }
  return { id: activity.id, code, groups }
}

/** A person placed in a group from a date (and to one, if it has ended). */
export async function givenActivityAllocation(
  db: Db,
  personId: string,
  groupId: string,
  startsOn: IsoDate = '2026-10-01',
  endsOn: IsoDate | null = null,
) {
  await db
    .insertInto('activity_allocation')
    .values({
      person_id: personId,
      group_id: groupId,
      starts_on: startsOn,
      ends_on: endsOn,
      created_at: new Date(`${startsOn}T08:00:00Z`),
    })
    .execute()
}

export async function givenAttendance(
  db: Db,
  rows: { personId: string; groupId: string; sessionOn: IsoDate; slot: string; outcome: AttendanceOutcome }[],
) {
  if (rows.length === 0) return
  await db
    .insertInto('attendance')
    .values(
      rows.map((row) => ({
        person_id: row.personId,
        group_id: row.groupId,
        session_on: row.sessionOn,
        slot: row.slot,
        outcome: row.outcome,
        reason: row.outcome === 'attended' ? '' : 'recorded by a test',
        recorded_at: new Date(`${row.sessionOn}T12:00:00Z`),
      })),
    )
    .execute()
}

/** The prison's usable day: each slot with its times. */
export async function givenRegimeSlots(db: Db, establishmentCode: string, slots: Record<string, [string, string]>) {
  await db
    .insertInto('regime_slot')
    .values(
      Object.entries(slots).map(([slot, [startsAt, endsAt]]) => ({
        establishment_code: establishmentCode,
        slot,
        starts_at: startsAt,
        ends_at: endsAt,
      })),
    )
    .execute()
}

export async function givenWant(db: Db, personId: string, activityId: string, weight: number) {
  await db.insertInto('person_activity_want').values({ person_id: personId, activity_id: activityId, weight }).execute()
}
