import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { registerViewPage } from '../../../platform/view-page.ts'
import { wingKey } from '../rules.ts'
import { labelled, WingQuery, withRefusalTexts, type KeyworkRoutesOptions } from './shared.ts'

const WingForm = z.object({ wing: z.string().max(20), plan: z.string().max(200_000) })

/** K1: allocating a wing at once. */
export function registerWingAllocationRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerViewPage(app, {
    path: '/dedicated-officers',
    query: WingQuery,
    permission: 'keywork.allocate',
    template: 'keywork/views/wing-allocation.njk',
    view: (actor) => keywork.viewWingAllocation(actor),
    extras: (request, view, { wing }) => ({
      ...labelled(view.policy, request.language),
      // The wings first, with how many each has to allocate; one wing's people when it is chosen.
      wingCounts: view.wings.map((shown) => ({
        key: wingKey(shown.code),
        name: shown.name,
        people: shown.people.length,
        recommended: shown.people.filter((person) => person.recommendation.staffUserId !== null).length,
      })),
      shown: view.wings.find((shown) => wingKey(shown.code) === wing) ?? null,
      officers: withRefusalTexts(request.t, view.officers),
      accepted: request.done?.word === 'accepted' ? (request.done.count ?? null) : null,
      changed: request.done?.word === 'changed',
    }),
  })
  app.post('/dedicated-officers', { config: { permission: 'keywork.allocate' } }, async (request, reply) => {
    const { wing, plan } = WingForm.parse(request.body)
    const count = await keywork.acceptWingRecommendation(actorOf(request), wing, plan)
    // Back to the wing: to review its recommendation again, or to see who is left on it.
    const back = `/dedicated-officers?wing=${encodeURIComponent(wingKey(wing))}`
    if (count === null) return reply.redirectWithNotice(back, 'changed')
    return reply.redirectWithNotice(back, 'accepted', { count })
  })
}
