import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { apiRoleName, type ApiAccess } from '../../platform/api-callers.ts'

/**
 * The parts of Waymark another system can be given, each read-only or read-write, named as HMPPS names its
 * roles: `ROLE_WAYMARK__CONCERNS__RW`. A client holds only what its work needs.
 */
export const apiScopes = [
  'PEOPLE',
  'CONCERNS',
  /** What was seen or heard in a sensitive concern: for a safer custody or healthcare system only. */
  'SENSITIVE_CONCERNS',
  'CARE_PLANS',
  'DEDICATED_OFFICERS',
  'TIMETABLES',
  'ATTENDANCE',
  'MEASURES',
] as const
export type ApiScope = (typeof apiScopes)[number]

export const apiRoles: readonly string[] = apiScopes.flatMap((scope) =>
  (['RO', 'RW'] as const).map((access: ApiAccess) => apiRoleName(scope, access)),
)

/** A token lives at most an hour, as HMPPS Auth's client tokens do: a leaked one is soon useless. */
export const TOKEN_LIFETIME_SECONDS = 3600

export type NewClient = { name: string; roles: string[]; establishmentCodes: string[] }
export type NewClientProblem =
  | { field: 'name'; problem: 'missing' | 'too-long' }
  | { field: 'roles'; problem: 'missing' | 'unknown'; values?: string[] }
  | { field: 'establishments'; problem: 'missing' | 'unknown'; values?: string[] }

/** What an administrator typed for a new client, read as a client or every reason it cannot be one. */
export function readNewClient(
  input: { name?: string | undefined; roles?: string | undefined; establishments?: string | undefined },
  knownEstablishments: ReadonlySet<string>,
): { ok: true; client: NewClient } | { ok: false; problems: NewClientProblem[] } {
  const name = (input.name ?? '').trim()
  const roles = listOf(input.roles).map((role) => role.toUpperCase())
  const establishmentCodes = listOf(input.establishments).map((code) => code.toUpperCase())
  const problems: NewClientProblem[] = []
  if (!name) problems.push({ field: 'name', problem: 'missing' })
  else if (name.length > 100) problems.push({ field: 'name', problem: 'too-long' })
  const unknownRoles = roles.filter((role) => !apiRoles.includes(role))
  if (roles.length === 0) problems.push({ field: 'roles', problem: 'missing' })
  else if (unknownRoles.length > 0) problems.push({ field: 'roles', problem: 'unknown', values: unknownRoles })
  const unknownPrisons = establishmentCodes.filter((code) => !knownEstablishments.has(code))
  if (establishmentCodes.length === 0) problems.push({ field: 'establishments', problem: 'missing' })
  else if (unknownPrisons.length > 0)
    problems.push({ field: 'establishments', problem: 'unknown', values: unknownPrisons })
  if (problems.length > 0) return { ok: false, problems }
  return {
    ok: true,
    client: { name, roles: [...new Set(roles)], establishmentCodes: [...new Set(establishmentCodes)] },
  }
}

export type NewExternalClient = { clientId: string; name: string; establishmentCodes: string[] }
export type NewExternalClientProblem =
  | { field: 'externalClientId'; problem: 'missing' | 'not-a-client-id' | 'taken' }
  | { field: 'name'; problem: 'too-long' }
  | { field: 'roles'; problem: 'from-the-issuer' }
  | { field: 'establishments'; problem: 'missing' | 'unknown'; values?: string[] }

/**
 * A system whose tokens come from the external issuer, registered by its client id there. Its roles come with
 * each token (the issuer grants them), so none are given here; its prisons are Waymark's to say. Its name is
 * its client id unless the administrator gives one.
 */
export function readNewExternalClient(
  input: {
    externalClientId?: string | undefined
    name?: string | undefined
    roles?: string | undefined
    establishments?: string | undefined
  },
  knownEstablishments: ReadonlySet<string>,
): { ok: true; client: NewExternalClient } | { ok: false; problems: NewExternalClientProblem[] } {
  const clientId = (input.externalClientId ?? '').trim()
  const name = (input.name ?? '').trim() || clientId
  const establishmentCodes = listOf(input.establishments).map((code) => code.toUpperCase())
  const problems: NewExternalClientProblem[] = []
  if (!clientId) problems.push({ field: 'externalClientId', problem: 'missing' })
  // As OAuth 2 allows (RFC 6749 A.1): visible characters; spaces and control characters would hide in a log.
  else if (!/^[\x21-\x7e]{1,100}$/.test(clientId))
    problems.push({ field: 'externalClientId', problem: 'not-a-client-id' })
  if (name.length > 100) problems.push({ field: 'name', problem: 'too-long' })
  if (listOf(input.roles).length > 0) problems.push({ field: 'roles', problem: 'from-the-issuer' })
  const unknownPrisons = establishmentCodes.filter((code) => !knownEstablishments.has(code))
  if (establishmentCodes.length === 0) problems.push({ field: 'establishments', problem: 'missing' })
  else if (unknownPrisons.length > 0)
    problems.push({ field: 'establishments', problem: 'unknown', values: unknownPrisons })
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, client: { clientId, name, establishmentCodes: [...new Set(establishmentCodes)] } }
}

