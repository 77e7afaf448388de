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

/**
 * Everything the allocator's problem is built from, for one prison. Each query reads one table narrowed by an
 * index on the prison's activities or people, and ids are matched here rather than in joins: PGlite runs no
 * autovacuum, so its statistics can be stale by orders of magnitude, and a join planned on them went from
 * milliseconds to seconds. These plans do not depend on the statistics.
 */
export async function regimeFacts(db: Db, establishmentCode: string): Promise<RegimeFacts> {
  const prisonActivities = db.selectFrom('activity').select('id').where('establishment_code', '=', establishmentCode)
  const prisonPeople = db.selectFrom('person').select('id').where('establishment_code', '=', establishmentCode)
  // The big lists (people, wants, current places) come back as one JSON value each: PGlite hands rows across from
  // WebAssembly one by one, and 11,000 rows of wants took several times as long as the same data as one value.
  const [
    policy,
    slots,
    activityRows,
    groupRows,
    peopleJson,
    wantsJson,
    unavailable,
    currentJson,
    cohortSeparations,
    nonAssociations,
  ] = await Promise.all([
    findRegimePolicy(db, establishmentCode),
    db.selectFrom('regime_slot').select('slot').where('establishment_code', '=', establishmentCode).execute(),
    db
      .selectFrom('activity')
      .select(['id', 'code', 'category', 'is_active as isActive'])
      .where('establishment_code', '=', establishmentCode)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('activity_group')
      .select(['id', 'activity_id as activityId', 'code', 'slots', 'capacity', 'min_size as minSize', 'cohorts'])
      .where('activity_id', 'in', prisonActivities)
      .where('is_active', '=', true)
      .orderBy('code')
      .execute(),
    sql<{ list: string }>`
        select coalesce(json_agg(json_build_array(id, prison_number, cohort, date_of_birth, sex, ethnicity, religion,
          disability) order by prison_number), '[]')::text as list
        from person where establishment_code = ${establishmentCode}`.execute(db),
    sql<{ list: string }>`
        select coalesce(json_agg(json_build_array(person_id, activity_id, weight)), '[]')::text as list
        from person_activity_want
        where activity_id in (select id from activity where establishment_code = ${establishmentCode})`.execute(db),
    db
      .selectFrom('person_unavailable_slot')
      .select(['person_id as personId', 'slot'])
      .where('person_id', 'in', prisonPeople)
      .execute(),
    sql<{ list: string }>`
        select coalesce(json_agg(json_build_array(person_id, group_id)), '[]')::text as list
        from activity_allocation
        where ends_on is null and group_id in (
          select id from activity_group
          where activity_id in (select id from activity where establishment_code = ${establishmentCode}))`.execute(db),
    db
      .selectFrom('cohort_separation')
      .select(['cohort_a as a', 'cohort_b as b'])
      .where('establishment_code', '=', establishmentCode)
      .orderBy('cohort_a')
      .orderBy('cohort_b')
      .execute(),
    db
      .selectFrom('non_association')
      .select(['person_a_id as a', 'person_b_id as b'])
      .where('closed_at', 'is', null)
      .where('level', 'in', separatingLevels)
      .where('person_a_id', 'in', prisonPeople)
      .execute(),
  ])
  type Nullable = string | null
  const people = (
    JSON.parse(peopleJson.rows[0].list) as [string, string, string, string, Nullable, Nullable, Nullable, Nullable][]
  ).map(([id, prisonNumber, cohort, dateOfBirth, sex, ethnicity, religion, disability]) => ({
    id,
    prisonNumber,
    cohort,
    dateOfBirth,
    sex,
    ethnicity,
    religion,
    disability,
  }))
  const wants = (JSON.parse(wantsJson.rows[0].list) as [string, string, number][]).map(
    ([personId, activityId, weight]) => ({ personId, activityId, weight }),
  )
  const current = (JSON.parse(currentJson.rows[0].list) as [string, string][]).map(([personId, groupId]) => ({
    personId,
    groupId,
  }))

  const numberOf = new Map(people.map((person) => [person.id, person.prisonNumber]))
  const activityCodeOf = new Map(activityRows.filter((row) => row.isActive).map((row) => [row.id, row.code]))
  type FactGroup = RegimeFacts['activities'][number]['groups'][number]
  const activities = new Map<string, { code: string; category: string; groups: FactGroup[] }>()
  for (const row of activityRows)
    if (row.isActive) activities.set(row.id, { code: row.code, category: row.category, groups: [] })
  const groupIdOfUuid = new Map<string, string>()
  for (const row of groupRows) {
    const activity = activities.get(row.activityId)
    if (!activity) continue
    activity.groups.push({
      code: row.code,
      slots: row.slots,
      capacity: row.capacity,
      minSize: row.minSize,
      cohorts: row.cohorts,
    })
    groupIdOfUuid.set(row.id, groupIdOf(activity.code, row.code))
  }
  return {
    policy,
    slots: slots.map((row) => row.slot),
    activities: [...activities.values()],
    people: people.map(({ id: _id, ...person }) => person),
    wants: wants.flatMap((row) => {
      const prisonNumber = numberOf.get(row.personId)
      const activityCode = activityCodeOf.get(row.activityId)
      return prisonNumber && activityCode ? [{ prisonNumber, activityCode, weight: Number(row.weight) }] : []
    }),
    unavailable: unavailable.flatMap((row) => {
      const prisonNumber = numberOf.get(row.personId)
      return prisonNumber ? [{ prisonNumber, slot: row.slot }] : []
    }),
    current: current.flatMap((row) => {
      const prisonNumber = numberOf.get(row.personId)
      const groupId = groupIdOfUuid.get(row.groupId)
      return prisonNumber && groupId ? [{ prisonNumber, groupId }] : []
    }),
    cohortSeparations: cohortSeparations.map((row) => [row.a, row.b]),
    nonAssociations: nonAssociations.flatMap((row) => {
      const [a, b] = [numberOf.get(row.a), numberOf.get(row.b)]
      return a && b ? [[a, b] as [string, string]] : []
    }),
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
/** M3: each person at a prison with a current group, and how many sessions a week their groups meet. */
export async function sessionsPerWeekAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity_allocation as x')
    .innerJoin('person as p', 'p.id', 'x.person_id')
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
  const result = await sql<{ personId: string; receptionOn: IsoDate; assessedOn: IsoDate | null }>`
    select p.id as "personId", p.reception_on::text as "receptionOn",
      (select max(n.assessed_on)::text from needs_assessment n where n.person_id = p.id) as "assessedOn"
    from person p
    where p.establishment_code = ${establishmentCode}
      and exists (
        select 1 from person_activity_want w
        join activity a on a.id = w.activity_id and a.establishment_code = ${establishmentCode} and a.is_active
        where w.person_id = p.id
          and not exists (
            select 1 from activity_allocation x
            join activity_group g on g.id = x.group_id
            where x.person_id = p.id and x.ends_on is null and g.activity_id = w.activity_id))`.execute(db)
  return result.rows
}

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

/** Ids and prison numbers of the people at a prison: the allocator's ids. */
export async function prisonNumbersAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('person')
    .select(['id', 'prison_number as prisonNumber'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
}
