import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { JourneyDeps } from './deps.ts'
import * as handovers from './handovers.ts'
import * as responsibility from './responsibility.ts'
import * as stages from './stages.ts'

export type {
  CarePlansForJourney,
  ConcernsForJourney,
  JourneyDeps,
  KeyworkForJourney,
  StaffForJourney,
} from './deps.ts'
export type { Refusal } from '../../platform/forms.ts'
export { GAPS_PAGE_SIZE } from './responsibility.ts'

/** The journey's use cases, one module for each part of it (issue 12): stages, responsibility, handovers. */
const journeyUseCases = {
  responsibilityOf: stages.responsibilityOf,
  viewJourney: stages.viewJourney,
  recordStage: stages.recordStage,
  listGaps: responsibility.listGaps,
  accountability: responsibility.accountability,
  handoverForm: handovers.handoverForm,
  startHandover: handovers.startHandover,
  listHandovers: handovers.listHandovers,
  handoverOutcomesSince: handovers.handoverOutcomesSince,
  viewHandover: handovers.viewHandover,
  acknowledgeHandover: handovers.acknowledgeHandover,
  recordChase: handovers.recordChase,
  refuseHandover: handovers.refuseHandover,
}

export type JourneyService = Bound<JourneyDeps, typeof journeyUseCases>

export function createJourneyService(deps: JourneyDeps): JourneyService {
  return bindUseCases(deps, journeyUseCases)
}
