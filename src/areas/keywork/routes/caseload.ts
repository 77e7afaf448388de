import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import type { FastifyRequest } from 'fastify'
import type { KeyworkPolicy, WellbeingFlag } from '../rules.ts'
import { flagTexts, labelled, type KeyworkRoutesOptions } from './shared.ts'

/** A list of people with the flags raised about each, as the caseload and the wellbeing flags pages show it. */
function flaggedPeoplePage<
  View extends { policy: KeyworkPolicy; people: readonly { flags: readonly WellbeingFlag[] }[] },
>(request: FastifyRequest, view: View) {
  return {
    ...view,
    ...labelled(view.policy, request.language),
    people: view.people.map((person) => ({ ...person, flagTexts: flagTexts(request.t, person.flags) })),
  }
}

/** An officer's own caseload. */
export function registerCaseloadRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  app.get('/my-caseload', { config: { permission: 'keywork.record-session' } }, async (request, reply) => {
    const view = await keywork.myCaseload(actorOf(request))
    return reply.page('keywork/views/my-caseload.njk', flaggedPeoplePage(request, view))
  })
}

/** K4: the wellbeing flags, for safer custody. */
export function registerWellbeingFlagRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  app.get('/wellbeing-flags', { config: { permission: 'keywork.view-flags' } }, async (request, reply) => {
    const view = await keywork.listWellbeingFlags(actorOf(request))
    return reply.page('keywork/views/wellbeing-flags.njk', flaggedPeoplePage(request, view))
  })
}
