import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import type { AreaRoutes } from '../../platform/area.ts'
import { registerListRoutes } from './routes/lists.ts'
import { registerObservationRoutes } from './routes/observations.ts'
import type { CarePlanRoutesDeps } from './routes/pages.ts'
import { registerPlanRoutes } from './routes/plan.ts'
import { registerSettingsRoutes } from './routes/settings.ts'
import { registerStepRoutes } from './routes/steps.ts'
import { registerSupportRoutes } from './routes/support.ts'

export const carePlanNavigation: readonly NavigationItem[] = [
  { messageKey: 'carePlans.navigation.lists', href: '/care-plans', permission: 'care-plans.lists' },
  { messageKey: 'carePlans.navigation.deadlines', href: '/care-plans/deadlines', permission: 'care-plans.lists' },
  { messageKey: 'carePlans.navigation.settings', href: '/care-plan-settings', permission: 'care-plans.settings' },
]

export const carePlanTab: PersonTab = {
  messageKey: 'carePlans.tab',
  path: 'care-plans',
  permission: 'care-plans.view-summary',
}

/**
 * The care plan pages, by part of the work (routes/): the plan, the steps that set it and its supervision,
 * observations, the support around the person, the lists and exports, and each prison's settings.
 */
export function registerCarePlanRoutes(app: AreaRoutes, deps: CarePlanRoutesDeps) {
  registerPlanRoutes(app, deps)
  registerStepRoutes(app, deps)
  registerObservationRoutes(app, deps)
  registerSupportRoutes(app, deps)
  registerListRoutes(app, deps)
  registerSettingsRoutes(app, deps)
}
