import type { Events } from '../../platform/events.ts'
import type { Notifications } from '../../platform/notifications.ts'
import type { AttendanceService } from '../attendance/service.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { JourneyService } from '../journey/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { PeopleService } from '../people/service.ts'
import type { RegimeService } from '../regime/service.ts'
import type { PeerSupporterService, StaffService } from '../staff/service.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'

/**
 * What every measures use case is given: built once, in app.ts. Every figure comes from the area that keeps
 * its records, through that area's service; this area keeps only targets, the monthly figures for the trend,
 * and the safety records.
 */
export type MeasuresDeps = PlatformDeps & {
  people: Pick<PeopleService, 'findPersonOrThrow' | 'countOnRolls'>
  staff: Pick<StaffService, 'viewStaffList' | 'currentCoursesAt' | 'listDirectorsOnDuty'>
  peerSupporters: Pick<PeerSupporterService, 'viewPeerSupporters'>
  keywork: Pick<KeyworkService, 'statistics' | 'progressMeetings'>
  attendance: Pick<AttendanceService, 'viewReports'>
  regime: Pick<RegimeService, 'needsAnalysis'>
  carePlans: Pick<CarePlanService, 'deadlinesMet' | 'openCarePlansForHandover'>
  journey: Pick<JourneyService, 'handoverOutcomesSince'>
  /** M2: a flagged transfer watch is told to the group directors on duty at the prison. */
  notifications: Pick<Notifications, 'notify'>
  /** C1: a death is told to the areas that act on it: the person's own view closes. */
  events: Pick<Events, 'publish'>
}
