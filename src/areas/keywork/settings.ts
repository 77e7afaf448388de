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
  const { db, audit } = deps
  const problems = policyProblems(policy)
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    await store.savePolicy(trx, actor.establishmentCode, policy)
    await audit.record(trx, actor, { action: 'keywork.settings-saved' })
  })
  return []
}
