import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod'
import { HttpProblem } from './errors.ts'
import type { Actor } from './permissions.ts'

/**
 * Where an area registers its routes: a Fastify instance whose routes declare their params, query and body as
 * zod schemas (`schema: { params: PersonParams }`), so validation, the handler's types and the API's OpenAPI
 * document come from one place. A route whose params fail its schema answers 400 before its handler runs.
 */
export type AreaRoutes = Parameters<FastifyPluginAsyncZod>[0]

/**
 * An area as an encapsulated Fastify plugin (docs/areas.md): what it registers (routes, hooks, decorators)
 * stays inside it, and `src/app.ts` hands it only what it needs.
 *
 *   await app.register(areaPlugin(registerCostingRoutes), { costing: services.costing })
 */
export function areaPlugin<Options extends object>(
  register: (routes: AreaRoutes, options: Options) => void,
): FastifyPluginAsync<Options> {
  return async (area, options) => register(area.withTypeProvider<ZodTypeProvider>(), options)
}

/**
 * The signed-in user of a route that declares a permission. The sign-in and permission check runs before
 * validation and the handler, so a handler never meets a request without one; if it somehow did, the
 * answer is a 401, never a handler working as nobody.
 */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new HttpProblem(401, 'Sign in first')
  return request.actor
}