/**
 * Which system a token from the external issuer speaks for: `client_id`, as HMPPS Auth and RFC 9068 write it,
 * or `azp` (Entra ID, Keycloak) only where an audience is checked: an OpenID ID token names its client in
 * `azp` too, and only the audience tells it from an access token for Waymark. Never `sub`: in a token for a
 * person it names the person, not the system.
 */
export function externalClientIdOf(
  claims: Record<string, unknown>,
  { audienceChecked }: { audienceChecked: boolean },
): string | null {
  for (const claim of audienceChecked ? ['client_id', 'azp'] : ['client_id']) {
    const value = claims[claim]
    if (typeof value === 'string' && value.trim()) return value.trim()
  }
  return null
}

/**
 * The Waymark roles a token from the external issuer holds: its `authorities` (HMPPS Auth's, `ROLE_` and all)
 * and `roles` (Entra ID's app roles), as a list or a space- or comma-separated string, `ROLE_` added where a
 * server leaves it off; anything not one of Waymark's roles is dropped. Never `scope`: HMPPS Auth writes
 * `read write` there, which says nothing of the parts of Waymark.
 */
export function rolesOfExternalToken(claims: Record<string, unknown>): string[] {
  const given = ['authorities', 'roles'].flatMap((claim) => {
    const value = claims[claim]
    if (typeof value === 'string') return value.split(/[\s,]+/)
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
    return []
  })
  const roles = given
    .map((role) => role.trim().toUpperCase())
    .map((role) => (role.startsWith('ROLE_') ? role : `ROLE_${role}`))
    .filter((role) => apiRoles.includes(role))
  return [...new Set(roles)]
}

/**
 * Who at the other system asked: the `user_name` the issuer put in the token (HMPPS Auth's, for a token got
 * on a user's behalf), which its server vouches for, before the `Username` header the client itself sent.
 */
export function usernameOfCall(claims: Record<string, unknown>, header: string | undefined): string | null {
  const claimed = typeof claims.user_name === 'string' ? claims.user_name : undefined
  const username = (claimed?.trim() || header?.trim() || '').slice(0, 100)
  return username || null
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

/** A client id says whose it is in logs and the audit trail; the random tail keeps two of one name apart. */
export function newClientId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `${slug || 'client'}-${randomBytes(4).toString('hex')}`
}

/**
 * A secret of 256 random bits. Nobody chooses it, so it cannot be guessed from a list and a fast hash keeps
 * it safe at rest; a slow password hash would only slow every token request.
 */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

export function clientSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashClientSecret(secret))
  const stored = Buffer.from(storedHash)
  return given.length === stored.length && timingSafeEqual(given, stored)
}

/** `Authorization: Basic base64(id:secret)`, as OAuth 2 clients send their credentials (RFC 6749 2.3.1). */
export function basicCredentials(header: string | undefined): { clientId: string; secret: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1]
  if (!encoded) return null
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return null
  // RFC 6749 has the client form-encode both parts before joining them.
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    }
  } catch {
    return null
  }
}

/**
 * Which prison a call is about: the `Caseload-Id` the client sent, which must be one it was registered for;
 * a client of one prison may leave it out.
 */
export function caseloadOf(
  header: string | undefined,
  establishmentCodes: readonly string[],
): { ok: true; establishmentCode: string } | { ok: false; status: 400 | 403; developerMessage: string } {
  const asked = header?.trim().toUpperCase()
  if (!asked) {
    if (establishmentCodes.length === 1) return { ok: true, establishmentCode: establishmentCodes[0] }
    return {
      ok: false,
      status: 400,
      developerMessage: 'Send a Caseload-Id header naming the prison this call is about',
    }
  }
  if (!establishmentCodes.includes(asked))
    return { ok: false, status: 403, developerMessage: `This client may not ask about the prison ${asked}` }
  return { ok: true, establishmentCode: asked }
}
