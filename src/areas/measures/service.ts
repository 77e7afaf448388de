import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import * as deaths from './deaths.ts'
import type { MeasuresDeps } from './deps.ts'
import * as incidents from './incidents.ts'
import * as safety from './safety-figures.ts'
import * as snapshots from './snapshots.ts'
import * as targets from './targets.ts'

export type { Refusal } from '../../platform/forms.ts'
export type { MeasuresDeps } from './deps.ts'
export { deathHeaderAlertsOf } from './deaths.ts'
export { incidentInjuries, incidentMethods, type IncidentInput } from './incidents.ts'

/**
 * M1, M2: the measures for governors, one module for each part of the work (issue 12): the figures worked out
 * and kept (snapshots), the dashboard against its targets, the safety figures, incidents and deaths in custody.
 */
const measuresUseCases = {
  refreshFigures: snapshots.refreshFigures,
  dashboard: targets.dashboard,
  targetForm: targets.targetForm,
  setTarget: targets.setTarget,
  safetyFigures: safety.safetyFigures,
  safetyCountsAt: safety.safetyCountsAt,
  listIncidents: incidents.listIncidents,
  incidentForm: incidents.incidentForm,
  recordIncident: incidents.recordIncident,
  listDeaths: deaths.listDeaths,
  headerAlertsOf: deaths.headerAlertsOf,
  deathForm: deaths.deathForm,
  recordDeath: deaths.recordDeath,
}

/** The use cases, and the two sweeps the job worker runs (objects, not use cases: built once here). */
export type MeasuresService = Bound<MeasuresDeps, typeof measuresUseCases> & {
  figuresSweep: ReturnType<typeof snapshots.figuresSweep>
  transferWatchSweep: ReturnType<typeof safety.transferWatchSweep>
}

export function createMeasuresService(deps: MeasuresDeps): MeasuresService {
  return {
    ...bindUseCases(deps, measuresUseCases),
    figuresSweep: snapshots.figuresSweep(deps),
    transferWatchSweep: safety.transferWatchSweep(deps),
  }
}
