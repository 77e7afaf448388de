import type { Sweep } from '../../platform/jobs.ts'
import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import { cohorts } from '../people/rules.ts'
import * as analysis from './analysis.ts'
import * as assessment from './assessment.ts'
import type { RegimeDeps } from './deps.ts'
import * as framework from './framework.ts'
import * as offer from './offer.ts'
import { allSlots, needs as allNeeds } from './rules.ts'
import * as separations from './separations.ts'
import * as week from './week.ts'

export type { NotificationsForRegime, RegimeDeps, StaffForRegime } from './deps.ts'
export type { AssessmentInput } from './assessment.ts'
export type { FrameworkInput } from './framework.ts'
export type { NonAssociationInput } from './separations.ts'

// The sweep is handed out built, beside the use cases, rather than bound as one.
const { overdueAssessmentSweep, ...assessmentUseCases } = assessment

/**
 * The regime's use cases, one module for each part of it (issue 12), each module's every export: the offer
 * (R2, R4), the usable day (R2), the framework (R3), separations (R4), needs assessment (R1) and the population
 * needs analysis (R8).
 */
const regimeUseCases = useCasesOf(offer, week, framework, separations, assessmentUseCases, analysis)

/** The use cases bound to the regime's dependencies, beside the lists and the sweep the service also hands out. */
export type RegimeService = Bound<RegimeDeps, typeof regimeUseCases> & {
  cohorts: typeof cohorts
  /** R1: the daily word to activities managers about overdue assessments. */
  overdueAssessmentSweep: Sweep
  allNeeds: typeof allNeeds
  allSlots: typeof allSlots
}

export function createRegimeService(deps: RegimeDeps): RegimeService {
  return {
    cohorts,
    overdueAssessmentSweep: overdueAssessmentSweep(deps),
    ...bindUseCases(deps, regimeUseCases),
    allNeeds,
    allSlots,
  }
}
