import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import * as alerts from './alerts.ts'
import * as forSystems from './for-systems.ts'
import * as assessment from './assessment.ts'
import * as careMap from './care-map.ts'
import * as constantSupervision from './constant-supervision.ts'
import * as deadlines from './deadlines.ts'
import type { CarePlanDeps } from './deps.ts'
import * as familyAndReferrals from './family-and-referrals.ts'
import * as figures from './figures.ts'
import * as listsAndDashboard from './lists-and-dashboard.ts'
import * as observations from './observations.ts'
import * as opening from './opening.ts'
import * as reviews from './reviews.ts'
import * as settings from './settings.ts'
import * as sweeps from './sweeps.ts'
import * as transferAndRelease from './transfer-and-release.ts'
import * as viewing from './viewing.ts'

export type {
  CarePlanDeps,
  ConcernsForCarePlans,
  KeyworkForCarePlans,
  NotificationsForCarePlans,
  StaffForCarePlans,
} from './deps.ts'
export type { DeadlinesView } from './deadlines.ts'
export type { ObservationInput } from './observations.ts'
export type { AttendanceInput } from './review-attendance.ts'
export type { ReviewInput } from './reviews.ts'
export { carePlanHeaderAlertsOf } from './alerts.ts'
export { planLists, type PlanList } from './lists-and-dashboard.ts'

/**
 * The care plan's use cases, one module for each part of an ACCT (issue 12): opening it, the assessment,
 * case reviews, observations, constant supervision, the care map, family and referrals, the lists, the
 * deadlines, the alerts and the sweep, and what happens to a plan when the person moves or leaves.
 */
const carePlanUseCases = {
  settingsFor: settings.settingsFor,
  saveSettings: settings.saveSettings,
  viewPersonCarePlans: viewing.viewPersonCarePlans,
  ownCopyOf: viewing.ownCopyOf,
  headerAlertsOf: alerts.headerAlertsOf,
  openForm: opening.openForm,
  openCarePlan: opening.openCarePlan,
  viewCarePlan: viewing.viewCarePlan,
  recordImmediateAction: opening.recordImmediateAction,
  handOverConstantSupervision: constantSupervision.handOverConstantSupervision,
  officersOnDuty: constantSupervision.officersOnDuty,
  assessmentForm: assessment.assessmentForm,
  recordAssessment: assessment.recordAssessment,
  reviewForm: reviews.reviewForm,
  holdReview: reviews.holdReview,
  holdPreReleaseReview: reviews.holdPreReleaseReview,
  recordObservation: observations.recordObservation,
  observationForCorrection: observations.observationForCorrection,
  correctObservation: observations.correctObservation,
  requestImmediateReview: reviews.requestImmediateReview,
  addAction: careMap.addAction,
  completeAction: careMap.completeAction,
  recordFamily: familyAndReferrals.recordFamily,
  refer: familyAndReferrals.refer,
  recordReferralOutcome: familyAndReferrals.recordReferralOutcome,
  listPlans: listsAndDashboard.listPlans,
  daysAtEachLevel: figures.daysAtEachLevel,
  openedCountsSince: figures.openedCountsSince,
  carePlanDashboard: listsAndDashboard.carePlanDashboard,
  deadlinesMet: deadlines.deadlinesMet,
  viewDeadlines: deadlines.viewDeadlines,
  exportAlerts: alerts.exportAlerts,
  activeAcctAlerts: forSystems.activeAcctAlerts,
  acctAlertsOf: forSystems.acctAlertsOf,
  sweepOverdueObservations: sweeps.sweepOverdueObservations,
  preReleaseReviewOutstanding: transferAndRelease.preReleaseReviewOutstanding,
  openCarePlansForHandover: transferAndRelease.openCarePlansForHandover,
  continueAfterTransfer: transferAndRelease.continueAfterTransfer,
}

/**
 * The service's face: the use cases bound to their dependencies, and the two things the app registers
 * rather than calls: the worker's sweep and the event listeners.
 */
export type CarePlanService = Bound<CarePlanDeps, typeof carePlanUseCases> & {
  /** The sweep the worker runs every minute, on every process; each alert still goes once. */
  observationSweep: ReturnType<typeof sweeps.observationSweepOf>
  /** S3: leaving custody (a release, a death) ends the person's plan in progress and stops its alerts. */
  listeners: ReturnType<typeof transferAndRelease.leavingCustodyListeners>
}

export function createCarePlanService(deps: CarePlanDeps): CarePlanService {
  return {
    ...bindUseCases(deps, carePlanUseCases),
    observationSweep: sweeps.observationSweepOf(deps),
    listeners: transferAndRelease.leavingCustodyListeners(deps),
  }
}
