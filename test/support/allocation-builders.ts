import type { Db } from '../../src/db/database.ts'
import type { ActivityCategory, NonAssociationLevel } from '../../src/db/schema.ts'
import { seededRandom } from '../../src/demo/random.ts'
import { givenEstablishment, givenPerson, givenStaffUser, unique } from './builders.ts'

const createdAt = new Date('2026-11-01T09:00:00Z')

export const weekdaySlots = ['MON', 'TUE', 'WED', 'THU', 'FRI'].flatMap((day) => [`${day}_AM`, `${day}_PM`])

/** The usable day of a prison: these slots, with plausible times. */
export async function givenUsableDay(db: Db, establishmentCode: string, slots: readonly string[] = weekdaySlots) {
  const times: Record<string, [string, string]> = {
    AM: ['08:30', '11:30'],
    PM: ['13:45', '16:30'],
    ED: ['17:30', '19:30'],
  }
  await db
    .insertInto('regime_slot')
    .values(
      slots.map((slot) => {
        const [startsAt, endsAt] = times[slot.slice(4)]
        return { establishment_code: establishmentCode, slot, starts_at: startsAt, ends_at: endsAt }
      }),
    )
    .execute()
}

export async function givenRegimePolicy(
  db: Db,
  establishmentCode: string,
  policy: Partial<{ maxSessions: number; targetSessions: number; fairnessWeight: number; continuityBonus: number }>,
) {
  await db
    .insertInto('regime_policy')
    .values({
      establishment_code: establishmentCode,
      max_sessions_per_person: policy.maxSessions ?? 10,
      fairness_target_sessions: policy.targetSessions ?? 10,
      fairness_weight: policy.fairnessWeight ?? 1,
      continuity_bonus: policy.continuityBonus ?? 0.5,
    })
    .execute()
}

export type GroupSpec = {
  code?: string
  slots: string[]
  capacity?: number
  minSize?: number
  cohorts?: string[] | null
  location?: string
  isActive?: boolean
}

