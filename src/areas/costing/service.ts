import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { CostingDeps } from './deps.ts'
import * as comparison from './comparison.ts'
import * as settings from './settings.ts'

export type { CostingDeps } from './deps.ts'

/**
 * M4: the cost of what works against the cost of the situation today, at the user's prison (issue 12: its use
 * cases are the comparison and the settings it is worked out from). Every count and figure is asked of the
 * area that keeps its records; this area keeps only the prison's unit costs and assumptions, and the
 * arithmetic is in the rules.
 */
const costingUseCases = {
  costing: comparison.costing,
  unitCostForm: settings.unitCostForm,
  setUnitCost: settings.setUnitCost,
  setAssumptions: settings.setAssumptions,
}

export type CostingService = Bound<CostingDeps, typeof costingUseCases>

export function createCostingService(deps: CostingDeps): CostingService {
  return bindUseCases(deps, costingUseCases)
}

export type CostingView = Awaited<ReturnType<CostingService['costing']>>
