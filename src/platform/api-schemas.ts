import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { apiRoleName, type ApiAccess } from './api-callers.ts'
import { Conflict, HttpProblem } from './errors.ts'

/**
 * Issue 15: the pieces every systems API route declares, so that the OpenAPI document says the same of each:
 * HMPPS's error shape, paging as HMPPS's Spring services page (`page` from 0, `size`, with totals), and the
 * errors any call may meet.
 */
export const ApiErrorSchema = z
  .object({
    status: z.number().int().meta({ description: 'The HTTP status, repeated', example: 403 }),
    userMessage: z.string().meta({ description: 'What a screen may show a user', example: 'Forbidden' }),
    developerMessage: z
      .string()
      .meta({ description: 'What to change in the call', example: 'This client may not ask about the prison EWI' }),
  })
  .meta({ id: 'ErrorResponse', description: 'Any answer that is not a success' })

export const MAX_PAGE_SIZE = 100

export const PageQuery = z.object({
  page: z.coerce.number().int().min(0).default(0).meta({ description: 'Which page, counting from 0', example: 0 }),
  size: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(20)
    .meta({ description: `How many on a page, at most ${MAX_PAGE_SIZE}`, example: 20 }),
})
export type Paging = z.infer<typeof PageQuery>

/** A page of a list, with what a client needs to fetch the rest. */
export function pagedSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      content: z.array(item).meta({ description: 'The items on this page' }),
      number: z.number().int().meta({ description: 'This page, counting from 0', example: 0 }),
      size: z.number().int().meta({ description: 'The page size asked for', example: 20 }),
      totalElements: z.number().int().meta({ description: 'How many there are on every page', example: 812 }),
      totalPages: z.number().int().meta({ description: 'How many pages there are', example: 41 }),
    })
    .meta({ id, description: `A page of ${id.replace(/^Paged/, '').toLowerCase()}` })
}

export function pageOf<Item>(content: Item[], totalElements: number, paging: Paging) {
  return {
    content,
    number: paging.page,
    size: paging.size,
    totalElements,
    totalPages: Math.ceil(totalElements / paging.size),
  }
}

/** Where a page begins and how many it holds: the LIMIT and OFFSET a store reads it with. */
export function limitAndOffsetOf(paging: Paging): { limit: number; offset: number } {
  return { limit: paging.size, offset: paging.page * paging.size }
}

/** A page of a list already in hand and in its order, with the list's totals. */
export function pageOfList<Item>(items: readonly Item[], paging: Paging) {
  const { limit, offset } = limitAndOffsetOf(paging)
  return pageOf(items.slice(offset, offset + limit), items.length, paging)
}

/**
 * A page of a list a store counts and reads a page of: both asked side by side, the page by LIMIT and OFFSET.
 *
 *   pageOfRows(query, () => store.countPlansAt(db, code, state), (window) => store.pageOfPlanSummariesAt(db, code, state, window))
 */
export async function pageOfRows<Item>(
  paging: Paging,
  count: () => Promise<number>,
  page: (window: { limit: number; offset: number }) => Promise<Item[]>,
) {
  const [totalElements, content] = await Promise.all([count(), page(limitAndOffsetOf(paging))])
  return pageOf(content, totalElements, paging)
}

/** The answers every systems call may give besides its own: refused input, no token, no right, too many. */
export const apiErrorResponses = {
  400: ApiErrorSchema.meta({ description: 'The query, body or Caseload-Id was not valid' }),
  401: ApiErrorSchema.meta({ description: 'No bearer token, or one that has expired or was not issued for Waymark' }),
  403: ApiErrorSchema.meta({ description: 'The client lacks the role, or may not ask about that prison' }),
  429: ApiErrorSchema.meta({ description: 'Too many calls this minute; wait and try again' }),
} as const

/** What a call about one person by prison number (ApiPersonParams) may answer besides: no one of that number there. */
export const apiPersonErrorResponses = {
  ...apiErrorResponses,
  404: ApiErrorSchema.meta({ description: 'No one with that prison number at the Caseload-Id prison' }),
} as const

