import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import type { AreaRoutes } from '../../platform/area.ts'
import { registerCaseloadRoutes, registerWellbeingFlagRoutes } from './routes/caseload.ts'
import { registerChangeOfficerRoutes, registerChangeRequestRoutes } from './routes/change-requests.ts'
import { registerDedicatedOfficerRoutes, registerSpecialistNeedRoutes } from './routes/dedicated-officer.ts'
import { registerKeyWorkRoutes } from './routes/key-work.ts'
import { registerSettingsRoutes } from './routes/settings.ts'
import type { KeyworkRoutesOptions } from './routes/shared.ts'
import { registerStatisticsRoutes } from './routes/statistics.ts'
import { registerWingAllocationRoutes } from './routes/wing-allocation.ts'

export const keyworkNavigation: readonly NavigationItem[] = [
  { messageKey: 'keywork.navigation.caseload', href: '/my-caseload', permission: 'keywork.record-session' },
  { messageKey: 'keywork.navigation.allocate', href: '/dedicated-officers', permission: 'keywork.allocate' },
  { messageKey: 'keywork.navigation.flags', href: '/wellbeing-flags', permission: 'keywork.view-flags' },
  {
    messageKey: 'keywork.navigation.changeRequests',
    href: '/officer-change-requests',
    permission: 'keywork.review-change-request',
  },
  {
    messageKey: 'keywork.navigation.statistics',
    href: '/dedicated-officers/statistics',
    permission: 'keywork.view-statistics',
  },
  { messageKey: 'keywork.navigation.settings', href: '/key-work-settings', permission: 'keywork.settings' },
]

export const keyworkTabs: readonly PersonTab[] = [
  { messageKey: 'keywork.tab.dedicatedOfficer', path: 'dedicated-officer', permission: 'keywork.view' },
  { messageKey: 'keywork.tab.keyWork', path: 'key-work', permission: 'keywork.view' },
  // K2: the way in for partner workers too, who may record a request but not see the dedicated officer tab.
  { messageKey: 'keywork.tab.changeOfficer', path: 'change-officer', permission: 'keywork.raise-change-request' },
]

/** Key work's pages and API, one part of the work at a time (issue 12), in the order they were always registered. */
export function registerKeyworkRoutes(app: AreaRoutes, options: KeyworkRoutesOptions) {
  registerSettingsRoutes(app, options)
  registerDedicatedOfficerRoutes(app, options)
  registerSpecialistNeedRoutes(app, options)
  registerChangeOfficerRoutes(app, options)
  registerChangeRequestRoutes(app, options)
  registerWingAllocationRoutes(app, options)
  registerKeyWorkRoutes(app, options)
  registerCaseloadRoutes(app, options)
  registerWellbeingFlagRoutes(app, options)
  registerStatisticsRoutes(app, options)
}
