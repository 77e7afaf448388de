import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { ActivityCategory, DeliveryMode } from '../../../db/schema.ts'
import type { ActivityGroup, ActivityInput, GroupInput } from '../rules.ts'

// ---------------------------------------------------------------------------------------------------------
// The offer

export type ActivitySummary = {
  id: string
  code: string
  name: string
  category: ActivityCategory
  deliveryMode: DeliveryMode
  providerOrganisationId: string | null
  providerName: string | null
  description: string
  isActive: boolean
  groupCount: number
  places: number
}

/** What a page shows of an activity, with its provider's name (from the join of `organisation as o`). */
const activityColumns = [
  'a.id',
  'a.code',
  'a.name',
  'a.category',
  'a.delivery_mode as deliveryMode',
  'a.provider_organisation_id as providerOrganisationId',
  'o.name as providerName',
  'a.description',
  'a.is_active as isActive',
] as const

export async function listActivities(
  db: Db,
  establishmentCode: string,
  filter: { category?: string | undefined; includeRetired?: boolean } = {},
): Promise<ActivitySummary[]> {
  let query = db
    .selectFrom('activity as a')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .leftJoin('activity_group as g', (join) => join.onRef('g.activity_id', '=', 'a.id').on('g.is_active', '=', true))
    .select([
      ...activityColumns,
      (eb) => eb.fn.count<number>('g.id').as('groupCount'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('g.capacity'), eb.lit(0)).as('places'),
    ])
    .where('a.establishment_code', '=', establishmentCode)
    .groupBy(['a.id', 'o.name'])
    .orderBy('a.category')
    .orderBy('a.name')
  if (filter.category) query = query.where('a.category', '=', filter.category as ActivityCategory)
  if (!filter.includeRetired) query = query.where('a.is_active', '=', true)
  const rows = await query.execute()
  return rows.map((row) => ({ ...row, groupCount: Number(row.groupCount), places: Number(row.places) }))
}

export async function findActivity(db: Db, establishmentCode: string, code: string) {
  return db
    .selectFrom('activity as a')
    .leftJoin('organisation as o', 'o.id', 'a.provider_organisation_id')
    .select([...activityColumns])
    .where('a.establishment_code', '=', establishmentCode)
    .where('a.code', '=', code)
    .executeTakeFirst()
}

export async function activityCodes(db: Db, establishmentCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('activity')
    .select('code')
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => row.code)
}

export async function insertActivity(db: Db, establishmentCode: string, activity: ActivityInput, createdAt: Date) {
  const row = await db
    .insertInto('activity')
    .values({
      establishment_code: establishmentCode,
      code: activity.code,
      name: activity.name,
      category: activity.category,
      provider_organisation_id: activity.providerOrganisationId,
      delivery_mode: activity.deliveryMode,
      description: activity.description,
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The code stays: it is the allocator's id, and exported problems and timetables name it. */
export async function updateActivity(db: Db, activityId: string, activity: Omit<ActivityInput, 'code'>) {
  await db
    .updateTable('activity')
    .set({
      name: activity.name,
      category: activity.category,
      provider_organisation_id: activity.providerOrganisationId,
      delivery_mode: activity.deliveryMode,
      description: activity.description,
    })
    .where('id', '=', activityId)
    .execute()
}

export async function setActivityActive(db: Db, activityId: string, isActive: boolean) {
  await db.updateTable('activity').set({ is_active: isActive }).where('id', '=', activityId).execute()
}

export async function groupsOf(db: Db, activityId: string): Promise<ActivityGroup[]> {
  return db
    .selectFrom('activity_group')
    .select(['id', 'code', 'location', 'slots', 'capacity', 'min_size as minSize', 'cohorts', 'is_active as isActive'])
    .where('activity_id', '=', activityId)
    .orderBy('is_active', 'desc')
    .orderBy('code')
    .execute()
}

export async function insertGroup(db: Db, activityId: string, group: GroupInput) {
  await db
    .insertInto('activity_group')
    .values({
      activity_id: activityId,
      code: group.code,
      location: group.location,
      slots: group.slots,
      capacity: group.capacity,
      min_size: group.minSize,
      cohorts: group.cohorts.length > 0 ? group.cohorts : null,
    })
    .execute()
}

export async function updateGroup(db: Db, groupId: string, group: Omit<GroupInput, 'code'>) {
  await db
    .updateTable('activity_group')
    .set({
      location: group.location,
      slots: group.slots,
      capacity: group.capacity,
      min_size: group.minSize,
      cohorts: group.cohorts.length > 0 ? group.cohorts : null,
    })
    .where('id', '=', groupId)
    .execute()
}

export async function setGroupActive(db: Db, groupId: string, isActive: boolean) {
  await db.updateTable('activity_group').set({ is_active: isActive }).where('id', '=', groupId).execute()
}

export async function retireGroupsOf(db: Db, activityId: string) {
  await db.updateTable('activity_group').set({ is_active: false }).where('activity_id', '=', activityId).execute()
}

/** The groups that run at a prison (`g`): active, of an activity (`a`) still offered. */
function runningGroupsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_group as g')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .where('a.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .where('g.is_active', '=', true)
}

/** The slots of active groups that meet outside a usable day about to be saved, for the refusal. */
export async function groupsUsingSlots(db: Db, establishmentCode: string) {
  return runningGroupsAt(db, establishmentCode).select(['a.code as activityCode', 'g.code', 'g.slots']).execute()
}

export async function needsOfActivity(db: Db, activityId: string): Promise<string[]> {
  const rows = await db.selectFrom('need_activity').select('need').where('activity_id', '=', activityId).execute()
  return rows.map((row) => row.need).sort()
}

export async function replaceNeedsOfActivity(
  db: Db,
  establishmentCode: string,
  activityId: string,
  needs: readonly string[],
) {
  await db.deleteFrom('need_activity').where('activity_id', '=', activityId).execute()
  if (needs.length > 0)
    await db
      .insertInto('need_activity')
      .values(needs.map((need) => ({ establishment_code: establishmentCode, need, activity_id: activityId })))
      .execute()
}

/** need -> the active activities that meet it, at one prison. */
export async function needActivities(db: Db, establishmentCode: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('need_activity as n')
    .innerJoin('activity as a', 'a.id', 'n.activity_id')
    .select(['n.need', 'n.activity_id as activityId'])
    .where('n.establishment_code', '=', establishmentCode)
    .where('a.is_active', '=', true)
    .orderBy('a.code')
    .execute()
  const map = new Map<string, string[]>()
  for (const row of rows) map.set(row.need, [...(map.get(row.need) ?? []), row.activityId])
  return map
}

/** R8: the places (group capacities) mapped to each need, by the cohorts each group admits. */
export async function placesByNeed(db: Db, establishmentCode: string) {
  return runningGroupsAt(db, establishmentCode)
    .innerJoin('need_activity as n', 'n.activity_id', 'a.id')
    .select(['n.need', 'g.capacity', 'g.cohorts'])
    .where('n.establishment_code', '=', establishmentCode)
    .execute()
}

/** R3 against R2: the places a week (capacity times slots) of active groups, by category. */
export async function sessionsByCategory(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await runningGroupsAt(db, establishmentCode)
    .select(['a.category', sql<number>`sum(g.capacity * cardinality(g.slots))`.as('places')])
    .groupBy('a.category')
    .execute()
  return new Map(rows.map((row) => [row.category, Number(row.places)]))
}
