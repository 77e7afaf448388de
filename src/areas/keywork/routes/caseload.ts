import type { AreaRoutes } from '../../../platform/area.ts'
import { registerViewPage } from '../../../platform/view-page.ts'
import { PageQuery, pageLinks } from '../../../platform/pagination.ts'
import type { FastifyRequest } from 'fastify'
import type { KeyworkPolicy, WellbeingFlag } from '../rules.ts'
import { flagTexts, labelled, WingQuery, type KeyworkRoutesOptions } from './shared.ts'

/** A list of people with the flags raised about each, as the caseload and the wellbeing flags pages show it. */
function flaggedPeoplePage<
  View extends { policy: KeyworkPolicy; people: readonly { flags: readonly WellbeingFlag[] }[] },
>(request: FastifyRequest, view: View) {
  return {
    ...labelled(view.policy, request.language),
    people: view.people.map((person) => ({ ...person, flagTexts: flagTexts(request.t, person.flags) })),
  }
}

/** An officer's own caseload. */
export function registerCaseloadRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerViewPage(app, {
    path: '/my-caseload',
    permission: 'keywork.record-session',
    template: 'keywork/views/my-caseload.njk',
    view: (actor) => keywork.myCaseload(actor),
    extras: flaggedPeoplePage,
  })
}

const FlagsQuery = PageQuery.extend(WingQuery.shape)

/** K4: the wellbeing flags, for safer custody. */
export function registerWellbeingFlagRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerViewPage(app, {
    path: '/wellbeing-flags',
    query: FlagsQuery,
    permission: 'keywork.view-flags',
    template: 'keywork/views/wellbeing-flags.njk',
    view: (actor, asked) => keywork.listWellbeingFlags(actor, asked),
    extras: (request, view) => ({
      ...flaggedPeoplePage(request, view),
      pageLink: pageLinks('/wellbeing-flags', { wing: view.wing ?? undefined }),
    }),
  })
}
