import { randomUUID } from 'node:crypto'
import { errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose'
import type { ApiCaller, ApiCallerOnRecord, ApiCallOnRecord, ApiRefusal } from '../../platform/api-callers.ts'
import { staffActorNamed } from '../../platform/sessions.ts'
import { clientAuditActor, type ApiDeps, type SigningKeys } from './deps.ts'
import type { ExternalIssuer } from './external-issuer.ts'
import {
  basicCredentials,
  caseloadOf,
  clientSecretMatches,
  externalClientIdOf,
  rolesOfExternalToken,
  TOKEN_LIFETIME_SECONDS,
  usernameOfCall,
} from './rules.ts'
import * as store from './store.ts'

const ALGORITHM = 'ES256'

/**
 * The key Waymark signs tokens with, made on first use and kept in the database so that every process and
 * every restart signs and checks alike. Two processes making one at once each store theirs; both then sign
 * with the oldest, and both are published, so no token either signed is refused.
 */
async function signingKeys(deps: ApiDeps): Promise<SigningKeys> {
  deps.keys.loaded ??= loadSigningKeys(deps).catch((error: unknown) => {
    deps.keys.loaded = undefined
    throw error
  })
  return deps.keys.loaded
}

async function loadSigningKeys(deps: ApiDeps): Promise<SigningKeys> {
  let stored = await store.signingKeys(deps.db)
  if (stored.length === 0) {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true })
    const kid = randomUUID()
    await store.insertSigningKey(
      deps.db,
      {
        kid,
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' },
      },
      deps.clock.now(),
    )
    stored = await store.signingKeys(deps.db)
  }
  const [first] = stored
  if (!first) throw new Error('No API signing key could be stored')
  const publicKeys = new Map<string, CryptoKey>()
  for (const key of stored) publicKeys.set(key.kid, (await importJWK(key.publicJwk as JWK, ALGORITHM)) as CryptoKey)
  return { kid: first.kid, privateKey: (await importJWK(first.privateJwk as JWK, ALGORITHM)) as CryptoKey, publicKeys }
}

/** A key another process made after this one read them is read again, not refused. */
async function publicKeyFor(deps: ApiDeps, kid: string): Promise<CryptoKey | undefined> {
  const known = (await signingKeys(deps)).publicKeys.get(kid)
  if (known) return known
  deps.keys.loaded = undefined
  return (await signingKeys(deps)).publicKeys.get(kid)
}

/** The public keys, for `/.well-known/jwks.json`: what another service checks Waymark's tokens with. */
export async function publishedKeys(deps: ApiDeps): Promise<{ keys: Record<string, unknown>[] }> {
  await signingKeys(deps)
  const stored = await store.signingKeys(deps.db)
  return { keys: stored.map((key) => key.publicJwk) }
}

