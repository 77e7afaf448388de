import { after, before, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import fastifyCookie from '@fastify/cookie'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { CookieJar, describePagesOnEachEngine, type Browser } from '../../test/support/app.ts'
import { opened } from '../../test/support/page-steps.ts'
import { doneNotices, doneOf, NOTICE_COOKIE, registerNotices } from './notices.ts'

const noticeOf = doneNotices({ allocated: 'keywork.allocate.done', 'change-requested': 'keywork.changeRequest.done' })

/** Two pages and the POSTs that redirect to them, with only cookies and the notices under them. */
async function noticeApp(): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(fastifyCookie, { secret: 'a notices test secret' })
  registerNotices(app, { secureCookies: true })
  for (const page of ['/people/A1234BC/dedicated-officer', '/people/Z9876YX/dedicated-officer'])
    app.get(page, async (request) => ({
      notice: noticeOf(request),
      word: doneOf(request, ['allocated', 'change-requested']) ?? null,
      count: request.done?.count ?? null,
    }))
  app.post<{ Querystring: { to: string; word: string; count?: string } }>('/change', async (request, reply) => {
    const { to, word, count } = request.query
    return reply.redirectWithNotice(to, word, count === undefined ? {} : { count: Number(count) })
  })
  return app
}

describe('the notice after a change', () => {
  let app: FastifyInstance
  before(async () => {
    app = await noticeApp()
  })
  after(() => app.close())

  /** A browser's cookies, and what each of its visits to a page said. */
  function browser() {
    const jar = new CookieJar()
    return {
      jar,
      change: async (to: string, word: string, count?: number) =>
        jar.take(
          await app.inject({
            method: 'POST',
            url: '/change',
            query: { to, word, ...(count !== undefined && { count: String(count) }) },
            cookies: jar.header,
          }),
        ),
      visit: async (url: string) =>
        jar.take(await app.inject({ method: 'GET', url, cookies: jar.header })).json<{
          notice: string | null
          word: string | null
          count: number | null
        }>(),
    }
  }

  it('redirects with a 303 to the page, with no word in its address', async () => {
    const { change } = browser()
    const redirect = await change('/people/A1234BC/dedicated-officer#officer', 'allocated')
    assert.equal(redirect.statusCode, 303)
    assert.equal(redirect.headers.location, '/people/A1234BC/dedicated-officer#officer')
  })

  it('keeps the word in a cookie no script can read and no other site’s page sends, gone within a minute', async () => {
    const { change } = browser()
    const [cookie] = (await change('/people/A1234BC/dedicated-officer', 'allocated')).cookies
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.secure, true)
    assert.equal(cookie.sameSite, 'Strict')
    assert.ok(cookie.maxAge !== undefined && cookie.maxAge <= 60, `kept for ${cookie.maxAge} seconds`)
  })

  it('shows the notice on the page the change redirected to, and not when the page is reloaded', async () => {
    const { change, visit } = browser()
    await change('/people/A1234BC/dedicated-officer', 'allocated')
    assert.deepEqual(await visit('/people/A1234BC/dedicated-officer'), {
      notice: 'keywork.allocate.done',
      word: 'allocated',
      count: null,
    })
    assert.deepEqual(await visit('/people/A1234BC/dedicated-officer'), { notice: null, word: null, count: null })
  })

  it('shows no notice for a word typed into the address, however it is typed', async () => {
    const { visit } = browser()
    for (const query of ['?done=allocated', '?done=change-requested&count=3', '?done=allocated&done=allocated'])
      assert.deepEqual(await visit(`/people/A1234BC/dedicated-officer${query}`), {
        notice: null,
        word: null,
        count: null,
      })
  })

  it('shows the notice only on the page it was for, keeping it for that page', async () => {
    const { change, visit } = browser()
    await change('/people/A1234BC/dedicated-officer', 'allocated')
    assert.equal((await visit('/people/Z9876YX/dedicated-officer')).notice, null)
    assert.equal((await visit('/people/A1234BC/dedicated-officer')).notice, 'keywork.allocate.done')
  })

  it('shows the notice on its page whatever else the address asks, and the count it was given', async () => {
    const { change, visit } = browser()
    await change('/people/A1234BC/dedicated-officer', 'change-requested', 4)
    assert.deepEqual(await visit('/people/A1234BC/dedicated-officer?from=roll'), {
      notice: 'keywork.changeRequest.done',
      word: 'change-requested',
      count: 4,
    })
  })

  it('shows no notice from a cookie older than a minute, whatever the browser kept', async () => {
    const { change, visit } = browser()
    // The browser's clock and its Max-Age are not Waymark's: the time the notice was set is signed in with it.
    mock.timers.enable({ apis: ['Date'], now: Date.now() })
    try {
      await change('/people/A1234BC/dedicated-officer', 'allocated')
      mock.timers.tick(61_000)
      assert.equal((await visit('/people/A1234BC/dedicated-officer')).notice, null)
      await change('/people/A1234BC/dedicated-officer', 'allocated')
      mock.timers.tick(59_000)
      assert.equal((await visit('/people/A1234BC/dedicated-officer')).notice, 'keywork.allocate.done')
    } finally {
      mock.timers.reset()
    }
  })

  it('shows no notice from a cookie that was changed, nor for a word the page does not name', async () => {
    const { change, visit, jar } = browser()
    await change('/people/A1234BC/dedicated-officer', 'allocated')
    const forged = JSON.stringify({ path: '/people/A1234BC/dedicated-officer', word: 'change-requested' })
    const answer: LightMyRequestResponse = await app.inject({
      method: 'GET',
      url: '/people/A1234BC/dedicated-officer',
      cookies: { ...jar.header, [NOTICE_COOKIE]: `${forged}.not-its-signature` },
    })
    assert.deepEqual(answer.json(), { notice: null, word: null, count: null })
    for (const word of ['deallocated', 'toString', 'constructor']) {
      await change('/people/A1234BC/dedicated-officer', word)
      assert.equal((await visit('/people/A1234BC/dedicated-officer')).notice, null, word)
    }
  })
})

describePagesOnEachEngine('the banner after a change, on Waymark’s pages', { staff: ['governor'] }, (site) => {
  /** The key work settings saved from their page, as a governor does. */
  const saveKeyWorkSettings = (browser: Browser) =>
    browser.post(
      '/key-work-settings',
      {
        officerLabel: 'key worker',
        officerLabelCy: 'gweithiwr allweddol',
        caseloadDefault: '6',
        caseloadExtended: '9',
        sessionIntervalDays: '7',
        firstContactDays: '7',
      },
      { from: '/key-work-settings' },
    )

  it('shows no banner on a page whose address says it was saved when nothing was', async () => {
    const governor = await site.as('governor')
    assert.equal((await opened(governor, '/key-work-settings?done=saved')).banner(), '')
    assert.equal((await opened(governor, '/staff/settings?done=saved')).banner(), '')
  })

  it('says the settings were saved once, after saving them, and not when the page is reloaded', async () => {
    const governor = await site.as('governor')
    const saved = await saveKeyWorkSettings(governor)
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, '/key-work-settings')
    assert.match((await opened(governor, '/key-work-settings')).banner(), /Settings saved/)
    assert.equal((await opened(governor, '/key-work-settings')).banner(), '')
  })

  it('says so only on the page the change led to, not on another page opened first', async () => {
    const governor = await site.as('governor')
    await saveKeyWorkSettings(governor)
    assert.equal((await opened(governor, '/staff/settings')).banner(), '')
    assert.match((await opened(governor, '/key-work-settings')).banner(), /Settings saved/)
  })
})
