import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { AttendanceDeps } from './deps.ts'
import * as personActivities from './person-activities.ts'
import * as registers from './registers.ts'
import * as reports from './reports.ts'
import * as forSystems from './for-systems.ts'

export type { AttendanceDeps, CompletionInput, FeedbackInput } from './deps.ts'

/** Attendance's use cases, one module for each part of the work (issue 12): registers, a person's activities, reports. */
const attendanceUseCases = {
  slotHoursFor: registers.slotHoursFor,
  today: registers.today,
  sessionsOn: registers.sessionsOn,
  viewRegister: registers.viewRegister,
  recordSession: registers.recordSession,
  viewPersonActivities: personActivities.viewPersonActivities,
  recordCompletion: personActivities.recordCompletion,
  recordFeedback: personActivities.recordFeedback,
  outcomesByPerson: reports.outcomesByPerson,
  periodProblem: reports.periodProblem,
  viewReports: reports.viewReports,
  activityReportCsv: reports.activityReportCsv,
  timeOutOfCellCsv: reports.timeOutOfCellCsv,
  attendanceForSystems: forSystems.attendanceForSystems,
  attendanceLineForSystems: forSystems.attendanceLineForSystems,
  recordAttendanceForSystems: forSystems.recordAttendanceForSystems,
}

export type AttendanceService = Bound<AttendanceDeps, typeof attendanceUseCases>

export function createAttendanceService(deps: AttendanceDeps): AttendanceService {
  return bindUseCases(deps, attendanceUseCases)
}
