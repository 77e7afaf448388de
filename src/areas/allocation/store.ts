import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { AllocationRunState, IsoDate } from '../../db/schema.ts'
import { defaultRegimePolicy, groupIdOf, separatingLevels, type RegimeFacts, type RegimePolicy } from './rules.ts'

export async function findRegimePolicy(db: Db, establishmentCode: string): Promise<RegimePolicy> {
  const row = await db
    .selectFrom('regime_policy')
    .select([
      'max_sessions_per_person as maxSessionsPerPerson',
      'fairness_target_sessions as fairnessTargetSessions',
      'fairness_weight as fairnessWeight',
      'continuity_bonus as continuityBonus',
    ])
    .where('establishment_code', '=', establishmentCode)
    .executeTakeFirst()
  return row
    ? {
        maxSessionsPerPerson: row.maxSessionsPerPerson,
        fairnessTargetSessions: row.fairnessTargetSessions,
        fairnessWeight: Number(row.fairnessWeight),
        continuityBonus: Number(row.continuityBonus),
      }
    : defaultRegimePolicy
}

/** Everything the allocator's problem is built from, for one prison: a handful of set-based queries. */
export async function regimeFacts(db: Db, establishmentCode: string): Promise<RegimeFacts> {
  const [policy, slots, groupRows, people, wants, unavailable, current, cohortSeparations, nonAssociations] =
    await Promise.all([
      findRegimePolicy(db, establishmentCode),
      db.selectFrom('regime_slot').select('slot').where('establishment_code', '=', establishmentCode).execute(),
      db
        .selectFrom('activity as a')
        .leftJoin('activity_group as g', (join) =>
          join.onRef('g.activity_id', '=', 'a.id').on('g.is_active', '=', true),
        )
        .select([
          'a.code as activityCode',
          'a.category',
          'g.code as groupCode',
          'g.slots',
          'g.capacity',
          'g.min_size as minSize',
          'g.cohorts',
        ])
        .where('a.establishment_code', '=', establishmentCode)
        .where('a.is_active', '=', true)
        .orderBy('a.code')
        .orderBy('g.code')
        .execute(),
      db
        .selectFrom('person')
        .select([
          'prison_number as prisonNumber',
          'cohort',
          'date_of_birth as dateOfBirth',
          'sex',
          'ethnicity',
          'religion',
          'disability',
        ])
        .where('establishment_code', '=', establishmentCode)
        .orderBy('prison_number')
        .execute(),
      db
        .selectFrom('person_activity_want as w')
        .innerJoin('person as p', 'p.id', 'w.person_id')
        .innerJoin('activity as a', 'a.id', 'w.activity_id')
        .select(['p.prison_number as prisonNumber', 'a.code as activityCode', 'w.weight'])
        .where('p.establishment_code', '=', establishmentCode)
        .where('a.establishment_code', '=', establishmentCode)
        .execute(),
      db
        .selectFrom('person_unavailable_slot as u')
        .innerJoin('person as p', 'p.id', 'u.person_id')
        .select(['p.prison_number as prisonNumber', 'u.slot'])
        .where('p.establishment_code', '=', establishmentCode)
        .execute(),
      db
        .selectFrom('activity_allocation as x')
        .innerJoin('person as p', 'p.id', 'x.person_id')
        .innerJoin('activity_group as g', 'g.id', 'x.group_id')
        .innerJoin('activity as a', 'a.id', 'g.activity_id')
        .select(['p.prison_number as prisonNumber', 'a.code as activityCode', 'g.code as groupCode'])
        .where('p.establishment_code', '=', establishmentCode)
        .where('a.establishment_code', '=', establishmentCode)
        .where('x.ends_on', 'is', null)
        .execute(),
      db
        .selectFrom('cohort_separation')
        .select(['cohort_a as a', 'cohort_b as b'])
        .where('establishment_code', '=', establishmentCode)
        .orderBy('cohort_a')
        .orderBy('cohort_b')
        .execute(),
      db
        .selectFrom('non_association as n')
        .innerJoin('person as pa', 'pa.id', 'n.person_a_id')
        .innerJoin('person as pb', 'pb.id', 'n.person_b_id')
        .select(['pa.prison_number as a', 'pb.prison_number as b'])
        .where('n.closed_at', 'is', null)
        .where('n.level', 'in', separatingLevels)
        .where('pa.establishment_code', '=', establishmentCode)
        .where('pb.establishment_code', '=', establishmentCode)
        .orderBy('pa.prison_number')
        .orderBy('pb.prison_number')
        .execute(),
    ])

  type FactGroup = RegimeFacts['activities'][number]['groups'][number]
  const activities = new Map<string, { code: string; category: string; groups: FactGroup[] }>()
  for (const row of groupRows) {
    let activity = activities.get(row.activityCode)
    if (!activity) {
      activity = { code: row.activityCode, category: row.category, groups: [] }
      activities.set(row.activityCode, activity)
    }
    if (row.groupCode !== null && row.slots !== null && row.capacity !== null)
      activity.groups.push({
        code: row.groupCode,
        slots: row.slots,
        capacity: row.capacity,
        minSize: row.minSize ?? 0,
        cohorts: row.cohorts,
      })
  }
  return {
    policy,
    slots: slots.map((row) => row.slot),
    activities: [...activities.values()],
    people,
    wants: wants.map((row) => ({ ...row, weight: Number(row.weight) })),
    unavailable,
    current: current.map((row) => ({
      prisonNumber: row.prisonNumber,
      groupId: groupIdOf(row.activityCode, row.groupCode),
    })),
    cohortSeparations: cohortSeparations.map((row) => [row.a, row.b]),
    nonAssociations: nonAssociations.map((row) => [row.a, row.b]),
  }
}

