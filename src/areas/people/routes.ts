import { z } from 'zod'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { pageLinks } from '../../platform/pagination.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { sendDownload } from '../../platform/downloads.ts'
import { registerViewPage } from '../../platform/view-page.ts'
import type { PeopleService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

export const peopleNavigation: readonly NavigationItem[] = [
  { messageKey: 'roll.navigation', href: '/roll', permission: 'roll.view' },
]

const RollQuery = z.object({
  search: z.string().max(100).optional().catch(undefined),
  wing: z.string().max(20).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
})

/** The overview comes first; `app.ts` lists each area's tabs after it (platform/person-page.ts). */
export const overviewTab: PersonTab = { messageKey: 'person.tab.overview', path: '', permission: 'person.view' }

export function registerPeopleRoutes(app: AreaRoutes, { people }: { people: PeopleService }) {
  app.get(
    '/roll',
    { schema: { querystring: RollQuery }, config: { permission: 'roll.view' } },
    async (request, reply) => {
      const actor = actorOf(request)
      const query = request.query
      const roll = await people.viewRoll(actor, {
        search: query.search,
        wingCode: query.wing || undefined,
        page: query.page,
      })
      return reply.page('people/views/roll.njk', {
        roll,
        // The layout's title says which page of the roll this is.
        page: roll.page,
        pageCount: roll.pageCount,
        search: query.search ?? '',
        wing: query.wing ?? '',
        canExport: hasPermission(actor.role, 'roll.export'),
        pageLink: pageLinks('/roll', { search: query.search, wing: query.wing }),
      })
    },
  )

  app.get('/roll/export.csv', { config: { permission: 'roll.export' } }, async (request, reply) => {
    const actor = actorOf(request)
    const { csv } = await people.exportRoll(actor)
    return sendDownload(reply, `roll-${actor.establishmentCode}.csv`, csv)
  })

  registerViewPage(app, {
    path: '/people/:prisonNumber',
    params: PersonParams,
    permission: 'person.view',
    template: 'people/views/person.njk',
    view: (actor, { prisonNumber }) => people.viewPerson(actor, prisonNumber),
    extras: (request, view) => ({
      tabs: request.personTabs(view.person.prisonNumber, ''),
      actions: request.personActions(view.person.prisonNumber),
    }),
  })
}
