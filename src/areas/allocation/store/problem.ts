/** The facts the allocator's problem is built from: the regime's policy, its activities, people and wants. */
import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'
import { defaultRegimePolicy, groupIdOf, separatingLevels, type RegimeFacts, type RegimePolicy } from '../rules.ts'

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
  const prisonPeople = db.selectFrom('person_summary').select('id').where('establishment_code', '=', establishmentCode)
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
    // Grouped by activity, each activity's id is written once rather than beside each of its thousands of wants,
    // and each want as the person's id and weight in one text ('id weight id weight …'), so the two cannot part.
    sql<{ list: string }>`
        select coalesce(json_agg(json_build_array(activity_id, wanted)), '[]')::text as list
        from (
          select activity_id, string_agg(person_id::text || ' ' || weight::text, ' ') as wanted
          from person_activity_want
          where activity_id in (select id from activity where establishment_code = ${establishmentCode})
          group by activity_id
        ) wants`.execute(db),
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
  const wants = (JSON.parse(wantsJson.rows[0].list) as [string, string][]).flatMap(([activityId, wanted]) => {
    const words = wanted.split(' ')
    const activityWants = []
    for (let i = 0; i < words.length; i += 2)
      activityWants.push({ personId: words[i], activityId, weight: Number(words[i + 1]) })
    return activityWants
  })
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
