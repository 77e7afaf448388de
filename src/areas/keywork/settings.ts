import { prisonSettingsUseCases } from '../../platform/prison-settings.ts'
import { policyProblems, type KeyworkPolicy } from './rules.ts'
import * as store from './store.ts'

const keyworkPolicy = prisonSettingsUseCases<KeyworkPolicy>({
  find: store.findPolicy,
  problems: policyProblems,
  save: store.savePolicy,
  audited: () => ({ action: 'keywork.settings-saved' }),
})

/** K1: the prison's key work policy: its caseloads, its session interval and what it calls the role. */
export const policyFor = keyworkPolicy.read
/** K1: saves the prison's settings, or returns the problems with them and saves nothing. */
export const savePolicy = keyworkPolicy.save
