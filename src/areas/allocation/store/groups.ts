/** The prison's activity groups with their activity, and their sizes now. */
import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { ActivityGroup } from '../../regime/rules.ts'
import { placesHeldNowInGroups } from './places.ts'

/** A group with its activity; active only while both the group and its activity are. */
export type GroupRow = ActivityGroup & {
  activityId: string
  activityCode: string
  activityName: string
  category: string
  establishmentCode: string
}

function groups(db: Db) {
  return db
    .selectFrom('activity_group as g')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select([
      'g.id',
      'g.code',
      'a.id as activityId',
      'a.code as activityCode',
      'a.name as activityName',
      'a.category',
      'g.location',
      'g.slots',
      'g.capacity',
      'g.min_size as minSize',
      'g.cohorts',
      sql<boolean>`g.is_active and a.is_active`.as('isActive'),
      'a.establishment_code as establishmentCode',
    ])
}

/** Every group at a prison, active or not, by activity name. */
export async function groupsAt(db: Db, establishmentCode: string): Promise<GroupRow[]> {
  return groups(db).where('a.establishment_code', '=', establishmentCode).orderBy('a.name').orderBy('g.code').execute()
}

export async function findGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  return groups(db).where('g.id', '=', id).executeTakeFirst()
}

/** Current group sizes at a prison, by group id. */
export async function groupSizes(db: Db, establishmentCode: string): Promise<Map<string, number>> {
  const rows = await placesHeldNowInGroups(db)
    .select(['x.group_id as groupId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.establishment_code', '=', establishmentCode)
    .groupBy('x.group_id')
    .execute()
  return new Map(rows.map((row) => [row.groupId, Number(row.count)]))
}
