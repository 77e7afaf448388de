import { bindUseCases, useCasesOf, type Bound } from '../../platform/use-cases.ts'
import * as deaths from './deaths.ts'
import type { MeasuresDeps } from './deps.ts'
import * as forSystems from './for-systems.ts'
import * as incidents from './incidents.ts'
import * as safety from './safety-figures.ts'
import { figuresSweep } from './snapshots.ts'
import * as targets from './targets.ts'
import { transferWatchSweep } from './transfer-watch.ts'

export type { Refusal } from '../../platform/forms.ts'
export type { MeasuresDeps } from './deps.ts'
export { deathHeaderAlertsOf } from './header-alert.ts'
export type { IncidentInput } from './incidents.ts'
export { incidentInjuries, incidentMethods } from './rules.ts'

/**
 * M1, M2: the measures for governors, one module for each part of the work (issue 12): the dashboard against
 * its targets, the safety figures, incidents and deaths in custody. Each module exports its use cases and
 * nothing else, so the service is every module's exports; the figures worked out and kept (snapshots.ts) and
 * the transfer watch are what those use cases and the job worker share.
 */
const measuresUseCases = useCasesOf(targets, safety, incidents, deaths, forSystems)

/** The use cases, and the two sweeps the job worker runs (objects, not use cases: built once here). */
export type MeasuresService = Bound<MeasuresDeps, typeof measuresUseCases> & {
  figuresSweep: ReturnType<typeof figuresSweep>
  transferWatchSweep: ReturnType<typeof transferWatchSweep>
}

export function createMeasuresService(deps: MeasuresDeps): MeasuresService {
  return {
    ...bindUseCases(deps, measuresUseCases),
    figuresSweep: figuresSweep(deps),
    transferWatchSweep: transferWatchSweep(deps),
  }
}
