import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { AllocationDeps } from './deps.ts'
import * as groups from './groups.ts'
import * as problem from './problem.ts'
import * as review from './review.ts'
import * as runs from './runs.ts'
import * as timetables from './timetables.ts'

export type { AllocationDeps, Refusal } from './deps.ts'
export { DEFAULT_TIME_BUDGET_MS, RUN_QUEUE, RUN_STOPPED_ERROR } from './runs.ts'
export type { Verdict } from './rules.ts'

/** Allocation's use cases, one module for each part of the work (issue 12): runs, review, problem, groups, timetables. */
const allocationUseCases = {
  allocationProblemFor: problem.allocationProblemFor,
  jobHandlers: runs.jobHandlers,
  /** For the demo and the benchmark: the same work as a job, without waiting for a worker. */
  runAllocation: runs.runAllocation,
  startRun: runs.startRun,
  listRuns: runs.listRuns,
  viewRun: runs.viewRun,
  acceptRun: review.acceptRun,
  recheckRun: review.recheckRun,
  exportProblem: problem.exportProblem,
  importTimetable: problem.importTimetable,
  waitingForActivitiesAt: groups.waitingForActivitiesAt,
  sessionsPerWeekAt: groups.sessionsPerWeekAt,
  timetableFor: timetables.timetableFor,
  currentGroupMembers: groups.currentGroupMembers,
  viewPersonTimetable: timetables.viewPersonTimetable,
  listGroups: groups.listGroups,
  viewGroupRegister: groups.viewGroupRegister,
  changeGroupMembership: groups.changeGroupMembership,
  movementList: timetables.movementList,
}

export type AllocationService = Bound<AllocationDeps, typeof allocationUseCases>

export function createAllocationService(deps: AllocationDeps): AllocationService {
  return bindUseCases(deps, allocationUseCases)
}
