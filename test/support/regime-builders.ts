import type { Db } from '../../src/db/database.ts'
import type { ActivityCategory } from '../../src/db/schema.ts'
import { defaultPeriodTimes, type Answers } from '../../src/areas/regime/rules.ts'

/** The usable day: these slots run at the usual times of their period. */
export async function givenUsableDay(db: Db, establishmentCode: string, slots: readonly string[]) {
  await db
    .insertInto('regime_slot')
    .values(
      slots.map((slot) => {
        const times = defaultPeriodTimes[slot.slice(4) as keyof typeof defaultPeriodTimes]
        return { establishment_code: establishmentCode, slot, starts_at: times.startsAt, ends_at: times.endsAt }
      }),
    )
    .execute()
}

/** An activity in the offer, meeting these needs, with one group `a` unless told otherwise. */
export async function givenActivity(
  db: Db,
  establishmentCode: string,
  options: {
    code: string
    name?: string
    category?: ActivityCategory
    needs?: string[]
    groups?: { code: string; slots: string[]; capacity: number; minSize?: number; cohorts?: string[] | null }[]
  },
) {
  const activity = await db
    .insertInto('activity')
    .values({
      establishment_code: establishmentCode,
      code: options.code,
      name: options.name ?? `Activity ${options.code}`,
      category: options.category ?? 'education',
      created_at: new Date('2026-11-01T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const groups = options.groups ?? [{ code: 'a', slots: ['MON_AM'], capacity: 10 }]
  if (groups.length > 0)
    await db
      .insertInto('activity_group')
      .values(
        groups.map((group) => ({
          activity_id: activity.id,
          code: group.code,
          slots: group.slots,
          capacity: group.capacity,
          min_size: group.minSize ?? 0,
          cohorts: group.cohorts ?? null,
        })),
      )
      .execute()
  if (options.needs?.length)
    await db
      .insertInto('need_activity')
      .values(options.needs.map((need) => ({ establishment_code: establishmentCode, need, activity_id: activity.id })))
      .execute()
  return activity.id
}

/** Answers of a settled person with level 2 English and maths and a trade: few needs. */
export const settledAnswers: Answers = {
  immediateNeeds: 'none',
  firstTimeInCustody: 'no',
  healthFlag: 'no',
  substanceUse: 'none',
  housing: 'settled',
  debts: 'no',
  dependants: 'no',
  familyContact: 'regular',
  educationLevel: 'level-2',
  additionalLearningNeeds: 'no',
  englishFirstLanguage: 'yes',
  workHistory: 'skilled',
  faithPractice: 'no',
  releaseWithin: 'over-12-months',
  sentencePlanIntervention: 'no',
  peerSupport: 'no',
}
