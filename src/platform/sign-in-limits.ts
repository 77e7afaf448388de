import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { HttpProblem } from './errors.ts'

function typedUsername(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined
  return typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : ''
}

/**
 * The limits a sign-in form keeps by address, before the per-username delay of `sign-in-delay.ts`: a person's
 * own retries (one address and one username) and a flood from one machine (one address, any username), set
 * far above a shift change, because every PC on a wing, and often every PC in the prison, shares one address.
 * Kept in each process's memory: they only damp floods; the limit on guessing a password is the database's.
 */
export function signInLimits(app: FastifyInstance, config: Config) {
  const byAddressAndUsername = app.createRateLimit({
    max: config.signInAttemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `${normalizeIP(request.ip)} ${typedUsername(request)}`,
  })
  const byAddress = app.createRateLimit({
    max: config.signInAttemptsPerAddressPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => normalizeIP(request.ip),
  })
  // A preHandler, not onRequest: the username is in the form, which is parsed by then.
  return async function refuseTooManySignIns(request: FastifyRequest, reply: FastifyReply) {
    for (const limit of [byAddress, byAddressAndUsername]) {
      const outcome = await limit(request)
      if (!outcome.isAllowed && outcome.isExceeded) {
        reply.header('retry-after', String(outcome.ttlInSeconds))
        throw new HttpProblem(429, 'Too many sign-in attempts')
      }
    }
  }
}
