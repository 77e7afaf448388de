import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import { SCENARIO_TIME_MS, type ScenariosDeps, type SettledScenariosDeps } from './deps.ts'
import * as changes from './changes.ts'
import * as compare from './compare.ts'
import * as runs from './runs.ts'

export type { AllocationForScenarios, AttendanceForScenarios, ScenariosDeps } from './deps.ts'
export { SCENARIO_TIME_MS } from './deps.ts'

/** The scenarios' use cases, one module for each part of the work (issue 12), each module's every export. */
const scenariosUseCases = useCasesOf(changes, runs, compare)

export type ScenariosService = Bound<SettledScenariosDeps, typeof scenariosUseCases>

export function createScenariosService({ timeMs = SCENARIO_TIME_MS, ...deps }: ScenariosDeps): ScenariosService {
  return bindUseCases<SettledScenariosDeps, typeof scenariosUseCases>({ ...deps, timeMs }, scenariosUseCases)
}
