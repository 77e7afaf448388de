import type { Sweep } from '../../platform/jobs.ts'
import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
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

/**
 * The regime's use cases, one module for each part of it (issue 12): the offer (R2, R4), the usable day
 * (R2), the framework (R3), separations (R4), needs assessment (R1) and the population needs analysis (R8).
 */
const regimeUseCases = {
  listOrganisations: offer.listOrganisations,
  viewOffer: offer.viewOffer,
  addActivity: offer.addActivity,
  viewActivity: offer.viewActivity,
  editActivity: offer.editActivity,
  retireActivity: offer.retireActivity,
  addGroup: offer.addGroup,
  findGroup: offer.findGroup,
  editGroup: offer.editGroup,
  retireGroup: offer.retireGroup,
  viewUsableDay: week.viewUsableDay,
  saveUsableDay: week.saveUsableDay,
  viewFramework: framework.viewFramework,
  saveFramework: framework.saveFramework,
  resetFramework: framework.resetFramework,
  viewPersonNonAssociations: separations.viewPersonNonAssociations,
  recordNonAssociation: separations.recordNonAssociation,
  closeNonAssociation: separations.closeNonAssociation,
  findNonAssociationForClosing: separations.findNonAssociationForClosing,
  viewPrisonNonAssociations: separations.viewPrisonNonAssociations,
  addCohortSeparation: separations.addCohortSeparation,
  removeCohortSeparation: separations.removeCohortSeparation,
  viewAssessment: assessment.viewAssessment,
  viewAssessmentVersion: assessment.viewAssessmentVersion,
  assessmentForm: assessment.assessmentForm,
  saveAssessment: assessment.saveAssessment,
  dueAssessments: assessment.dueAssessments,
  needsAnalysis: analysis.needsAnalysis,
  needsAnalysisCsv: analysis.needsAnalysisCsv,
  peopleBehindGap: analysis.peopleBehindGap,
  needActivities: offer.needActivities,
}

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
    overdueAssessmentSweep: assessment.overdueAssessmentSweep(deps),
    ...bindUseCases(deps, regimeUseCases),
    allNeeds,
    allSlots,
  }
}
