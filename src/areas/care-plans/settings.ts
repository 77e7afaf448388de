/** S3: a prison's ACCT timings and the names it gives the levels of risk. */
import { savePrisonSettings } from '../../platform/prison-settings.ts'
import type { Actor } from '../../platform/permissions.ts'
import { settingsProblems, type CarePlanSettings, type Refusal } from './rules.ts'
import * as store from './store.ts'
import type { CarePlanDeps } from './deps.ts'

export async function settingsFor(deps: CarePlanDeps, establishmentCode: string): Promise<CarePlanSettings> {
  const { db } = deps
  return store.findSettings(db, establishmentCode)
}

/** S3: the prison's timings and names; refused as a whole if any is wrong. Audited. */
export async function saveSettings(deps: CarePlanDeps, actor: Actor, settings: CarePlanSettings): Promise<Refusal[]> {
  return savePrisonSettings(deps, actor, settings, {
    problems: settingsProblems,
    save: store.saveSettings,
    audited: () => ({ action: 'care-plan.settings-saved' }),
  })
}
