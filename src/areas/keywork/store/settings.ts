import type { Db } from '../../../db/database.ts'
import { prisonSettingsOf, writePrisonSettings } from '../../../db/prison-settings.ts'
import { defaultPolicy, type KeyworkPolicy } from '../rules.ts'

export async function findPolicy(db: Db, establishmentCode: string): Promise<KeyworkPolicy> {
  const row = await prisonSettingsOf(db, 'keywork_policy', establishmentCode)
    .select([
      'officer_label as officerLabel',
      'officer_label_cy as officerLabelCy',
      'caseload_default as caseloadDefault',
      'caseload_extended as caseloadExtended',
      'session_interval_days as sessionIntervalDays',
      'first_contact_days as firstContactDays',
    ])
    .executeTakeFirst()
  return row ?? defaultPolicy
}

export async function savePolicy(db: Db, establishmentCode: string, policy: KeyworkPolicy) {
  await writePrisonSettings(db, 'keywork_policy', establishmentCode, {
    officer_label: policy.officerLabel,
    officer_label_cy: policy.officerLabelCy,
    caseload_default: policy.caseloadDefault,
    caseload_extended: policy.caseloadExtended,
    session_interval_days: policy.sessionIntervalDays,
    first_contact_days: policy.firstContactDays,
  })
}
