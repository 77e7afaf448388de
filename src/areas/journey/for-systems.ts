import type { ApiCaller } from '../../platform/api-callers.ts'
import { responsibilityFrom, type JourneyDeps } from './deps.ts'
import * as store from './store.ts'

/**
 * Issue 15: where a person is in their custody journey and who answers for them now, for another of the
 * prison's systems. The reasons staff typed stay behind (they may say more than a system needs); the reason's
 * kind, where one was chosen, goes. Audited with its client by platform.
 */
export async function journeyForSystems(deps: JourneyDeps, caller: ApiCaller, prisonNumber: string) {
  const person = await deps.people.personForSystems(caller, prisonNumber)
  const [stages, officers] = await Promise.all([
    store.listStages(deps.db, person.id),
    deps.keywork.currentDedicatedOfficers([person.id]),
  ])
  const current = stages.find((stage) => stage.endedAt === null) ?? null
  return {
    person,
    current,
    stages,
    responsibility: responsibilityFrom(current, officers.get(person.id) ?? null),
  }
}
