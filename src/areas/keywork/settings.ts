import { savePrisonSettings } from '../../platform/prison-settings.ts'
import type { Actor } from '../../platform/permissions.ts'
import { policyProblems, type KeyworkPolicy, type Refusal } from './rules.ts'
import type { KeyworkDeps } from './deps.ts'
import * as store from './store.ts'

export async function policyFor(deps: KeyworkDeps, establishmentCode: string): Promise<KeyworkPolicy> {
  const { db } = deps
  return store.findPolicy(db, establishmentCode)
}

/** K1: saves the prison's settings, or returns the problems with them and saves nothing. */
export async function savePolicy(deps: KeyworkDeps, actor: Actor, policy: KeyworkPolicy): Promise<Refusal[]> {
  return savePrisonSettings(deps, actor, policy, {
    problems: policyProblems,
    save: store.savePolicy,
    audited: () => ({ action: 'keywork.settings-saved' }),
  })
}
