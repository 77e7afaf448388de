import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import type { AttendanceDeps } from './deps.ts'
import * as personActivities from './person-activities.ts'
import * as registers from './registers.ts'
import * as reports from './reports.ts'
import * as forSystems from './for-systems.ts'

export type { AttendanceDeps, CompletionInput, FeedbackInput } from './deps.ts'

/**
 * Attendance's use cases, one module for each part of the work (issue 12): registers, a person's activities,
 * reports, and the registers for other systems. Every export of these modules is a use case of `(deps, …)`, so the service is the modules themselves.
 */
const attendanceUseCases = useCasesOf(registers, personActivities, reports, forSystems)

export type AttendanceService = Bound<AttendanceDeps, typeof attendanceUseCases>

export function createAttendanceService(deps: AttendanceDeps): AttendanceService {
  return bindUseCases(deps, attendanceUseCases)
}
