import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { idList, idsIn } from '../../../db/id-lists.ts'
import type { DeallocationReason, IsoDate } from '../../../db/schema.ts'
import { londonDayOf } from './statistics.ts'

export type AllocationRow = {
  id: string
  personId: string
  staffUserId: string
  allocatedAt: Date
  allocationKind: 'manual' | 'recommended' | 'specialist'
  endedAt: Date | null
  endReason: DeallocationReason | null
}

const allocationColumns = [
  'a.id',
  'a.person_id as personId',
  'a.staff_user_id as staffUserId',
  'a.allocated_at as allocatedAt',
  'a.allocation_kind as allocationKind',
  'a.ended_at as endedAt',
  'a.end_reason as endReason',
] as const

/** The current allocations of these people, with the establishment each person is in. */
export async function currentAllocations(db: Db, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person_summary as p', 'p.id', 'a.person_id')
    .select([...allocationColumns, 'p.establishment_code as establishmentCode'])
    .where('a.person_id', 'in', personIds)
    .where('a.ended_at', 'is', null)
    .execute()
}

/** Every allocation of a person, newest first. */
export async function allocationHistory(db: Db, personId: string): Promise<AllocationRow[]> {
  return db
    .selectFrom('dedicated_officer_allocation as a')
    .select(allocationColumns)
    .where('a.person_id', '=', personId)
    .orderBy('a.allocated_at', 'desc')
    .orderBy('a.id')
    .execute()
}

/** Previous officers of each person, most recent first, for continuity. */
export async function previousOfficers(db: Db, personIds: readonly string[]) {
  const history = new Map<string, string[]>()
  if (personIds.length === 0) return history
  const rows = await db
    .selectFrom('dedicated_officer_allocation')
    .select(['person_id as personId', 'staff_user_id as staffUserId'])
    .where('person_id', 'in', personIds)
    .where('ended_at', 'is not', null)
    .orderBy('ended_at', 'desc')
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = history.get(row.personId) ?? []
    if (!list.includes(row.staffUserId)) list.push(row.staffUserId)
    history.set(row.personId, list)
  }
  return history
}

/** The current allocations of the people now at an establishment (`a`, with the person as `p`). */
export function currentAllocationsOfPeopleAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('dedicated_officer_allocation as a')
    .innerJoin('person_summary as p', 'p.id', 'a.person_id')
    .where('p.establishment_code', '=', establishmentCode)
    .where('a.ended_at', 'is', null)
}

/** How many people each officer has now, counting only people at the establishment. */
export async function caseloadCounts(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await currentAllocationsOfPeopleAt(db, establishmentCode)
    .select(['a.staff_user_id as staffUserId', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('a.staff_user_id')
    .execute()
  return new Map(rows.map((row) => [row.staffUserId, Number(row.count)]))
}

/**
 * K1: the key work sessions due over a period from the people now at an establishment, counted as `deliveryOver`
 * counts them (one for each whole interval of the days of the period each was allocated, from the London day of
 * their current allocation, the period's last day included) but summed here: one row, whatever the roll.
 */
export async function sessionsDueAt(
  db: Db,
  establishmentCode: string,
  period: { from: IsoDate; to: IsoDate },
  intervalDays: number,
): Promise<number> {
  const coveredFrom = sql<IsoDate>`greatest(${londonDayOf(sql.ref('a.allocated_at'))}, ${period.from}::date)`
  const row = await currentAllocationsOfPeopleAt(db, establishmentCode)
    .select(sql<string>`coalesce(sum((${period.to}::date - ${coveredFrom} + 1) / ${intervalDays}::int), 0)`.as('due'))
    .where(sql<boolean>`${coveredFrom} <= ${period.to}::date`)
    .executeTakeFirstOrThrow()
  return Number(row.due)
}

export async function endAllocation(
  db: Db,
  personId: string,
  values: { endedAt: Date; endedBy: string | null; reason: DeallocationReason },
) {
  return db
    .updateTable('dedicated_officer_allocation')
    .set({ ended_at: values.endedAt, ended_by: values.endedBy, end_reason: values.reason })
    .where('person_id', '=', personId)
    .where('ended_at', 'is', null)
    .returning(['id', 'staff_user_id as staffUserId'])
    .executeTakeFirst()
}

export async function insertAllocation(
  db: Db,
  values: {
    personId: string
    staffUserId: string
    allocatedAt: Date
    allocatedBy: string | null
    kind: 'manual' | 'recommended' | 'specialist'
  },
) {
  const row = await db
    .insertInto('dedicated_officer_allocation')
    .values({
      person_id: values.personId,
      staff_user_id: values.staffUserId,
      allocated_at: values.allocatedAt,
      allocated_by: values.allocatedBy,
      allocation_kind: values.kind,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The people now at an establishment who have a current allocation, as `allocationsAt` finds them, by id alone
 * and as one list (a row for each would cost the embedded database more than the ids do): for a count.
 */
export async function allocatedPeopleAt(db: Db, establishmentCode: string): Promise<Set<string>> {
  const row = await currentAllocationsOfPeopleAt(db, establishmentCode)
    .select(idList(sql`a.person_id`).as('personIds'))
    .executeTakeFirstOrThrow()
  return new Set(idsIn(row.personIds))
}

/** Current allocations at an establishment, person id to officer id and start. */
export async function allocationsAt(db: Db, establishmentCode: string) {
  const rows = await currentAllocationsOfPeopleAt(db, establishmentCode)
    .select(['a.person_id as personId', 'a.staff_user_id as staffUserId', 'a.allocated_at as allocatedAt'])
    .execute()
  return new Map(rows.map((row) => [row.personId, row]))
}
