import type { Sweep } from '../../platform/jobs.ts'
import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import * as alerts from './alerts.ts'
import * as assessment from './assessment.ts'
import * as careMap from './care-map.ts'
import * as constantSupervision from './constant-supervision.ts'
import * as deadlines from './deadlines.ts'
import type { CarePlanDeps } from './deps.ts'
import * as familyAndReferrals from './family-and-referrals.ts'
import * as figures from './figures.ts'
import * as forSystems from './for-systems.ts'
import { leavingCustodyListeners } from './leaving-custody.ts'
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
export { carePlanHeaderAlertsOf } from './header-alert.ts'
export { planLists, type PlanList } from './rules.ts'

/**
 * The care plan's use cases, one module for each part of an ACCT (issue 12): opening it, the assessment,
 * case reviews, observations, constant supervision, the care map, family and referrals, the lists, the
 * deadlines, the alerts and the sweep, and what happens to a plan when the person moves or leaves. Each
 * module exports its use cases and nothing else, so the service is every module's exports: what is not a use
 * case lives elsewhere (rules, deps.ts, the header alert, the listeners on leaving custody).
 */
const carePlanUseCases = useCasesOf(
  settings,
  viewing,
  alerts,
  opening,
  constantSupervision,
  assessment,
  reviews,
  observations,
  careMap,
  familyAndReferrals,
  listsAndDashboard,
  figures,
  deadlines,
  sweeps,
  transferAndRelease,
  forSystems,
)

/**
 * The service's face: the use cases bound to their dependencies, and the two things the app registers
 * rather than calls: the worker's sweep and the event listeners.
 */
export type CarePlanService = Bound<CarePlanDeps, typeof carePlanUseCases> & {
  /** The sweep the worker runs every minute, on every process; each alert still goes once. */
  observationSweep: Sweep
  /** S3: leaving custody (a release, a death) ends the person's plan in progress and stops its alerts. */
  listeners: ReturnType<typeof leavingCustodyListeners>
}

export function createCarePlanService(deps: CarePlanDeps): CarePlanService {
  return {
    ...bindUseCases(deps, carePlanUseCases),
    observationSweep: {
      name: 'care-plans.overdue-observations',
      everySeconds: 60,
      run: async (now) => void (await sweeps.sweepOverdueObservations(deps, now)),
    },
    listeners: leavingCustodyListeners(deps),
  }
}
