import { z } from 'zod'
import { sendDownload } from '../../../platform/downloads.ts'
import { Forbidden } from '../../../platform/errors.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { registerViewPage } from '../../../platform/view-page.ts'
import { type RegimeRoutesDeps } from './shared.ts'

const GapQuery = z.object({ need: z.string().max(40), cohort: z.string().max(40) })

/** R8: the population needs analysis, as a page and as CSV, and the people behind a gap. */
export function registerAnalysisRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // Population needs analysis (R8)

  registerViewPage(app, {
    path: '/needs-analysis',
    permission: 'regime.needs-analysis',
    template: 'regime/views/analysis.njk',
    view: (actor) => regime.needsAnalysis(actor),
    extras: (request) => ({ canSeePeople: hasPermission(actorOf(request).role, 'regime.assess') }),
  })
  app.get('/needs-analysis.csv', { config: { permission: 'regime.needs-analysis' } }, async (request, reply) => {
    const csv = await regime.needsAnalysisCsv(actorOf(request))
    return sendDownload(reply, `needs-analysis-${actorOf(request).establishmentCode}.csv`, csv)
  })
  app.get('/needs-analysis/people', { config: { permission: 'regime.assess' } }, async (request, reply) => {
    if (!hasPermission(actorOf(request).role, 'regime.needs-analysis')) throw new Forbidden()
    const parsed = GapQuery.safeParse(request.query)
    if (!parsed.success) return reply.redirect('/needs-analysis', 303)
    const view = await regime.peopleBehindGap(actorOf(request), parsed.data.need, parsed.data.cohort)
    return reply.page('regime/views/gap-people.njk', view)
  })
}
