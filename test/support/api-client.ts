import type { FastifyInstance } from 'fastify'
import type { Services } from '../../src/app.ts'

/**
 * Another system calling Waymark's API, as the issue's clients do: registered by an administrator with its
 * roles and prisons, a token from /oauth/token, and calls that send it with a Caseload-Id.
 */
export async function givenApiClient(
  app: FastifyInstance,
  services: Services,
  options: { roles: readonly string[]; establishments: readonly string[]; name?: string },
) {
  const added = await services.api.addClient(
    { id: null, username: 'test-administrator' },
    {
      name: options.name ?? 'Test system',
      roles: options.roles.join(','),
      establishments: options.establishments.join(','),
    },
  )
  if (!added.ok) throw new Error(`client refused: ${JSON.stringify(added.problems)}`)
  const basic = `Basic ${Buffer.from(`${added.clientId}:${added.clientSecret}`).toString('base64')}`
  const tokenResponse = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic },
    payload: { grant_type: 'client_credentials' },
  })
  if (tokenResponse.statusCode !== 200) throw new Error(`no token: ${tokenResponse.body}`)
  const token = tokenResponse.json<{ access_token: string }>().access_token
  /** A call with the token, about the client's first prison unless the call names another. */
  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body: object | undefined,
    headers: Record<string, string>,
  ) =>
    app.inject({
      method,
      url,
      ...(body ? { payload: body } : {}),
      headers: { authorization: `Bearer ${token}`, 'caseload-id': options.establishments[0] ?? '', ...headers },
    })
  return {
    clientId: added.clientId,
    basic,
    token,
    get: (url: string, headers: Record<string, string> = {}) => call('GET', url, undefined, headers),
    /** A change names its member of staff in `username` (and an update the ETag it read in `if-match`). */
    post: (url: string, body: object, headers: Record<string, string> = {}) => call('POST', url, body, headers),
    put: (url: string, body: object, headers: Record<string, string> = {}) => call('PUT', url, body, headers),
  }
}

/**
 * Another system registered with these roles for the prison a file of route tests works in (its `home`), with its
 * token: `const kiosk = await givenSystemAtHome(site, ['ROLE_WAYMARK__TIMETABLES__RO'])`.
 */
export function givenSystemAtHome(
  site: { app: FastifyInstance; services: Services; home: { code: string } },
  roles: readonly string[],
  name?: string,
) {
  return givenApiClient(site.app, site.services, { roles, establishments: [site.home.code], name })
}
