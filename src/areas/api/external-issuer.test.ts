import { after, before, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { exportJWK, generateKeyPair, SignJWT, importJWK, type JWK } from 'jose'
import Provider from 'oidc-provider'
import { createServices, type Services } from '../../app.ts'
import { givenApiClient } from '../../../test/support/api-client.ts'
import { buildTestApp } from '../../../test/support/app.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { describeOnEachEngine } from '../../../test/support/database.ts'
import { createExternalIssuer } from './external-issuer.ts'

const administrator = { id: null, username: 'test-administrator' }
const AUDIENCE = 'waymark'

/** A signing key of the kind an authorisation server keeps: private, with its id. */
async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' }
}

/**
 * The prison's OAuth 2 server: `oidc-provider`, a certified OpenID Provider, issuing client credentials access
 * tokens as JWTs (RFC 9068) for Waymark's audience, with the client's roles in `authorities` as HMPPS Auth
 * writes them. Its first key signs; every key it is given is published at its JWKS address.
 */
function authorisationServer(issuer: string, keys: JWK[], rolesByClient: Record<string, string[]>): Provider {
  return new Provider(issuer, {
    clients: Object.keys(rolesByClient).map((clientId) => ({
      client_id: clientId,
      client_secret: `${clientId}-secret`,
      grant_types: ['client_credentials'],
      // Its only key is an elliptic curve one, so what it would sign for the client is signed so.
      id_token_signed_response_alg: 'ES256',
      response_types: [],
      redirect_uris: [],
    })),
    jwks: { keys },
    ttl: { ClientCredentials: 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => `https://${AUDIENCE}.example/`,
        getResourceServerInfo: () => ({
          scope: 'read write',
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 3600,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    extraTokenClaims: (_context, token) => ({ authorities: (token.clientId && rolesByClient[token.clientId]) || [] }),
  })
}

/** An HTTP server on a port of its own whose answers come from the provider it is given, now or later. */
async function serverOnItsOwnPort(): Promise<{
  address: string
  answerWith: (provider: Provider) => void
  close: () => Promise<void>
}> {
  let handle: ((request: IncomingMessage, response: ServerResponse) => unknown) | undefined
  const server: Server = createServer((request, response) => void handle?.(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    address: `http://127.0.0.1:${port}`,
    answerWith: (provider) => {
      handle = provider.callback()
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A token from the server over HTTP, as a client of it asks (client credentials, HTTP Basic). */
async function tokenFrom(issuer: string, clientId: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientId}-secret`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  })
  assert.equal(response.status, 200, await response.clone().text())
  return ((await response.json()) as { access_token: string }).access_token
}

/**
 * Issue 15: in production, tokens come from the prison's OAuth 2 server (HMPPS Auth), checked against its
 * published keys, with roles in HMPPS's style. Waymark finds the keys by the server's discovery document. The
 * clock is the system's, with `Date` under the test's hand so that an hour can pass for Waymark and the
 * server alike.
 */
describe('tokens from the prison’s OAuth 2 server', () => {
  describeOnEachEngine('an external issuer', (database) => {
    let app: FastifyInstance
    let services: Services
    let authServer: Awaited<ReturnType<typeof serverOnItsOwnPort>>
    let otherServer: Awaited<ReturnType<typeof serverOnItsOwnPort>>
    let issuer: string
    let firstKey: JWK
    let home: string
    let otherPrison: string
    const rolesByClient = {
      'hmpps-wing-kiosk': ['ROLE_WAYMARK__PEOPLE__RO', 'ROLE_PRISONER_SEARCH'],
      'hmpps-healthcare': ['ROLE_WAYMARK__CONCERNS__RO'],
      'hmpps-stranger': ['ROLE_WAYMARK__PEOPLE__RO'],
      'hmpps-old-kiosk': ['ROLE_WAYMARK__PEOPLE__RO'],
    }
    const people = (token: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'GET',
        url: '/api/people',
        headers: { authorization: `Bearer ${token}`, 'caseload-id': home, ...headers },
      })
    const developerMessage = (response: { json: <T>() => T }) =>
      response.json<{ developerMessage: string }>().developerMessage

    before(async () => {
      mock.timers.enable({ apis: ['Date'], now: Date.now() })
      authServer = await serverOnItsOwnPort()
      issuer = authServer.address
      firstKey = await signingKey('first-key')
      authServer.answerWith(authorisationServer(issuer, [firstKey], rolesByClient))
      otherServer = await serverOnItsOwnPort()
      otherServer.answerWith(authorisationServer(otherServer.address, [await signingKey('other-key')], rolesByClient))

      home = (await givenEstablishment(database.db)).code
      otherPrison = (await givenEstablishment(database.db)).code
      await givenPerson(database.db, home, { firstName: 'Aled', lastName: 'Ashworth' })
      app = await buildTestApp(database.db, {
        config: { apiTokenIssuer: { issuer, jwksUrl: null, audience: AUDIENCE } },
      })
      services = createServices({ db: database.db })
      for (const [clientId, establishments] of [
        ['hmpps-wing-kiosk', `${home},${otherPrison}`],
        ['hmpps-healthcare', home],
        ['hmpps-old-kiosk', home],
      ])
        assert.ok(
          (await services.api.addExternalClient(administrator, { externalClientId: clientId, establishments })).ok,
        )
    })
    after(async () => {
      await app?.close()
      await authServer?.close()
      await otherServer?.close()
      mock.timers.reset()
    })

    it('answers a registered client at its prison, with the roles its token holds, and audits the call', async () => {
      const token = await tokenFrom(issuer, 'hmpps-wing-kiosk')
      const response = await people(token, { username: 'JSMITH_GEN' })
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(
        response.json<{ content: { lastName: string }[] }>().content.map((person) => person.lastName),
        ['Ashworth'],
      )
      const audited = await database.db
        .selectFrom('audit_event')
        .select(['action', 'establishment_code', 'details'])
        .where('actor_username', '=', 'api-client:hmpps-wing-kiosk')
        .execute()
      assert.deepEqual(audited, [
        {
          action: 'api.called',
          establishment_code: home,
          details: {
            clientId: 'hmpps-wing-kiosk',
            method: 'GET',
            route: '/api/people',
            status: 200,
            username: 'JSMITH_GEN',
          },
        },
      ])
    })

    it('refuses a registered client a call its token holds no role for', async () => {
      const response = await people(await tokenFrom(issuer, 'hmpps-healthcare'))
      assert.equal(response.statusCode, 403)
      assert.equal(developerMessage(response), 'This client does not hold ROLE_WAYMARK__PEOPLE__RO')
    })

    it('answers 403 for a prison the client was not registered for', async () => {
      const token = await tokenFrom(issuer, 'hmpps-healthcare')
      const response = await people(token, { 'caseload-id': otherPrison })
      assert.equal(response.statusCode, 403)
      assert.equal(developerMessage(response), `This client may not ask about the prison ${otherPrison}`)
    })

    it('answers 403 to a client of the issuer no administrator registered, and to one revoked', async () => {
      const stranger = await people(await tokenFrom(issuer, 'hmpps-stranger'))
      assert.equal(stranger.statusCode, 403)
      assert.deepEqual(stranger.json(), {
        status: 403,
        userMessage: 'Forbidden',
        developerMessage: `The client hmpps-stranger of ${issuer} is not registered with Waymark: ask its administrators to add it with the prisons it may ask about`,
      })
      const token = await tokenFrom(issuer, 'hmpps-old-kiosk')
      assert.equal((await people(token)).statusCode, 200)
      assert.ok(await services.api.revokeClient(administrator, 'hmpps-old-kiosk'))
      const revoked = await people(token)
      assert.equal(revoked.statusCode, 403)
      assert.equal(developerMessage(revoked), 'The client hmpps-old-kiosk was revoked in Waymark')
    })

    it('answers 401 to a token from another issuer, though its client id is registered here', async () => {
      const response = await people(await tokenFrom(otherServer.address, 'hmpps-wing-kiosk'))
      assert.equal(response.statusCode, 401)
      assert.equal(response.headers['www-authenticate'], 'Bearer')
      assert.equal(developerMessage(response), `The token is not one this Waymark issued, nor one from ${issuer}`)
    })

    it('answers 401 to a token in the issuer’s name signed by a key it does not publish', async () => {
      const claims = { client_id: 'hmpps-wing-kiosk', authorities: ['ROLE_WAYMARK__PEOPLE__RO'] }
      const forge = async (kid: string) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid })
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(await importJWK(await signingKey(kid), 'ES256'))
      for (const kid of ['a-key-of-its-own', firstKey.kid!]) {
        const response = await people(await forge(kid))
        assert.equal(response.statusCode, 401, kid)
        assert.equal(developerMessage(response), `The token was not signed by a key ${issuer} publishes`)
      }
    })

    it('answers 401 to a token of the issuer’s for another audience', async () => {
      const token = await new SignJWT({ client_id: 'hmpps-wing-kiosk', authorities: ['ROLE_WAYMARK__PEOPLE__RO'] })
        .setProtectedHeader({ alg: 'ES256', kid: firstKey.kid! })
        .setIssuer(issuer)
        .setAudience('prisoner-search')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importJWK(firstKey, 'ES256'))
      const response = await people(token)
      assert.equal(response.statusCode, 401)
      assert.equal(developerMessage(response), `The token is not for Waymark: ask ${issuer} for one with its audience`)
    })

    it('answers 403 to a token of the issuer’s naming a client that Waymark itself issues tokens to', async () => {
      const own = await givenApiClient(app, services, { roles: ['ROLE_WAYMARK__PEOPLE__RO'], establishments: [home] })
      const token = await new SignJWT({ client_id: own.clientId, authorities: ['ROLE_WAYMARK__PEOPLE__RO'] })
        .setProtectedHeader({ alg: 'ES256', kid: firstKey.kid! })
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importJWK(firstKey, 'ES256'))
      assert.equal((await people(token)).statusCode, 403)
      // Waymark's own token for that client works beside the issuer's, as it did before.
      assert.equal((await own.get('/api/people')).statusCode, 200)
    })

    it('answers 401 to a token an hour old', async () => {
      const token = await tokenFrom(issuer, 'hmpps-wing-kiosk')
      assert.equal((await people(token)).statusCode, 200)
      mock.timers.tick((3600 + 31) * 1000)
      const response = await people(token)
      assert.equal(response.statusCode, 401)
      assert.equal(developerMessage(response), `The token has expired: ask ${issuer} for another`)
    })

    it('picks up a key the issuer rotated in, and keeps taking tokens signed by the one it still publishes', async () => {
      const beforeRotation = await tokenFrom(issuer, 'hmpps-wing-kiosk')
      assert.equal((await people(beforeRotation)).statusCode, 200)
      authServer.answerWith(authorisationServer(issuer, [await signingKey('second-key'), firstKey], rolesByClient))
      // jose fetches the keys again for an unknown key id at most every 30 seconds.
      mock.timers.tick(31_000)
      const afterRotation = await tokenFrom(issuer, 'hmpps-wing-kiosk')
      assert.notEqual(afterRotation.split('.')[0], beforeRotation.split('.')[0])
      const response = await people(afterRotation)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal((await people(beforeRotation)).statusCode, 200)
    })
  })
})

/**
 * Where the issuer's keys are found, against a server that answers as HMPPS Auth's layout does (keys at
 * `/.well-known/jwks.json`, no discovery document below the issuer) or as a discovery-speaking server does.
 */
describe('createExternalIssuer', () => {
  let key: JWK
  let routes: Record<string, () => { status: number; body: unknown }>
  let server: Server
  let address: string
  const token = async (claims: Record<string, unknown> = {}) =>
    new SignJWT({ client_id: 'hmpps-wing-kiosk', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid! })
      .setIssuer(address)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(key, 'ES256'))
  const publicKeys = () => {
    const { d: _private, ...published } = key
    return { status: 200, body: { keys: [published] } }
  }

  before(async () => {
    key = await signingKey('hmpps-auth-key')
    server = createServer((request, response) => {
      const answer = routes[request.url ?? '']?.() ?? { status: 404, body: { error: 'not found' } }
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    address = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('finds the keys at /.well-known/jwks.json below an issuer with no discovery document', async () => {
    routes = { '/.well-known/jwks.json': publicKeys }
    const issuer = createExternalIssuer({ issuer: address, jwksUrl: null, audience: null })
    const checked = await issuer.verify(await token(), new Date())
    assert.ok(checked.ok, JSON.stringify(checked))
    assert.equal(checked.claims.client_id, 'hmpps-wing-kiosk')
  })

  it('finds the keys where the discovery document says, and only if it speaks for this issuer', async () => {
    routes = {
      '/.well-known/openid-configuration': () => ({
        status: 200,
        body: { issuer: address, jwks_uri: `${address}/keys` },
      }),
      '/keys': publicKeys,
    }
    assert.ok(
      (await createExternalIssuer({ issuer: address, jwksUrl: null, audience: null }).verify(await token(), new Date()))
        .ok,
    )
    routes['/.well-known/openid-configuration'] = () => ({
      status: 200,
      body: { issuer: 'https://someone-else.example', jwks_uri: `${address}/keys` },
    })
    const refused = await createExternalIssuer({ issuer: address, jwksUrl: null, audience: null }).verify(
      await token(),
      new Date(),
    )
    assert.deepEqual(refused, {
      ok: false,
      refusal: { status: 503, developerMessage: `Waymark could not fetch the keys of ${address}: try again shortly` },
    })
  })

  it('takes the keys from API_TOKEN_JWKS_URL when it is set, without asking for discovery', async () => {
    routes = { '/auth/.well-known/jwks.json': publicKeys }
    const issuer = createExternalIssuer({
      issuer: address,
      jwksUrl: `${address}/auth/.well-known/jwks.json`,
      audience: null,
    })
    assert.ok((await issuer.verify(await token(), new Date())).ok)
  })

  it('answers 503 while the keys cannot be had, and accepts the token once they can', async () => {
    routes = { '/.well-known/jwks.json': () => ({ status: 500, body: {} }) }
    const issuer = createExternalIssuer({ issuer: address, jwksUrl: null, audience: null })
    const signed = await token()
    const down = await issuer.verify(signed, new Date())
    assert.equal(down.ok ? 200 : down.refusal.status, 503)
    routes = { '/.well-known/jwks.json': publicKeys }
    assert.ok((await issuer.verify(signed, new Date())).ok)
  })

  it('tells a token in its issuer’s name from another, without checking it', async () => {
    const issuer = createExternalIssuer({ issuer: address, jwksUrl: null, audience: null })
    assert.equal(issuer.isNamedBy(await token()), true)
    assert.equal(issuer.isNamedBy('not a token'), false)
  })
})
