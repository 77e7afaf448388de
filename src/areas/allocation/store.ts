import type { Db } from '../../db/database.ts'
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
