import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { ApiTokenIssuerConfig } from '../../config.ts'
import type { ApiRefusal } from '../../platform/api-callers.ts'

/** The algorithms of a server's published public keys; a shared secret (HS256) is never one of them. */
const PUBLIC_KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

/** The servers' clocks and Waymark's may differ a little; a token is not refused for a few seconds of that. */
const CLOCK_TOLERANCE_SECONDS = 30

/**
 * Issue 15: the OAuth 2 server (HMPPS Auth, or another) whose access tokens the API accepts beside Waymark's
 * own. Its keys are found once (`API_TOKEN_JWKS_URL`, or the issuer's discovery document) and fetched by
 * `jose`, which keeps them and fetches them again when a token names a key it has not seen: a key the server
 * rotated in is picked up without a restart. A failed look-up is tried again at the next token.
 */
export type ExternalIssuer = {
  issuer: string
  /** Whether tokens must name Waymark's audience (API_TOKEN_AUDIENCE), which tells an access token from an ID token. */
  audienceChecked: boolean
  /** Whether a token says it is this issuer's, read without checking it: which issuer's keys to check it with. */
  isNamedBy: (token: string) => boolean
  /** The token's claims, checked (signature, issuer, expiry and audience), or why it was refused. */
  verify: (token: string, now: Date) => Promise<{ ok: true; claims: JWTPayload } | { ok: false; refusal: ApiRefusal }>
}

export function createExternalIssuer(settings: ApiTokenIssuerConfig): ExternalIssuer {
  let keySet: Promise<JWTVerifyGetKey> | undefined
  const keys = () => {
    keySet ??= keysAddress(settings)
      .then((address) => createRemoteJWKSet(address))
      .catch((error: unknown) => {
        keySet = undefined
        throw error
      })
    return keySet
  }
  // Whatever stops the keys being had (no answer, an error status, not a key set) is not the token's fault.
  const keyOf: JWTVerifyGetKey = async (header, token) => {
    const remote = await keys()
    try {
      return await remote(header, token)
    } catch (error) {
      if (isTheTokensFault(error)) throw error
      throw new KeysNotFound('The issuer’s keys could not be fetched', { cause: error })
    }
  }
  return {
    issuer: settings.issuer,
    audienceChecked: Boolean(settings.audience),
    isNamedBy: (token) => {
      try {
        return decodeJwt(token).iss === settings.issuer
      } catch {
        return false
      }
    },
    verify: async (token, now) => {
      try {
        const { payload } = await jwtVerify(token, keyOf, {
          issuer: settings.issuer,
          ...(settings.audience ? { audience: settings.audience } : {}),
          algorithms: PUBLIC_KEY_ALGORITHMS,
          currentDate: now,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp'],
        })
        return { ok: true, claims: payload }
      } catch (error) {
        return { ok: false, refusal: refusalFor(error, settings.issuer) }
      }
    },
  }
}

function refusalFor(error: unknown, issuer: string): ApiRefusal {
  if (error instanceof errors.JWTExpired)
    return { status: 401, developerMessage: `The token has expired: ask ${issuer} for another` }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud')
    return { status: 401, developerMessage: `The token is not for Waymark: ask ${issuer} for one with its audience` }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed)
    return { status: 401, developerMessage: `The token was not signed by a key ${issuer} publishes` }
  // The issuer's keys could not be had (it is down, or its address is wrong): not the caller's fault.
  if (error instanceof KeysNotFound)
    return { status: 503, developerMessage: `Waymark could not fetch the keys of ${issuer}: try again shortly` }
  return { status: 401, developerMessage: `The token is not a valid one from ${issuer}` }
}

class KeysNotFound extends Error {}

/**
 * jose says what is wrong with a token by a kind of error of its own (no key of that id, an algorithm no key
 * has); a failed fetch of the keys is a bare `JOSEError` ("Expected 200 OK"), a timeout, a key set that is not
 * one, or the fetch's own error.
 */
function isTheTokensFault(error: unknown): boolean {
  return (
    error instanceof errors.JOSEError &&
    error.constructor !== errors.JOSEError &&
    !(error instanceof errors.JWKSTimeout) &&
    !(error instanceof errors.JWKSInvalid)
  )
}

/**
 * Where the issuer publishes its keys: the configured address, else the `jwks_uri` of its discovery document
 * (OpenID Connect Discovery, RFC 8414), else `/.well-known/jwks.json` below the issuer, where HMPPS Auth and
 * Waymark itself keep theirs, when the issuer has no discovery document.
 */
async function keysAddress(settings: ApiTokenIssuerConfig): Promise<URL> {
  if (settings.jwksUrl) return new URL(settings.jwksUrl)
  const base = settings.issuer.replace(/\/+$/, '')
  let response: Response
  try {
    response = await fetch(`${base}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    })
  } catch (error) {
    throw new KeysNotFound('The issuer’s discovery document could not be fetched', { cause: error })
  }
  if (response.status === 404) return new URL(`${base}/.well-known/jwks.json`)
  if (!response.ok) throw new KeysNotFound(`The issuer’s discovery document answered ${response.status}`)
  const document = (await response.json().catch(() => null)) as { issuer?: unknown; jwks_uri?: unknown } | null
  // A discovery document speaks for the issuer it names, and no other (OpenID Connect Discovery 4.3).
  if (document?.issuer !== settings.issuer || typeof document.jwks_uri !== 'string')
    throw new KeysNotFound('The issuer’s discovery document names another issuer, or no keys')
  const address = URL.parse(document.jwks_uri)
  if (!address || !(address.protocol === 'https:' || new URL(settings.issuer).protocol === 'http:'))
    throw new KeysNotFound('The issuer’s keys must be fetched over HTTPS')
  return address
}
