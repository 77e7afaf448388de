import fastifyCookie from '@fastify/cookie'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { areaPlugin, type AreaRoutes } from '../../src/platform/area.ts'
import { registerNotices } from '../../src/platform/notices.ts'
import type { Actor } from '../../src/platform/permissions.ts'

/**
 * A Fastify app with only what platform's page helpers (`registerFormPage`, `registerViewPage`) need: zod
 * schemas, a signed-in user, translation by key, the notice after a change (signed cookies), and each page
 * answered as the JSON its template would be given, so a test reads what the page would show. The routes are an area's, registered as areas are.
 */
export async function pageHelperApp(actor: Actor, register: (app: AreaRoutes) => void): Promise<FastifyInstance> {
  const app = Fastify()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await app.register(fastifyCookie, { secret: 'a page helper test secret' })
  registerNotices(app, { secureCookies: false })
  app.decorateRequest('actor', null)
  app.decorateRequest('t', undefined as never)
  app.addHook('onRequest', async (request) => {
    request.actor = actor
    request.t = (key) => `text of ${key}`
  })
  app.decorateReply('page', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    return this.send({ template, ...context })
  })
  await app.register(areaPlugin(register), {})
  return app
}
