import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import * as allocation from './allocation.ts'
import * as caseload from './caseload.ts'
import * as changeRequests from './change-requests.ts'
import type { KeyworkDeps } from './deps.ts'
import * as progressMeetings from './progress-meetings.ts'
import * as sessions from './sessions.ts'
import * as settings from './settings.ts'
import * as specialistNeed from './specialist-need.ts'
import * as statistics from './statistics.ts'
import * as wellbeingFlags from './wellbeing-flags.ts'
import * as wingAllocation from './wing-allocation.ts'

export type { CheckInInput, KeyworkDeps, StaffForKeywork } from './deps.ts'

/**
 * Key work's use cases, one module for each part of it (issue 12): the prison's settings, a person's dedicated
 * officer and specialist need, allocating a wing at once, requests to change officer, sessions and progress
 * meetings with their check-ins, an officer's caseload, the wellbeing flags, and the statistics.
 */
const keyworkUseCases = {
  policyFor: settings.policyFor,
  savePolicy: settings.savePolicy,
  currentDedicatedOfficers: allocation.currentDedicatedOfficers,
  endAllocationForMove: allocation.endAllocationForMove,
  viewDedicatedOfficer: allocation.viewDedicatedOfficer,
  viewSpecialistNeed: specialistNeed.viewSpecialistNeed,
  decideSpecialistNeed: specialistNeed.decideSpecialistNeed,
  allocate: allocation.allocate,
  deallocate: allocation.deallocate,
  viewWingAllocation: wingAllocation.viewWingAllocation,
  acceptWingRecommendation: wingAllocation.acceptWingRecommendation,
  viewChangeOfficer: changeRequests.viewChangeOfficer,
  raiseChangeRequest: changeRequests.raiseChangeRequest,
  changeRequestCountsSince: changeRequests.changeRequestCountsSince,
  listChangeRequests: changeRequests.listChangeRequests,
  decideChangeRequest: changeRequests.decideChangeRequest,
  viewKeyWork: sessions.viewKeyWork,
  recordSession: sessions.recordSession,
  recordMeeting: progressMeetings.recordMeeting,
  myCaseload: caseload.myCaseload,
  listWellbeingFlags: wellbeingFlags.listWellbeingFlags,
  statistics: statistics.statistics,
  progressMeetings: progressMeetings.progressMeetings,
  canReviewChangeRequests: changeRequests.canReviewChangeRequests,
}

export type KeyworkService = Bound<KeyworkDeps, typeof keyworkUseCases>

export function createKeyworkService(deps: KeyworkDeps): KeyworkService {
  return bindUseCases(deps, keyworkUseCases)
}