/** An activity with its groups; returns the activity's id and each group's id by code. */
export async function givenActivity(
  db: Db,
  establishmentCode: string,
  spec: { code?: string; name?: string; category?: ActivityCategory; isActive?: boolean; groups: GroupSpec[] },
) {
  const code = spec.code ?? unique('ACT-').toUpperCase()
  const activity = await db
    .insertInto('activity')
    .values({
      establishment_code: establishmentCode,
      code,
      name: spec.name ?? `Activity ${code}`,
      category: spec.category ?? 'education',
      is_active: spec.isActive ?? true,
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const groups: Record<string, string> = {}
  for (const [index, group] of spec.groups.entries()) {
    const groupCode = group.code ?? String.fromCharCode(97 + index)
    const row = await db
      .insertInto('activity_group')
      .values({
        activity_id: activity.id,
        code: groupCode,
        location: group.location ?? `Room ${index + 1}`,
        slots: group.slots,
        capacity: group.capacity ?? 10,
        min_size: group.minSize ?? 0,
        cohorts: group.cohorts ?? null,
        is_active: group.isActive ?? true,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    groups[groupCode] = row.id
  }
  return { id: activity.id, code, groups }
}

/**
 * A prison of its own with its activities manager, a usable day of Monday mornings and one activity of one group
 * (its code 'a') on Monday morning: the smallest prison a run, an import or a change by hand can be tried at.
 */
export async function givenOneGroupPrison(
  db: Db,
  activity: { code: string; name: string },
  group: Pick<GroupSpec, 'capacity' | 'minSize'>,
) {
  const prison = await givenEstablishment(db)
  await givenUsableDay(db, prison.code, ['MON_AM'])
  const manager = await givenStaffUser(db, { role: 'activities', establishmentCodes: [prison.code] })
  const created = await givenActivity(db, prison.code, {
    ...activity,
    groups: [{ code: 'a', slots: ['MON_AM'], ...group }],
  })
  return { prison, manager, activity: created }
}

export async function givenWant(db: Db, personId: string, activityId: string, weight = 5) {
  await db.insertInto('person_activity_want').values({ person_id: personId, activity_id: activityId, weight }).execute()
}

export async function givenUnavailable(db: Db, personId: string, slot: string, reason = 'Visit') {
  await db.insertInto('person_unavailable_slot').values({ person_id: personId, slot, reason }).execute()
}

export async function givenCurrentAllocation(db: Db, personId: string, groupId: string, startsOn = '2026-10-01') {
  const row = await db
    .insertInto('activity_allocation')
    .values({ person_id: personId, group_id: groupId, starts_on: startsOn, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function givenCohortSeparation(db: Db, establishmentCode: string, a: string, b: string) {
  const [cohortA, cohortB] = [a, b].sort() as [string, string]
  await db
    .insertInto('cohort_separation')
    .values({ establishment_code: establishmentCode, cohort_a: cohortA, cohort_b: cohortB })
    .execute()
}

export async function givenNonAssociation(
  db: Db,
  first: string,
  second: string,
  options: { level?: NonAssociationLevel; closed?: boolean } = {},
) {
  const [a, b] = [first, second].sort() as [string, string]
  await db
    .insertInto('non_association')
    .values({
      person_a_id: a,
      person_b_id: b,
      reason: 'threat',
      level: options.level ?? 'regime',
      created_at: createdAt,
      closed_at: options.closed ? createdAt : null,
    })
    .execute()
}

/**
 * A whole prison for allocation: weekday mornings and afternoons, `activities` activities of two groups,
 * `people` people (a tenth vulnerable, kept apart from mainstream), each wanting three or four activities,
 * a few non-associations and unavailable slots. Deterministic for a seed.
 */
export async function givenAllocationPrison(
  db: Db,
  options: { people?: number; activities?: number; seed?: number } = {},
) {
  const random = seededRandom(options.seed ?? 7)
  const establishment = await givenEstablishment(db)
  const code = establishment.code
  await givenUsableDay(db, code)
  await givenCohortSeparation(db, code, 'mainstream', 'vulnerable')
  const categories: ActivityCategory[] = ['education', 'work', 'intervention', 'gym', 'chaplaincy', 'peer-led']
  const activities = []
  for (let n = 0; n < (options.activities ?? 8); n++) {
    const day = n % 5
    const slotsA = [weekdaySlots[(day * 2) % 10], weekdaySlots[(day * 2 + 4) % 10]]
    const slotsB = [weekdaySlots[(day * 2 + 1) % 10], weekdaySlots[(day * 2 + 7) % 10]]
    activities.push(
      await givenActivity(db, code, {
        code: `${code}-A${n + 1}`,
        name: `Activity ${n + 1}`,
        category: categories[n % categories.length],
        groups: [
          { code: 'a', slots: slotsA, capacity: 8, minSize: n % 3 === 0 ? 3 : 0, cohorts: ['mainstream', 'induction'] },
          { code: 'b', slots: slotsB, capacity: 8, cohorts: n % 2 === 0 ? ['vulnerable'] : null },
        ],
      }),
    )
  }
  const people = []
  for (let n = 0; n < (options.people ?? 40); n++) {
    const cohort = n % 10 === 9 ? 'vulnerable' : 'mainstream'
    const person = await givenPerson(db, code, {
      cohort,
      cellId: establishment.cellId,
      dateOfBirth: `${1960 + random.integer(0, 40)}-0${random.integer(1, 9)}-1${random.integer(0, 9)}`,
      ethnicity: random.pick(['W1', 'W1', 'W1', 'B1', 'A2', 'M1', 'NS']),
    })
    people.push(person)
    const wanted = new Set<number>()
    const count = Math.min(random.integer(3, 4), activities.length)
    while (wanted.size < count) wanted.add(random.integer(0, activities.length - 1))
    for (const index of wanted) await givenWant(db, person.id, activities[index].id, random.integer(1, 10))
    if (n % 7 === 0) await givenUnavailable(db, person.id, random.pick(weekdaySlots))
  }
  for (let n = 0; n + 5 < people.length; n += 11) await givenNonAssociation(db, people[n].id, people[n + 5].id)
  return { code, wingId: establishment.wingId, cellId: establishment.cellId, activities, people }
}
