/** R6: a scenario run: the prison's problem with the scenario's changes, solved, and its figures kept. */
import { Conflict } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { applyGroupChanges, changesProblems, scenarioFigures, type Refusal, type ScenarioChanges } from './rules.ts'
import { solveInWorker } from '../../allocator/solve-in-worker.ts'
import * as store from './store.ts'
import { scenarioOrThrow, type SettledScenariosDeps } from './deps.ts'

/**
 * R6: builds the prison's problem with the scenario's changes, runs the allocator on it in a worker
 * thread, and keeps the figures of its timetable. With `typed`, the changes as the page's form holds them
 * are saved first (the run button is that form's), so what the manager typed is what runs. Refused, and
 * nothing saved, when the typed changes are out of range or a run of it is already under way.
 */
export async function runScenario(
  deps: SettledScenariosDeps,
  actor: Actor,
  id: string,
  typed?: Omit<ScenarioChanges, 'extraGroups'>,
): Promise<Refusal[]> {
  const { db, clock, audit, allocation, attendance, timeMs } = deps
  const scenario = await scenarioOrThrow(deps, actor, id)
  const changes: ScenarioChanges = typed ? { ...typed, extraGroups: scenario.changes.extraGroups } : scenario.changes
  const problems = changesProblems(changes)
  if (problems.length > 0) return problems
  if (!(await store.startRun(db, id, clock.now())))
    return [{ field: 'run', messageKey: 'scenarios.error.running', values: {} }]
  // The changes as stored once the run has begun: its figures are kept only if they are still so when it ends.
  let ranOn: unknown = scenario.changesAsStored
  try {
    if (JSON.stringify(changes) !== JSON.stringify(scenario.changes))
      await db.transaction().execute(async (trx) => {
        if (!(await store.saveChanges(trx, id, scenario.changesAsStored, changes, clock.now(), { byTheRun: true })))
          throw new Conflict()
        ranOn = changes
        await audit.record(trx, actor, { action: 'scenario.changed', details: { scenarioId: id } })
      })
    const base = await allocation.allocationProblemFor(actor.establishmentCode, {
      extraSlots: changes.extraSlots,
      extraGroups: changes.extraGroups,
    })
    const problem = applyGroupChanges(base, changes)
    const [timetable, hoursOf] = await Promise.all([
      solveInWorker(problem, { timeMs }).then((result) => result.timetable),
      attendance.slotHoursFor(actor.establishmentCode),
    ])
    const figures = scenarioFigures(problem, timetable, hoursOf)
    await db.transaction().execute(async (trx) => {
      await store.finishRun(trx, id, ranOn, figures, clock.now())
      await audit.record(trx, actor, { action: 'scenario.run', details: { scenarioId: id } })
    })
    return []
  } catch (error) {
    // The reason stays with the scenario for the page; it names no person.
    await store.failRun(db, id, error instanceof Error ? error.message.slice(0, 500) : 'unknown error')
    throw error
  }
}
