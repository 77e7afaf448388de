import type { Db } from '../../../db/database.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../../db/prison-settings.ts'
import type { IsoDate } from '../../../db/schema.ts'
import { londonTime } from '../../../platform/dates.ts'
import type { UsableSlot } from '../rules.ts'

// ---------------------------------------------------------------------------------------------------------
// The prison, its usable day and its framework

export async function findEstablishment(db: Db, code: string) {
  return db.selectFrom('establishment').select(['code', 'name', 'function']).where('code', '=', code).executeTakeFirst()
}

export async function establishmentCodes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('establishment').select('code').orderBy('code').execute()
  return rows.map((row) => row.code)
}

/** Whether a notification of this kind went to anyone at the prison on or after a day: the sweep's mark. */
export async function hasNotificationSince(db: Db, establishmentCode: string, kind: string, day: IsoDate) {
  const row = await db
    .selectFrom('notification')
    .select('id')
    .where('establishment_code', '=', establishmentCode)
    .where('kind', '=', kind)
    .where('created_at', '>=', londonTime(day, 0))
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}

/** 'HH:MM:SS' from the database, 'HH:MM' for people. */
const hhmm = (value: string) => value.slice(0, 5)

export async function usableDay(db: Db, establishmentCode: string): Promise<UsableSlot[]> {
  const rows = await db
    .selectFrom('regime_slot')
    .select(['slot', 'starts_at', 'ends_at'])
    .where('establishment_code', '=', establishmentCode)
    .execute()
  return rows.map((row) => ({ slot: row.slot, startsAt: hhmm(row.starts_at), endsAt: hhmm(row.ends_at) }))
}

export async function replaceUsableDay(db: Db, establishmentCode: string, slots: readonly UsableSlot[]) {
  await db.deleteFrom('regime_slot').where('establishment_code', '=', establishmentCode).execute()
  if (slots.length > 0)
    await db
      .insertInto('regime_slot')
      .values(
        slots.map((slot) => ({
          establishment_code: establishmentCode,
          slot: slot.slot,
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
        })),
      )
      .execute()
}

export type FrameworkRow = {
  categoryShares: Record<string, number>
  needEmphasis: Record<string, number>
  firstAssessmentDays: number
  reassessmentDays: number
}

export async function findFramework(db: Db, establishmentCode: string): Promise<FrameworkRow | undefined> {
  return prisonSettingsOf(db, 'regime_framework', establishmentCode)
    .select([
      'category_shares as categoryShares',
      'need_emphasis as needEmphasis',
      'first_assessment_days as firstAssessmentDays',
      'reassessment_days as reassessmentDays',
    ])
    .executeTakeFirst()
}

export async function saveFramework(
  db: Db,
  establishmentCode: string,
  framework: FrameworkRow,
  updatedBy: string | null,
  updatedAt: Date,
) {
  await writePrisonSettings(db, 'regime_framework', establishmentCode, {
    category_shares: JSON.stringify(framework.categoryShares),
    need_emphasis: JSON.stringify(framework.needEmphasis),
    first_assessment_days: framework.firstAssessmentDays,
    reassessment_days: framework.reassessmentDays,
    updated_at: updatedAt,
    updated_by: updatedBy,
  })
}

export async function deleteFramework(db: Db, establishmentCode: string) {
  await db.deleteFrom('regime_framework').where('establishment_code', '=', establishmentCode).execute()
}
