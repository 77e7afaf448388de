/** R6: today beside the chosen scenarios, measured the same way. */
import type { Actor } from '../../platform/permissions.ts'
import { currentTimetableOf, scenarioFigures, type ScenarioFigures } from './rules.ts'
import { scenarioOrThrow, type ScenariosDeps } from './deps.ts'

/** Today, measured the same way as a scenario: the current timetable against the set-up as it stands. */
async function todayFigures(deps: ScenariosDeps, establishmentCode: string) {
  const { allocation, attendance } = deps
  const [problem, hoursOf] = await Promise.all([
    allocation.allocationProblemFor(establishmentCode),
    attendance.slotHoursFor(establishmentCode),
  ])
  return scenarioFigures(problem, currentTimetableOf(problem), hoursOf)
}

/** R6: today beside the chosen scenarios that have run, measured the same way. Audited. */
export async function compare(deps: ScenariosDeps, actor: Actor, ids: readonly string[]) {
  const { db, audit } = deps
  const chosen = []
  for (const id of ids) chosen.push(await scenarioOrThrow(deps, actor, id))
  const today = await todayFigures(deps, actor.establishmentCode)
  await audit.record(db, actor, {
    action: 'scenarios.compared',
    details: { scenarios: chosen.map((scenario) => scenario.id).join(',') },
  })
  return {
    today,
    scenarios: chosen.filter(
      (scenario): scenario is typeof scenario & { figures: ScenarioFigures } =>
        scenario.runState === 'done' && scenario.figures !== null,
    ),
    notRun: chosen.filter((scenario) => scenario.runState !== 'done' || scenario.figures === null),
  }
}
