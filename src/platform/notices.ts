import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { keepInCookie, readKeptCookie } from './kept-cookie.ts'

/**
 * The notice a page shows after the change that redirected to it ("Register saved"): what the page says
 * happened must have happened, so the word travels in a signed cookie set with the redirect, not in the address.
 * An address is anyone's to type, send to a colleague, reload or bookmark; the cookie is set only by the
 * POST that made the change, is read once by the page it names and is gone a minute later.
 */
export const NOTICE_COOKIE = 'waymark_done'

/** Long enough to follow a redirect on a slow wing PC, short enough that a later visit never finds it. */
const NOTICE_SECONDS = 60

/** Longer than any word a page redirects with; a longer one names no notice. */
const KeptNotice = z.object({
  path: z.string().max(2000),
  word: z.string().max(40),
  count: z.number().int().min(0).optional(),
  /** When it was set (ms): the cookie's Max-Age is the browser's to keep, this is Waymark's own limit. */
  at: z.number(),
})

/** Set within the last `NOTICE_SECONDS`, by this server's clock (a little ahead allowed for nothing else). */
function isFresh(at: number, now: number): boolean {
  return at <= now && now - at <= NOTICE_SECONDS * 1000
}

/** What the change that redirected to this page did: its word, and how many where the notice counts them. */
export type Done = { word: string; count?: number }

/** An address's path alone, as a browser asks for it after a redirect: no query, no fragment. */
function pathOf(address: string): string {
  return new URL(address, 'http://waymark.invalid').pathname
}

/**
 * `reply.redirectWithNotice(path, word)` for a change just made, and `request.done` for the page it leads
 * to: set on that one GET of that path, and cleared there, so a reload shows the page without the notice.
 */
export function registerNotices(app: FastifyInstance, { secureCookies }: { secureCookies: boolean }): void {
  app.decorateRequest('done', null)
  app.decorateReply(
    'redirectWithNotice',
    function (this: FastifyReply, to: string, word: string, options: { count?: number } = {}) {
      const kept: z.infer<typeof KeptNotice> = { path: pathOf(to), word, ...options, at: Date.now() }
      // Strict: only a change made on Waymark's own pages sets it, and only those pages' requests carry it.
      keepInCookie(this, NOTICE_COOKIE, kept, {
        path: '/',
        sameSite: 'strict',
        secure: secureCookies,
        maxAgeSeconds: NOTICE_SECONDS,
      })
      return this.redirect(to, 303)
    },
  )

  // After @fastify/cookie's own onRequest, which reads the cookies this one looks at.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.cookies[NOTICE_COOKIE] === undefined) return
    const kept = readKeptCookie(request, NOTICE_COOKIE, KeptNotice)
    // Another page (an asset, a tab opened meanwhile) leaves it for the page it is for.
    if (kept && kept.path !== pathOf(request.url)) return
    reply.clearCookie(NOTICE_COOKIE, { path: '/' })
    if (!kept || !isFresh(kept.at, Date.now())) return
    request.done = { word: kept.word, ...(kept.count !== undefined && { count: kept.count }) }
  })
}

/**
 * The word of the change that redirected here, when it is one of `words`: for a page that words its notices
 * in its template.
 */
export function doneOf<Word extends string>(request: FastifyRequest, words: readonly Word[]): Word | undefined {
  const word = request.done?.word
  return words.find((candidate) => candidate === word)
}

/**
 * The notice's message key: each area names its words once, with their message keys, and its pages ask
 * `noticeOf(request)`. A word the area does not name shows the page without a notice, never an error.
 *
 *   export const noticeOf = doneNotices({ allocated: 'keywork.allocate.done', ... })
 *   return reply.redirectWithNotice(`/people/${prisonNumber}/dedicated-officer`, 'allocated')
 */
export function doneNotices(notices: Readonly<Record<string, string>>): (request: FastifyRequest) => string | null {
  return (request) => {
    const word = request.done?.word
    return word !== undefined && Object.hasOwn(notices, word) ? notices[word] : null
  }
}
