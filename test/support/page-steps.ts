import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { NOTICE_COOKIE } from '../../src/platform/notices.ts'
import type { Browser } from './app.ts'
import { readPage, type Page } from './page.ts'

/**
 * Steps route tests take with a page again and again, each checking the status the step must answer with and
 * giving back the page read (`readPage`), so a test says what it did and goes on to what it shows:
 *
 *   const refused = sentBack(await browser.post(url, { reason: '' }, { from: url }))
 *   assert.deepEqual(refused.errorTexts(), ['Enter why'])
 */

/** What a browser's GET or POST answers, as much of it as these steps read. */
type Answer = { statusCode: number; body: string; headers: Record<string, unknown> }

/** A page that opens (200), read: for a test that goes on to read what it shows. */
export async function opened(browser: Pick<Browser, 'get'>, url: string): Promise<Page> {
  const answer = await browser.get(url)
  assert.equal(answer.statusCode, 200, url)
  return readPage(answer.body)
}

/**
 * A form sent back to be put right: the answer is 400, the form again, read for its error summary, the message
 * beside each field and what was typed. `what` names the case when a loop sends many.
 */
export function sentBack(answer: Answer, what?: string): Page {
  assert.equal(answer.statusCode, 400, `${what ?? 'the form'} answered ${answer.statusCode}, not 400 (sent back)`)
  return readPage(answer.body)
}

/** A form sent back (400) with these messages in its error summary, each with the field it leads to: the page, to read on. */
export function sentBackWith(answer: Answer, errors: { text: string; href: string }[]): Page {
  const page = sentBack(answer)
  assert.deepEqual(page.errors(), errors)
  return page
}

/**
 * A form that was taken (303, see other), followed to the page it leads to as a browser does (with the
 * browser's cookies, which carry the notice, and without the address's #fragment), read: for the banner that
 * says it was done and what the page now shows.
 */
export async function followed(browser: Pick<Browser, 'get'>, answer: Answer): Promise<Page> {
  assert.equal(answer.statusCode, 303)
  const location = answer.headers.location
  assert.equal(typeof location, 'string', 'a redirect names where it leads')
  return opened(browser, (location as string).split('#')[0])
}

/**
 * The word of what a change did, as its 303 keeps it for the page it leads to (platform/notices.ts): for a test
 * that tells apart redirects to one address (saved, or nothing needed saving) without following them.
 */
export function noticeWordOf(response: LightMyRequestResponse): string | null {
  const kept = response.cookies.find((cookie) => cookie.name === NOTICE_COOKIE)?.value
  if (!kept) return null
  // Signed: the JSON, a dot, and its signature.
  return (JSON.parse(kept.slice(0, kept.lastIndexOf('.'))) as { word: string }).word
}