export type RunRow = {
  id: string
  establishmentCode: string
  source: 'solver' | 'import'
  state: AllocationRunState
  timeBudgetMs: number
  requestedAt: Date
  requestedBy: string | null
  requestedByName: string | null
  solvingStartedAt: Date | null
  finishedAt: Date | null
  error: string | null
  acceptedAt: Date | null
  acceptedByName: string | null
}

function runs(db: Db) {
  return db
    .selectFrom('allocation_run as r')
    .leftJoin('staff_user as requester', 'requester.id', 'r.requested_by')
    .leftJoin('staff_user as accepter', 'accepter.id', 'r.accepted_by')
    .select([
      'r.id',
      'r.establishment_code as establishmentCode',
      'r.source',
      'r.state',
      'r.time_budget_ms as timeBudgetMs',
      'r.requested_at as requestedAt',
      'r.requested_by as requestedBy',
      'requester.display_name as requestedByName',
      'r.solving_started_at as solvingStartedAt',
      'r.finished_at as finishedAt',
      'r.error',
      'r.accepted_at as acceptedAt',
      'accepter.display_name as acceptedByName',
    ])
}

export async function listRuns(db: Db, establishmentCode: string, limit = 20): Promise<RunRow[]> {
  return runs(db)
    .where('r.establishment_code', '=', establishmentCode)
    .orderBy('r.requested_at', 'desc')
    .limit(limit)
    .execute()
}

export async function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  return runs(db).where('r.id', '=', id).executeTakeFirst()
}