export type TokenAnswer =
  | { ok: true; token: { access_token: string; token_type: 'bearer'; expires_in: number; scope: string } }
  | { ok: false; status: 400 | 401; error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' }

/**
 * OAuth 2 client credentials (RFC 6749 4.4): a registered client, by its id and secret in Basic
 * authentication, gets a token of at most an hour holding its roles. A refusal never says which half of the
 * credentials was wrong.
 */
export async function issueToken(
  deps: ApiDeps,
  request: { authorization: string | undefined; grantType: string | undefined },
): Promise<TokenAnswer> {
  if (request.grantType !== 'client_credentials')
    return { ok: false, status: 400, error: request.grantType ? 'unsupported_grant_type' : 'invalid_request' }
  const credentials = basicCredentials(request.authorization)
  if (!credentials) return { ok: false, status: 401, error: 'invalid_client' }
  const client = await store.findClient(deps.db, credentials.clientId)
  if (!client || client.revokedAt || !client.secretHash || !clientSecretMatches(credentials.secret, client.secretHash))
    return { ok: false, status: 401, error: 'invalid_client' }
  const keys = await signingKeys(deps)
  const issuedAt = Math.floor(deps.clock.now().getTime() / 1000)
  const accessToken = await new SignJWT({
    client_id: client.clientId,
    authorities: client.roles,
    grant_type: 'client_credentials',
    auth_source: 'none',
    scope: ['read', 'write'],
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setIssuer(deps.issuer)
    .setSubject(client.clientId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(keys.privateKey)
  await deps.audit.record(deps.db, clientAuditActor(client.clientId), {
    action: 'api-client.token-issued',
    details: { clientId: client.clientId },
  })
  return {
    ok: true,
    token: { access_token: accessToken, token_type: 'bearer', expires_in: TOKEN_LIFETIME_SECONDS, scope: 'read write' },
  }
}

/**
 * Who sent a bearer token: one Waymark signed, or one from the external issuer (`API_TOKEN_ISSUER`) when one is
 * set, told apart by the issuer the token names and then checked with that issuer's keys alone.
 */
export async function callerOfToken(
  deps: ApiDeps,
  token: string,
  headers: { caseloadId: string | undefined; username: string | undefined },
): Promise<ApiCaller | ApiRefusal> {
  if (deps.externalIssuer?.isNamedBy(token)) return callerOfExternalToken(deps, deps.externalIssuer, token, headers)
  return callerOfOwnToken(deps, token, headers)
}

/**
 * A token Waymark signed, not expired, for a client still registered. What the client may do is its record's
 * roles now (a role taken away takes effect at once), and which prison it asks about is one of those it was
 * registered for.
 */
async function callerOfOwnToken(
  deps: ApiDeps,
  token: string,
  headers: { caseloadId: string | undefined; username: string | undefined },
): Promise<ApiCaller | ApiRefusal> {
  let clientId: string
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? await publicKeyFor(deps, header.kid) : undefined
        if (!key) throw new errors.JWKSNoMatchingKey()
        return key
      },
      { issuer: deps.issuer, algorithms: [ALGORITHM], currentDate: deps.clock.now() },
    )
    if (typeof payload.client_id !== 'string') throw new errors.JWTClaimValidationFailed('no client_id', payload)
    clientId = payload.client_id
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      return { status: 401, developerMessage: 'The token has expired: ask /oauth/token for another' }
    return {
      status: 401,
      developerMessage: deps.externalIssuer
        ? `The token is not one this Waymark issued, nor one from ${deps.externalIssuer.issuer}`
        : 'The token is not one this Waymark issued',
    }
  }
  const client = await store.findClient(deps.db, clientId)
  // A client of the external issuer never gets a token of Waymark's, so one naming it is not Waymark's doing.
  if (!client || client.revokedAt || client.tokensFrom !== 'waymark')
    return { status: 401, developerMessage: 'The client that token was issued to is no longer registered' }
  return callerAt(deps, client, client.roles, headers.caseloadId, usernameOfCall({}, headers.username))
}

/**
 * A token from the external issuer: its signature by a key the issuer publishes, its issuer, expiry (and
 * audience, where one is set) checked. What the client may do is the issuer's to say (the Waymark roles among
 * the token's `authorities`); which prisons it may ask about is Waymark's, so its client id must be one an
 * administrator registered (`waymark api-client add --external-client-id`) and has not revoked.
 */
async function callerOfExternalToken(
  deps: ApiDeps,
  issuer: ExternalIssuer,
  token: string,
  headers: { caseloadId: string | undefined; username: string | undefined },
): Promise<ApiCaller | ApiRefusal> {
  const checked = await issuer.verify(token, deps.clock.now())
  if (!checked.ok) return checked.refusal
  const clientId = externalClientIdOf(checked.claims, { audienceChecked: issuer.audienceChecked })
  if (!clientId)
    return {
      status: 401,
      developerMessage: issuer.audienceChecked
        ? 'The token names no client (client_id or azp)'
        : 'The token names no client_id (azp is read only where API_TOKEN_AUDIENCE is set)',
    }
  const client = await store.findClient(deps.db, clientId)
  if (!client || client.tokensFrom !== 'external')
    return {
      status: 403,
      developerMessage: `The client ${clientId} of ${issuer.issuer} is not registered with Waymark: ask its administrators to add it with the prisons it may ask about`,
    }
  if (client.revokedAt)
    return {
      status: 403,
      developerMessage: `The client ${clientId} was revoked in Waymark`,
      client: { clientId, username: usernameOfCall(checked.claims, headers.username), establishmentCode: null },
    }
  return callerAt(
    deps,
    client,
    rolesOfExternalToken(checked.claims),
    headers.caseloadId,
    usernameOfCall(checked.claims, headers.username),
  )
}

/** The caller a registered client is for this call: the prison it asks about, and who at its end asked. */
async function callerAt(
  deps: ApiDeps,
  client: store.StoredClient,
  roles: readonly string[],
  caseloadId: string | undefined,
  username: string | null,
): Promise<ApiCaller | ApiRefusal> {
  const caseload = caseloadOf(caseloadId, client.establishmentCodes)
  if (!caseload.ok)
    return {
      status: caseload.status,
      developerMessage: caseload.developerMessage,
      client: { clientId: client.clientId, username, establishmentCode: null },
    }
  return {
    clientId: client.clientId,
    clientName: client.name,
    roles,
    establishmentCodes: client.establishmentCodes,
    establishmentCode: caseload.establishmentCode,
    username,
    staffMember: username ? await staffActorNamed(deps.db, username, caseload.establishmentCode) : null,
  }
}

/**
 * Every API call of a registered client, answered or refused, in the audit trail with the client, the route,
 * the ids in its address and the answer.
 */
export async function recordCall(deps: ApiDeps, caller: ApiCallerOnRecord, call: ApiCallOnRecord): Promise<void> {
  await deps.audit.record(deps.db, clientAuditActor(caller.clientId), {
    action: 'api.called',
    ...(caller.establishmentCode ? { establishmentCode: caller.establishmentCode } : {}),
    details: {
      clientId: caller.clientId,
      method: call.method,
      route: call.route,
      status: call.statusCode,
      username: caller.username,
      // Flat, as audit details are: `prisonNumber`, `id`, …, each under its name in the address.
      ...Object.fromEntries(Object.entries(call.params).map(([name, value]) => [`address.${name}`, value])),
    },
  })
}
