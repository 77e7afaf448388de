import type { CarePlanService } from '../care-plans/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { MeasuresService } from '../measures/service.ts'
import type { PeopleService } from '../people/service.ts'
import type { StaffService } from '../staff/service.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'

/**
 * What every costing use case is given: built once, in app.ts. Every count and figure is asked of the area
 * that keeps its records; this area keeps only the prison's unit costs and assumptions.
 */
export type CostingDeps = PlatformDeps & {
  people: Pick<PeopleService, 'countOnRolls'>
  staff: Pick<StaffService, 'viewStaffList'>
  keywork: Pick<KeyworkService, 'sessionsDue'>
  measures: Pick<MeasuresService, 'dashboard' | 'safetyCountsAt'>
  carePlans: Pick<CarePlanService, 'daysAtEachLevel' | 'settingsFor'>
}
