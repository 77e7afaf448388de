import type { Selectable } from 'kysely'
import type { Db } from '../../../db/database.ts'
import type { CarePlanSettingTable } from '../../../db/schema.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../../db/prison-settings.ts'
import { defaultSettings, type CarePlanSettings } from '../rules.ts'

export async function findSettings(db: Db, establishmentCode: string): Promise<CarePlanSettings> {
  const row = await prisonSettingsOf(db, 'care_plan_setting', establishmentCode).selectAll().executeTakeFirst()
  return row ? settingsOf(row) : defaultSettings
}

/** The settings of each of these prisons in one query: the defaults for a prison that never set its own. */
export async function findSettingsOfEach(
  db: Db,
  establishmentCodes: readonly string[],
): Promise<Map<string, CarePlanSettings>> {
  const rows =
    establishmentCodes.length === 0
      ? []
      : await db
          .selectFrom('care_plan_setting')
          .selectAll()
          .where('establishment_code', 'in', [...establishmentCodes])
          .execute()
  const saved = new Map(rows.map((row) => [row.establishment_code, settingsOf(row)]))
  return new Map(establishmentCodes.map((code) => [code, saved.get(code) ?? defaultSettings]))
}

function settingsOf(row: Selectable<CarePlanSettingTable>): CarePlanSettings {
  return {
    immediateActionMinutes: row.immediate_action_minutes,
    assessmentHours: row.assessment_hours,
    firstReviewHours: row.first_review_hours,
    transferReviewHours: row.transfer_review_hours,
    postClosureReviewDays: row.post_closure_review_days,
    dayStartsHour: row.day_starts_hour,
    nightStartsHour: row.night_starts_hour,
    orderlyOfficerAfterMinutes: row.orderly_officer_after_minutes,
    riskNames: { low: row.risk_low_name, raised: row.risk_raised_name, high: row.risk_high_name },
    riskNamesCy: { low: row.risk_low_name_cy, raised: row.risk_raised_name_cy, high: row.risk_high_name_cy },
  }
}

export async function saveSettings(db: Db, establishmentCode: string, settings: CarePlanSettings) {
  await writePrisonSettings(db, 'care_plan_setting', establishmentCode, {
    immediate_action_minutes: settings.immediateActionMinutes,
    assessment_hours: settings.assessmentHours,
    first_review_hours: settings.firstReviewHours,
    transfer_review_hours: settings.transferReviewHours,
    post_closure_review_days: settings.postClosureReviewDays,
    day_starts_hour: settings.dayStartsHour,
    night_starts_hour: settings.nightStartsHour,
    orderly_officer_after_minutes: settings.orderlyOfficerAfterMinutes,
    risk_low_name: settings.riskNames.low,
    risk_raised_name: settings.riskNames.raised,
    risk_high_name: settings.riskNames.high,
    risk_low_name_cy: settings.riskNamesCy.low,
    risk_raised_name_cy: settings.riskNamesCy.raised,
    risk_high_name_cy: settings.riskNamesCy.high,
  })
}
