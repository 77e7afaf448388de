import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { JourneyDeps } from './deps.ts'
import * as handovers from './handovers.ts'
import * as responsibility from './responsibility.ts'
import * as rollSync from './roll-sync/sync.ts'
import { rollSyncSweep } from './roll-sync/sweep.ts'
import type { RollSyncSettings } from './roll-sync/rules.ts'
import type { Sweep } from '../../platform/jobs.ts'
import * as stages from './stages.ts'
import * as forSystems from './for-systems.ts'

export type {
  CarePlansForJourney,
  ConcernsForJourney,
  JourneyDeps,
  KeyworkForJourney,
  StaffForJourney,
} from './deps.ts'
export type { Refusal } from '../../platform/forms.ts'
export { GAPS_PAGE_SIZE } from './responsibility.ts'
export type { SyncRefusal, SyncReport } from './roll-sync/sync.ts'
export { rollSyncCommand } from './roll-sync/sync.ts'
export { rollSyncSettingsFrom, type RollSyncSettings } from './roll-sync/rules.ts'

/**
 * The journey's use cases, one module for each part of it (issue 12): stages, responsibility, handovers, and the
 * roll from NOMIS (issue 15).
 */
const journeyUseCases = {
  responsibilityOf: stages.responsibilityOf,
  viewJourney: stages.viewJourney,
  journeyForSystems: forSystems.journeyForSystems,
  recordStage: stages.recordStage,
  listGaps: responsibility.listGaps,
  gapCounts: responsibility.gapCounts,
  accountability: responsibility.accountability,
  handoverForm: handovers.handoverForm,
  startHandover: handovers.startHandover,
  listHandovers: handovers.listHandovers,
  handoverOutcomesSince: handovers.handoverOutcomesSince,
  viewHandover: handovers.viewHandover,
  acknowledgeHandover: handovers.acknowledgeHandover,
  recordChase: handovers.recordChase,
  refuseHandover: handovers.refuseHandover,
  // Issue 15: the roll from NOMIS (`waymark sync-roll`).
  syncRoll: rollSync.syncRoll,
}

/** The use cases, and the scheduled roll from NOMIS for the job worker, built when the server has its settings. */
export type JourneyService = Bound<JourneyDeps, typeof journeyUseCases> & {
  rollSyncSweep: (settings: RollSyncSettings, options?: Parameters<typeof rollSyncSweep>[2]) => Sweep
}

export function createJourneyService(deps: JourneyDeps): JourneyService {
  return {
    ...bindUseCases(deps, journeyUseCases),
    rollSyncSweep: (settings, options) => rollSyncSweep(deps, settings, options),
  }
}
