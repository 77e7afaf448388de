import type { FastifyRequest } from 'fastify'
import { z } from 'zod'

/** Longer than any word a page redirects with; a longer one names no notice. */
const DoneQuery = z.object({ done: z.string().max(40).optional().catch(undefined) })

/**
 * The notice a page shows after the change that redirected to it (`?done=allocated`): each area names its
 * words once, with their message keys, and its pages ask `noticeOf(request)`. A word the area does not name
 * (an old bookmark, a link typed by hand) shows the page without a notice, never an error.
 *
 *   export const noticeOf = doneNotices({ allocated: 'keywork.allocate.done', ... })
 */
export function doneNotices(notices: Readonly<Record<string, string>>): (request: FastifyRequest) => string | null {
  return (request) => {
    const { done } = DoneQuery.catch({}).parse(request.query)
    return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : null
  }
}
