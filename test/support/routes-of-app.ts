import diagnostics from 'node:diagnostics_channel'
import type { FastifyInstance, RouteOptions } from 'fastify'

/** Every route the app registers, seen through an `onRoute` hook added the moment Fastify is created. */
export async function buildAppCollectingRoutes(build: () => Promise<FastifyInstance>) {
  const routes: RouteOptions[] = []
  const collect = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance }
    fastify.addHook('onRoute', (route) => void routes.push(route))
  }
  diagnostics.subscribe('fastify.initialization', collect)
  try {
    return { app: await build(), routes }
  } finally {
    diagnostics.unsubscribe('fastify.initialization', collect)
  }
}

/** The permission a route declares in its config. */
export const permissionOf = (route: RouteOptions) => (route.config as { permission?: string } | undefined)?.permission
