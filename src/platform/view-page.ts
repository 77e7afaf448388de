import type { FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { actorOf, type AreaRoutes } from './area.ts'
import type { Actor, Permission } from './permissions.ts'

/** A page that shows what one use case views, at one address. */
export type ViewPage<Params, Query, View> = {
  path: string
  params?: z.ZodType<Params>
  query?: z.ZodType<Query>
  permission: Permission
  template: string
  /** The use case that works out what the page shows, given the address's params and query (typed, and checked). */
  view: (actor: Actor, address: Params & Query) => Promise<View>
  /** What the page shows beside the view that only the request knows: the person's tabs, a notice, its language. */
  extras?: (request: FastifyRequest, view: View, address: Params & Query) => Record<string, unknown>
}

/**
 * A page that only shows (docs/areas.md): the address read through its schemas, one use case as the signed-in
 * user, then the template with the use case's view and the page's extras. A page with a form is
 * `registerFormPage` (`form-page.ts`).
 */
export function registerViewPage<Params extends object, Query extends object, View extends object>(
  app: AreaRoutes,
  page: ViewPage<Params, Query, View>,
): void {
  const schema = { ...(page.params && { params: page.params }), ...(page.query && { querystring: page.query }) }
  app.get(page.path, { schema, config: { permission: page.permission } }, async (request, reply) => {
    // The query only where a schema has checked it, and the path's params last: the address names who is shown,
    // and `?prisonNumber=…` or `?version=abc` must not stand in for it.
    const address = { ...(page.query ? (request.query as Query) : {}), ...(request.params as Params) } as Params & Query
    const view = await page.view(actorOf(request), address)
    return reply.page(page.template, { ...view, ...page.extras?.(request, view, address) })
  })
}
