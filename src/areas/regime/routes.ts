import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import type { AreaRoutes } from '../../platform/area.ts'
import type { RegimeService } from './service.ts'
import { registerAnalysisRoutes } from './routes/analysis.ts'
import { registerAssessmentRoutes } from './routes/assessment.ts'
import { registerFrameworkRoutes } from './routes/framework.ts'
import { registerActivityRoutes, registerGroupRoutes, registerUsableDayRoutes } from './routes/offer.ts'
import { registerPersonNonAssociationRoutes, registerPrisonNonAssociationRoutes } from './routes/separations.ts'

export const regimeNavigation: readonly NavigationItem[] = [
  { messageKey: 'regime.navigation.offer', href: '/regime/offer', permission: 'regime.view' },
  { messageKey: 'regime.navigation.assessments', href: '/needs-assessments', permission: 'regime.assess' },
  { messageKey: 'regime.navigation.nonAssociations', href: '/non-associations', permission: 'regime.non-associations' },
  { messageKey: 'regime.navigation.analysis', href: '/needs-analysis', permission: 'regime.needs-analysis' },
]

export const regimeTabs: readonly PersonTab[] = [
  { messageKey: 'regime.tab.assessment', path: 'needs-assessment', permission: 'regime.assess' },
  { messageKey: 'regime.tab.nonAssociations', path: 'non-associations', permission: 'regime.non-associations' },
]

/** The regime's pages and API, by part of the work (issue 12), registered in the order they always were. */
export function registerRegimeRoutes(app: AreaRoutes, deps: { regime: RegimeService }) {
  registerActivityRoutes(app, deps)
  registerGroupRoutes(app, deps)
  registerUsableDayRoutes(app, deps)
  registerFrameworkRoutes(app, deps)
  registerPersonNonAssociationRoutes(app, deps)
  registerPrisonNonAssociationRoutes(app, deps)
  registerAssessmentRoutes(app, deps)
  registerAnalysisRoutes(app, deps)
}
