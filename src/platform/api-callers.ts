import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from './errors.ts'
import type { Actor } from './permissions.ts'

/**
 * Issue 15: another of the prison's systems calling Waymark's API with a bearer token, as HMPPS services
 * call each other. It is not a member of staff and holds no staff role: what it may do is its HMPPS-style
 * roles (`ROLE_WAYMARK__PEOPLE__RO`), and which prison it asks about is the `Caseload-Id` it sent, one of
 * those it was registered for.
 */
export type ApiCaller = {
  clientId: string
  clientName: string
  roles: readonly string[]
  /** The prisons the client was registered for. */
  establishmentCodes: readonly string[]
  /** The prison this call is about: its `Caseload-Id` header, or the client's only prison. */
  establishmentCode: string
  /** Who at the other system asked, where it said (the `Username` header): recorded; grants no access of its own. */
  username: string | null
  /**
   * The member of staff the `Username` header names, where it names an active Waymark account working at this
   * prison: a write is made under their name and within their role, as if on a page (`staffMemberOf`).
   */
  staffMember: Actor | null
}

/**
 * Why a token was not accepted: said to the developer, never which part of a secret was wrong. 503: the
 * external issuer's keys could not be fetched to check it.
 */
export type ApiRefusal = {
  status: 401 | 403 | 400 | 503
  developerMessage: string
  /** The registered client it was refused to, where the token was good: its refusal is audited as its calls are. */
  client?: ApiCallerOnRecord
}

/** Who an audit entry of an API call is about: the client, the prison it asked about, who at its end asked. */
export type ApiCallerOnRecord = Pick<ApiCaller, 'clientId' | 'username'> & { establishmentCode: string | null }

/** What an audit entry of an API call says of it: the route, the answer, and the ids in its address. */
export type ApiCallOnRecord = { method: string; route: string; statusCode: number; params: Record<string, string> }

/** What platform asks of the area that keeps the API's clients and keys (`areas/api`). */
export type ApiCallers = {
  /** Who sent this bearer token, for this `Caseload-Id`, or why not. */
  resolve: (
    token: string,
    headers: { caseloadId: string | undefined; username: string | undefined },
  ) => Promise<ApiCaller | ApiRefusal>
  /** Every API call is audited with its client, before its answer leaves. */
  recordCall: (caller: ApiCallerOnRecord, call: ApiCallOnRecord) => Promise<void>
}

/** HMPPS's role convention: what a client may do in one part of Waymark, read-only or read-write. */
export type ApiAccess = 'RO' | 'RW'
export function apiRoleName(scope: string, access: ApiAccess): string {
  return `ROLE_WAYMARK__${scope}__${access}`
}

/** A read-write role grants the read-only one of the same part: a system that records may read. */
export function holdsApiRole(roles: readonly string[], required: string): boolean {
  if (roles.includes(required)) return true
  return required.endsWith('__RO') && roles.includes(`${required.slice(0, -'__RO'.length)}__RW`)
}

/**
 * The error shape of HMPPS APIs, for every answer under /api that is not a success: `status`, a
 * `userMessage` a screen may show, and a `developerMessage` that says what to change.
 */
export type ApiError = { status: number; userMessage: string; developerMessage: string }
export function apiError(status: number, userMessage: string, developerMessage = userMessage): ApiError {
  return { status, userMessage, developerMessage }
}

export function sendApiError(reply: FastifyReply, error: ApiError) {
  if (error.status === 401) reply.header('www-authenticate', 'Bearer')
  return reply.code(error.status).send(error)
}

/**
 * The system calling a route that declares `permission: 'api'`. The token, role and prison are checked
 * before validation and the handler, so a handler never meets a request without one.
 */
export function callerOf(request: FastifyRequest): ApiCaller {
  if (!request.apiCaller) throw new HttpProblem(401, 'A bearer token is needed')
  return request.apiCaller
}

/**
 * Issue 15: whose name another system's write is made under. HMPPS services trust a registered client to say
 * which of its users acted (the `Username` header) and record the change as theirs; Waymark does too, and
 * further holds that user to their own role, so a handheld device can record no more than its officer could
 * on a page. The client's own role (a `__RW` one) is checked as for any call; the audit trail keeps both.
 */
export function staffMemberOf(request: FastifyRequest): Actor {
  const caller = callerOf(request)
  if (!caller.username)
    throw new HttpProblem(400, 'A change needs the Username header: the Waymark username of who made it')
  if (!caller.staffMember)
    throw new HttpProblem(
      403,
      `The Username header does not name an active member of staff at ${caller.establishmentCode} in Waymark`,
    )
  // As on a page: someone given a one-time password does nothing else until they choose their own.
  if (caller.staffMember.mustChangePassword)
    throw new HttpProblem(403, 'The member of staff the Username header names must choose their own password first')
  return caller.staffMember
}