/**
 * A systems call's route config: signed in by a bearer token (`permission: 'api'`) holding the part's role,
 * read-only or read-write (`apiRoleName`). A call that changes something takes no CSRF token: no cookie is
 * what authenticates it, so there is nothing for a forged page to ride on.
 */
export function apiCallConfig(scope: string, access: ApiAccess): { permission: 'api'; apiRole: string; csrf?: false } {
  const config = { permission: 'api', apiRole: apiRoleName(scope, access) } as const
  return access === 'RW' ? { ...config, csrf: false } : config
}

/** The headers every systems call sends beside its token. */
export const ApiHeaders = z.object({
  'caseload-id': z
    .string()
    .optional()
    .meta({ description: 'The prison the call is about; may be left out by a client of one prison', example: 'NHI' }),
  username: z
    .string()
    .optional()
    .meta({ description: 'Who at the calling system asked; recorded in the audit trail', example: 'JSMITH_GEN' }),
})

/** A person in an answer, by NOMIS prison number: the one way HMPPS systems name someone to each other. */
export function prisonNumberField(description = 'The NOMIS prison number') {
  return z.string().meta({ description, example: 'A1234BC' })
}

/** A person in the address of a call, by NOMIS prison number, in either case. */
export const ApiPersonParams = z.object({
  prisonNumber: z
    .string()
    .regex(/^[A-Za-z]\d{4}[A-Za-z]{2}$/)
    .transform((value) => value.toUpperCase())
    .meta({ description: 'The NOMIS prison number', example: 'A1234BC' }),
})

/** The headers a call that changes something sends: the member of staff who made the change is needed. */
export const ApiChangeHeaders = ApiHeaders.extend({
  username: z
    .string()
    .min(1)
    .meta({
      description:
        'The Waymark username of the member of staff who made the change: it is recorded under their name, ' +
        'and refused (403) where their role could not make it on a page',
      example: 'JSMITH_GEN',
    }),
})

/** The headers of a change to a record that may have changed since the client read it. */
export const ApiUpdateHeaders = ApiChangeHeaders.extend({
  'if-match': z.string().min(1).meta({
    description: 'The ETag the client read the record with: a record changed since is not overwritten (409)',
    example: '"3q2-7w"',
  }),
})

/** What a change may answer besides what any call may: nothing there, changed meanwhile, no If-Match. */
export const apiChangeErrorResponses = {
  ...apiErrorResponses,
  404: ApiErrorSchema.meta({ description: 'There is no such record at the Caseload-Id prison' }),
  409: ApiErrorSchema.meta({ description: 'The record changed after the client read it: read it again first' }),
  428: ApiErrorSchema.meta({ description: 'An update needs the If-Match header with the ETag the client read' }),
} as const

/**
 * Issue 15: an entity tag for a record's state, from what changes whenever the record does (its last
 * change's time, a count of its entries). Strong, and opaque: a hash, so nothing about the record shows in it.
 */
export function entityTagOf(...version: readonly (string | number | boolean | Date | null)[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(version.map((part) => (part instanceof Date ? part.toISOString() : part))))
    .digest('base64url')
  return `"${digest.slice(0, 22)}"`
}

/**
 * Issue 15: an update from another system names the version it read, so that two systems (or a system and a
 * page) changing one record at once cannot silently overwrite each other: no If-Match is 428, a stale one 409.
 */
export function requireIfMatch(request: Pick<FastifyRequest, 'headers'>, current: string): void {
  const sent = request.headers['if-match']
  if (!sent)
    throw new HttpProblem(428, 'Send If-Match with the ETag this record was read with, so no change is overwritten')
  // Strong comparison (RFC 9110): a weak tag never matches, since a weak match may not be the same bytes.
  const tags = String(sent)
    .split(',')
    .map((tag) => tag.trim())
  if (!tags.includes('*') && !tags.includes(current))
    throw new Conflict('The record has changed since that ETag: read it again, then make the change')
}
