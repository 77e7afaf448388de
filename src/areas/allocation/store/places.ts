/** Places in groups (`activity_allocation`): opened and closed, and read by group, person, prison and wing. */
import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { IsoDate } from '../../../db/schema.ts'
import { personNameColumns } from '../../../db/summaries.ts'

/**
 * Every current allocation in a prison's groups, by id (a person moved elsewhere is among them until a change
 * closes it). Narrowed by the group index, not joined: see `regimeFacts`.
 */
export async function currentAllocationsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_allocation')
    .select(['id', 'person_id as personId', 'group_id as groupUuid'])
    .where('ends_on', 'is', null)
    .where(
      'group_id',
      'in',
      db
        .selectFrom('activity_group')
        .select('id')
        .where(
          'activity_id',
          'in',
          db.selectFrom('activity').select('id').where('establishment_code', '=', establishmentCode),
        ),
    )
    .execute()
}

export async function endAllocations(db: Db, ids: readonly string[], endsOn: IsoDate, reason: string) {
  for (let start = 0; start < ids.length; start += 1000)
    await db
      .updateTable('activity_allocation')
      .set({ ends_on: endsOn, end_reason: reason })
      .where('id', 'in', ids.slice(start, start + 1000))
      .execute()
}

export async function insertAllocations(
  db: Db,
  rows: readonly { personId: string; groupUuid: string; startsOn?: IsoDate }[],
  values: { startsOn: IsoDate; createdAt: Date; createdBy: string | null; runId: string | null },
) {
  for (let start = 0; start < rows.length; start += 1000)
    await db
      .insertInto('activity_allocation')
      .values(
        rows.slice(start, start + 1000).map((row) => ({
          person_id: row.personId,
          group_id: row.groupUuid,
          starts_on: row.startsOn ?? values.startsOn,
          created_at: values.createdAt,
          created_by: values.createdBy,
          allocation_run_id: values.runId,
        })),
      )
      .execute()
}

/** The places held now (allocations not yet ended), as `x`: what a group's members and a timetable read. */
export function placesHeldNow(db: Db) {
  return db.selectFrom('activity_allocation as x').where('x.ends_on', 'is', null)
}

/** The places held now (`x`), each with its group (`g`) and the group's activity (`a`), to select from. */
export function placesHeldNowInGroups(db: Db) {
  return placesHeldNow(db)
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
}

/** The people in a group now, by name. */
export async function groupMembers(db: Db, groupId: string) {
  return placesHeldNow(db)
    .innerJoin('person_summary as p', 'p.id', 'x.person_id')
    .select([
      'x.id as allocationId',
      'p.id as personId',
      ...personNameColumns,
      'p.wing_name as wingName',
      'p.cell_label as cellLabel',
      'x.starts_on as startsOn',
    ])
    .where('x.group_id', '=', groupId)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .execute()
}

/** M3: each person at a prison with a current group, and how many sessions a week their groups meet. */
export async function sessionsPerWeekAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('person_summary as p', 'p.id', 'x.person_id')
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .select(['x.person_id as personId', sql<number>`sum(cardinality(g.slots))::int`.as('sessions')])
    .where('p.establishment_code', '=', establishmentCode)
    .where('x.ends_on', 'is', null)
    .groupBy('x.person_id')
    .execute()
}

/**
 * M3: the people at a prison with an assessed want for one of its activities still offered (a retired activity
 * is waited for by no one) and no place in any group of that activity now, with their reception and their latest needs assessment (when the wants they hold were recorded).
 */
export async function waitingForActivitiesAt(db: Db, establishmentCode: string) {
  // Built with Kysely's select, not raw SQL: the embedded database takes a raw statement for a write and
  // follows it with a query for the WAL position to sync.
  return db
    .selectFrom('person_summary as p')
    .select((eb) => [
      'p.id as personId',
      sql<IsoDate>`p.reception_on::text`.as('receptionOn'),
      eb
        .selectFrom('needs_assessment as n')
        .select(sql<IsoDate | null>`max(n.assessed_on)::text`.as('assessedOn'))
        .whereRef('n.person_id', '=', 'p.id')
        .as('assessedOn'),
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_activity_want as w')
          .innerJoin('activity as a', (join) =>
            join
              .onRef('a.id', '=', 'w.activity_id')
              .on('a.establishment_code', '=', establishmentCode)
              .on('a.is_active', '=', true),
          )
          .select(sql`1`.as('one'))
          .whereRef('w.person_id', '=', 'p.id')
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('activity_allocation as x')
                  .innerJoin('activity_group as g', 'g.id', 'x.group_id')
                  .select(sql`1`.as('one'))
                  .whereRef('x.person_id', '=', 'p.id')
                  .where('x.ends_on', 'is', null)
                  .whereRef('g.activity_id', '=', 'w.activity_id'),
              ),
            ),
          ),
      ),
    )
    .execute()
}

/** A person's current groups with what a timetable shows: activity, group, where and when. */
export async function personGroups(db: Db, personId: string) {
  return placesHeldNowInGroups(db)
    .select([
      'x.id as allocationId',
      'g.id as groupId',
      'g.code as groupCode',
      'a.code as activityCode',
      'a.name as activityName',
      'a.category',
      'g.location',
      'g.slots',
      'x.starts_on as startsOn',
    ])
    .where('x.person_id', '=', personId)
    .orderBy('a.name')
    .execute()
}

/** Who goes where from one wing in one slot: everyone on the wing whose current group meets then. */
export async function movementsFrom(db: Db, establishmentCode: string, wingCode: string, slot: string) {
  return placesHeldNowInGroups(db)
    .innerJoin('person_summary as p', 'p.id', 'x.person_id')
    .innerJoin('wing as w', 'w.id', 'p.wing_id')
    .select([
      ...personNameColumns,
      'p.cell_label as cellLabel',
      'g.id as groupId',
      'g.code as groupCode',
      'a.name as activityName',
      'g.location',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where('w.code', '=', wingCode)
    .where('g.is_active', '=', true)
    .where('a.is_active', '=', true)
    .where(sql<boolean>`${slot} = any(g.slots)`)
    .orderBy('g.location')
    .orderBy('a.name')
    .orderBy('p.cell_label')
    .orderBy('p.last_name')
    .execute()
}