/** The run's stored JSON: problem, timetable and verdict. */
export async function findRunData(db: Db, id: string) {
  return db
    .selectFrom('allocation_run')
    .select(['problem', 'timetable', 'result'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function runUnderWay(db: Db, establishmentCode: string) {
  return db
    .selectFrom('allocation_run')
    .select('id')
    .where('establishment_code', '=', establishmentCode)
    .where('state', 'in', ['waiting', 'building', 'solving'])
    .executeTakeFirst()
}

export async function insertRun(
  db: Db,
  run: {
    establishmentCode: string
    source: 'solver' | 'import'
    state: AllocationRunState
    timeBudgetMs: number
    requestedAt: Date
    requestedBy: string | null
    problem?: string
    timetable?: string
    result?: string
    finishedAt?: Date
  },
): Promise<string> {
  const row = await db
    .insertInto('allocation_run')
    .values({
      establishment_code: run.establishmentCode,
      source: run.source,
      state: run.state,
      time_budget_ms: run.timeBudgetMs,
      requested_at: run.requestedAt,
      requested_by: run.requestedBy,
      problem: run.problem ?? null,
      timetable: run.timetable ?? null,
      result: run.result ?? null,
      finished_at: run.finishedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Moves a run on from one of `from`; returns false when it was in none of them (another worker had it). */
export async function moveRun(
  db: Db,
  id: string,
  from: readonly AllocationRunState[],
  to: AllocationRunState,
  values: {
    solvingStartedAt?: Date
    finishedAt?: Date
    problem?: string
    timetable?: string
    result?: string
    error?: string
    acceptedAt?: Date
    acceptedBy?: string
  } = {},
): Promise<boolean> {
  const result = await db
    .updateTable('allocation_run')
    .set({
      state: to,
      ...(values.solvingStartedAt ? { solving_started_at: values.solvingStartedAt } : {}),
      ...(values.finishedAt ? { finished_at: values.finishedAt } : {}),
      ...(values.problem !== undefined ? { problem: values.problem } : {}),
      ...(values.timetable !== undefined ? { timetable: values.timetable } : {}),
      ...(values.result !== undefined ? { result: values.result } : {}),
      ...(values.error !== undefined ? { error: values.error } : {}),
      ...(values.acceptedAt ? { accepted_at: values.acceptedAt, accepted_by: values.acceptedBy ?? null } : {}),
    })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Locks the run for the accepting transaction, so two managers accepting at once cannot both succeed. */
export async function lockRun(db: Db, id: string) {
  return db
    .selectFrom('allocation_run')
    .select(['id', 'establishment_code as establishmentCode', 'state', 'timetable'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function supersedeProposals(db: Db, establishmentCode: string, exceptId: string) {
  await db
    .updateTable('allocation_run')
    .set({ state: 'superseded' })
    .where('establishment_code', '=', establishmentCode)
    .where('state', '=', 'proposed')
    .where('id', '!=', exceptId)
    .execute()
}

/** Every current allocation of the people at a prison, with the allocator's ids of person and group. */
export async function currentAllocationsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('person as p', 'p.id', 'x.person_id')
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select([
      'x.id',
      'x.person_id as personId',
      'x.group_id as groupUuid',
      'p.prison_number as prisonNumber',
      'a.code as activityCode',
      'g.code as groupCode',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where('x.ends_on', 'is', null)
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

/** People at a prison by prison number, with their wing and cell, for lists and for the allocator's ids. */
export async function peopleAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('person as p')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
    .select([
      'p.id',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'p.cohort',
      'w.code as wingCode',
      'w.name as wingName',
      'c.label as cellLabel',
      'p.reception_on as receptionOn',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .execute()
}

export type GroupRow = {
  id: string
  code: string
  activityId: string
  activityCode: string
  activityName: string
  category: string
  location: string
  slots: string[]
  capacity: number
  minSize: number
  cohorts: string[] | null
  isActive: boolean
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
  const rows = await db
    .selectFrom('activity_allocation as x')
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select(['x.group_id as groupId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.establishment_code', '=', establishmentCode)
    .where('x.ends_on', 'is', null)
    .groupBy('x.group_id')
    .execute()
  return new Map(rows.map((row) => [row.groupId, Number(row.count)]))
}

/** The people in a group now, by name. */
export async function groupMembers(db: Db, groupId: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('person as p', 'p.id', 'x.person_id')
    .leftJoin('cell as c', 'c.id', 'p.cell_id')
    .leftJoin('wing as w', 'w.id', 'c.wing_id')
    .select([
      'x.id as allocationId',
      'p.id as personId',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'w.name as wingName',
      'c.label as cellLabel',
      'x.starts_on as startsOn',
    ])
    .where('x.group_id', '=', groupId)
    .where('x.ends_on', 'is', null)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.prison_number')
    .execute()
}

/** A person's current groups with what a timetable shows: activity, group, where and when. */
export async function personGroups(db: Db, personId: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
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
    .where('x.ends_on', 'is', null)
    .orderBy('a.name')
    .execute()
}

/** Who goes where from one wing in one slot: everyone on the wing whose current group meets then. */
export async function movementsFrom(db: Db, establishmentCode: string, wingCode: string, slot: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('person as p', 'p.id', 'x.person_id')
    .innerJoin('cell as c', 'c.id', 'p.cell_id')
    .innerJoin('wing as w', 'w.id', 'c.wing_id')
    .innerJoin('activity_group as g', 'g.id', 'x.group_id')
    .innerJoin('activity as a', 'a.id', 'g.activity_id')
    .select([
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.last_name as lastName',
      'c.label as cellLabel',
      'g.id as groupId',
      'g.code as groupCode',
      'a.name as activityName',
      'g.location',
    ])
    .where('p.establishment_code', '=', establishmentCode)
    .where('w.code', '=', wingCode)
    .where('x.ends_on', 'is', null)
    .where('g.is_active', '=', true)
    .where('a.is_active', '=', true)
    .where(sql<boolean>`${slot} = any(g.slots)`)
    .orderBy('g.location')
    .orderBy('a.name')
    .orderBy('c.label')
    .orderBy('p.last_name')
    .execute()
}

export async function wingsAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('wing')
    .select(['code', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .orderBy('code')
    .execute()
}

export async function activityNames(db: Db, establishmentCode: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('activity')
    .select(['code', 'name'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return new Map(rows.map((row) => [row.code, row.name]))
}

export async function findEstablishmentName(db: Db, code: string) {
  const row = await db.selectFrom('establishment').select('name').where('code', '=', code).executeTakeFirst()
  return row?.name ?? code
}

export async function usableSlots(db: Db, establishmentCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('regime_slot')
    .select('slot')
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => row.slot)
}
