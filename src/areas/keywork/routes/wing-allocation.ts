import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { registerViewPage } from '../../../platform/view-page.ts'
import { labelled, withRefusalTexts, type KeyworkRoutesOptions } from './shared.ts'

const WingForm = z.object({ wing: z.string().max(20), plan: z.string().max(200_000) })
const DoneQuery = z.object({
  done: z.string().optional().catch(undefined),
  count: z.coerce.number().int().min(0).max(10_000).optional().catch(undefined),
})

/** K1: allocating a wing at once. */
export function registerWingAllocationRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerViewPage(app, {
    path: '/dedicated-officers',
    query: DoneQuery,
    permission: 'keywork.allocate',
    template: 'keywork/views/wing-allocation.njk',
    view: (actor) => keywork.viewWingAllocation(actor),
    extras: (request, view, { done, count }) => ({
      ...labelled(view.policy, request.language),
      officers: withRefusalTexts(request.t, view.officers),
      accepted: done === 'accepted' && count !== undefined ? count : null,
      changed: done === 'changed',
    }),
  })
  app.post('/dedicated-officers', { config: { permission: 'keywork.allocate' } }, async (request, reply) => {
    const { wing, plan } = WingForm.parse(request.body)
    const count = await keywork.acceptWingRecommendation(actorOf(request), wing, plan)
    if (count === null) return reply.redirect('/dedicated-officers?done=changed', 303)
    return reply.redirect(`/dedicated-officers?done=accepted&count=${count}`, 303)
  })
}
