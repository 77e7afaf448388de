/** S3: a prison's ACCT timings and the names it gives the levels of risk. */
import { prisonSettingsUseCases } from '../../platform/prison-settings.ts'
import { settingsProblems, type CarePlanSettings } from './rules.ts'
import * as store from './store.ts'

const carePlanSettings = prisonSettingsUseCases<CarePlanSettings>({
  find: store.findSettings,
  problems: settingsProblems,
  save: store.saveSettings,
  audited: () => ({ action: 'care-plan.settings-saved' }),
})

/** S3: the prison's timings and names, as they stand. */
export const settingsFor = carePlanSettings.read
/** S3: the prison's timings and names; refused as a whole if any is wrong. Audited. */
export const saveSettings = carePlanSettings.save
