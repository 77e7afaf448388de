import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { AllocationDeps } from './deps.ts'
import * as groups from './groups.ts'
import * as problem from './problem.ts'
import * as review from './review.ts'
import * as runs from './runs.ts'
import * as timetables from './timetables.ts'
import * as forSystems from './for-systems.ts'

export type { AllocationDeps, Refusal } from './deps.ts'
export { DEFAULT_TIME_BUDGET_MS, RUN_QUEUE, RUN_STOPPED_ERROR } from './deps.ts'
export type { Verdict } from './rules.ts'

/**
 * Allocation's use cases, one module for each part of the work (issue 12), each module's every export: runs,
 * the problem, groups, timetables. Review's two are named, as review.ts also exports `reviewOf`, which viewing a
 * run uses.
 */
const allocationUseCases = {
  ...runs,
  ...problem,
  ...groups,
  ...timetables,
  acceptRun: review.acceptRun,
  recheckRun: review.recheckRun,
  timetableForSystems: forSystems.timetableForSystems,
}

export type AllocationService = Bound<AllocationDeps, typeof allocationUseCases>

export function createAllocationService(deps: AllocationDeps): AllocationService {
  return bindUseCases(deps, allocationUseCases)
}
