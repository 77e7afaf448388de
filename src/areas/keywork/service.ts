import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import * as allocation from './allocation.ts'
import * as caseload from './caseload.ts'
import * as changeRequests from './change-requests.ts'
import type { KeyworkDeps } from './deps.ts'
import * as forSystems from './for-systems.ts'
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
 * meetings with their check-ins, an officer's caseload, the wellbeing flags, and the statistics. Every export of
 * these modules is a use case of `(deps, …)`, so the service is the modules themselves.
 */
const keyworkUseCases = useCasesOf(
  settings,
  allocation,
  specialistNeed,
  wingAllocation,
  changeRequests,
  sessions,
  progressMeetings,
  caseload,
  wellbeingFlags,
  statistics,
  forSystems,
)

export type KeyworkService = Bound<KeyworkDeps, typeof keyworkUseCases>

export function createKeyworkService(deps: KeyworkDeps): KeyworkService {
  return bindUseCases(deps, keyworkUseCases)
}
