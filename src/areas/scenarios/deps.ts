import type { Problem } from '../../allocator/index.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import type { Actor } from '../../platform/permissions.ts'
import { readChanges, type NewGroup, type ScenarioFigures } from './rules.ts'
import * as store from './store.ts'

/** What scenarios need from the allocation area: the allocator's problem as the prison's records stand. */
export type AllocationForScenarios = {
  allocationProblemFor: (
    establishmentCode: string,
    overrides?: { extraSlots?: readonly string[]; extraGroups?: readonly NewGroup[] },
  ) => Promise<Problem>
}

/** What scenarios need from attendance: how long each slot lasts, for hours out of cell. */
export type AttendanceForScenarios = {
  slotHoursFor: (establishmentCode: string) => Promise<(slot: string) => number>
}

/** The solver's time for a scenario: long enough to come close to its best, short enough to wait for. */
export const SCENARIO_TIME_MS = 1500

/** What app.ts (or a test, with a shorter solver's time) hands the service. */
export type ScenariosDeps = PlatformDeps & {
  allocation: AllocationForScenarios
  attendance: AttendanceForScenarios
  timeMs?: number
}

/** What every scenarios use case is given: the solver's time settled once, when the service is made. */
export type SettledScenariosDeps = ScenariosDeps & { timeMs: number }

export async function scenarioOrThrow({ db }: ScenariosDeps, actor: Actor, id: string) {
  if (!isUuid(id)) throw new NotFound()
  const row = await store.findScenario(db, actor.establishmentCode, id)
  if (!row) throw new NotFound()
  // The changes as stored, beside what they say: an edit is saved only over the stored value it was read from.
  return {
    ...row,
    changes: readChanges(row.changes),
    changesAsStored: row.changes,
    figures: row.figures as ScenarioFigures | null,
  }
}
