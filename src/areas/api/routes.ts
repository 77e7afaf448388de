import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import type { ApiService } from './service.ts'
import { apiReference } from './reference.ts'

const TokenForm = z
  .object({
    grant_type: z.string().optional().meta({ description: 'Always client_credentials', example: 'client_credentials' }),
  })
  .meta({ description: 'An application/x-www-form-urlencoded body' })

const TokenAnswer = z
  .object({
    access_token: z
      .string()
      .meta({ description: 'A JWT to send as `Authorization: Bearer …`', example: 'eyJhbGciOi…' }),
    token_type: z.literal('bearer').meta({ description: 'Always bearer', example: 'bearer' }),
    expires_in: z.number().int().meta({ description: 'Seconds until it expires', example: 3600 }),
    scope: z.string().meta({ description: 'What the token may do', example: 'read write' }),
  })
  .meta({ id: 'Token' })

const TokenRefusal = z
  .object({
    error: z
      .enum(['invalid_request', 'invalid_client', 'unsupported_grant_type'])
      .meta({ description: 'Why, as OAuth 2 names it (RFC 6749 5.2)', example: 'invalid_client' }),
  })
  .meta({ id: 'TokenError' })

export function registerApiRoutes(app: AreaRoutes, { api }: { api: ApiService }) {
  app.post(
    '/oauth/token',
    {
      schema: {
        summary: 'A token for a registered client',
        description:
          'OAuth 2 client credentials: send the client id and secret as HTTP Basic authentication and ' +
          '`grant_type=client_credentials`. The token lasts an hour.',
        tags: ['Tokens'],
        security: [{ clientCredentials: [] }],
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: { 200: TokenAnswer, 400: TokenRefusal, 401: TokenRefusal },
      },
      // No cookie authenticates this: the client's own credentials do. Guessing secrets is slowed per address.
      config: { permission: 'public', csrf: false, rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const answer = await api.issueToken({
        authorization: request.headers.authorization,
        grantType: request.body?.grant_type,
      })
      if (!answer.ok) {
        if (answer.status === 401) reply.header('www-authenticate', 'Basic realm="waymark"')
        return reply.code(answer.status).send({ error: answer.error })
      }
      // RFC 6749 5.1: a token must never be kept by a cache.
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer.token)
    },
  )

  app.get('/.well-known/jwks.json', { config: { permission: 'public' } }, async () => api.publishedKeys())

  app.get('/v3/api-docs', { config: { permission: 'public' } }, async () => app.swagger())

  app.get('/api-docs', { config: { permission: 'public' } }, async (request, reply) =>
    reply.page('api/views/reference.njk', { reference: apiReference(app.swagger()) }),
  )
}
