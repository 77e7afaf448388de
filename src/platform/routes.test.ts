import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { buildApp } from '../app.ts'
import type { Database } from '../db/schema.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser, TEST_PASSWORD } from '../../test/support/builders.ts'
import {
  buildAppCollectingRoutes,
  buildTestApp,
  CookieJar,
  csrfTokenFrom,
  describePagesOnEachEngine,
  permissionOf,
  signedInAs,
  testConfig,
} from '../../test/support/app.ts'
import { givenPersonAccount } from '../../test/support/my-view-builders.ts'
import { headerOf, readPage, textOf } from '../../test/support/page.ts'
import { sentBackWith } from '../../test/support/page-steps.ts'
import type { Config } from '../config.ts'
import { fixedClock } from './clock.ts'
import { isPermission } from './permissions.ts'
import { safeReturnPath } from './routes.ts'

/** Fills the sign-in form as a browser would: load the page, then post it with its CSRF token. */
async function submitSignIn(
  target: FastifyInstance,
  fields: Record<string, string>,
  options: { withCsrf?: boolean; remoteAddress?: string; forwardedFor?: string } = {},
) {
  const jar = new CookieJar()
  const form = jar.take(await target.inject({ method: 'GET', url: '/sign-in' }))
  const payload = options.withCsrf === false ? fields : { ...fields, _csrf: csrfTokenFrom(form.body) }
  const response = jar.take(
    await target.inject({
      method: 'POST',
      url: '/sign-in',
      cookies: jar.header,
      payload,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      ...(options.forwardedFor ? { headers: { 'x-forwarded-for': options.forwardedFor } } : {}),
    }),
  )
  return { response, jar }
}

/** The page's h1 as its reader meets it. */
const headingOf = (html: string): string => readPage(html).heading()

/** An error page as its reader meets it: the status it answers with and its heading, checked; the answer, to read on. */
function errorShown<Answer extends { statusCode: number; body: string }>(
  answer: Answer,
  status: number,
  heading: string,
) {
  assert.equal(answer.statusCode, status)
  assert.equal(headingOf(answer.body), heading)
  return answer
}

for (const engine of testEngines()) {
  describe(`platform routes on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let routes: RouteOptions[]
    const clock = fixedClock('2026-11-25T09:00:00Z')
    const log: string[] = []
    let home: { code: string; cellId: number }
    let second: { code: string }
    let elsewhere: { code: string }
    let officer: string
    let partner: string
    let governor: string

    before(async () => {
      database = await engine.open()
      ;({ app, routes } = await buildAppCollectingRoutes(async () => {
        const built = await buildApp({
          db: database.db,
          // Many sign-ins from one address in this file; the limit itself is tested on an app of its own.
          config: testConfig({ signInAttemptsPerMinute: 1000, logLevel: 'info' }),
          clock,
          logStream: { write: (line) => void log.push(line) },
        })
        built.get('/failure', { config: { permission: 'signed-in' } }, () => {
          throw new Error('could not reach /srv/waymark/secret.ts for Pritchard')
        })
        built.get('/api/failure', { config: { permission: 'signed-in' } }, () => {
          throw new Error('could not reach /srv/waymark/secret.ts for Pritchard')
        })
        // What the PostgreSQL driver throws when a restart or a failover ends the connection under a query.
        const lostConnection = () =>
          Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
        built.get('/lost-connection', { config: { permission: 'signed-in' } }, () => {
          throw lostConnection()
        })
        built.get('/api/lost-connection', { config: { permission: 'signed-in' } }, () => {
          throw lostConnection()
        })
        await built.ready()
        return built
      }))
      home = await givenEstablishment(database.db, { name: 'HMP Home' })
      second = await givenEstablishment(database.db, { name: 'HMP Second' })
      elsewhere = await givenEstablishment(database.db)
      officer = (await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })).username
      partner = (await givenStaffUser(database.db, { role: 'partner', establishmentCodes: [home.code] })).username
      governor = (await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [home.code, second.code] }))
        .username
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    const sessionsOf = async (username: string) =>
      (
        await database.db
          .selectFrom('web_session as s')
          .innerJoin('staff_user as u', 'u.id', 's.staff_user_id')
          .select('s.token_hash')
          .where('u.username', '=', username)
          .execute()
      ).length

    const auditActionsOf = async (username: string) =>
      (
        await database.db
          .selectFrom('audit_event')
          .select('action')
          .where('actor_username', '=', username)
          .orderBy('id')
          .execute()
      ).map((entry) => entry.action)

    describe('the route table', () => {
      it('gives every route a permission that exists', () => {
        assert.ok(routes.length > 10, `collected ${routes.length} routes`)
        const without = routes.filter((route) => !isPermission(permissionOf(route)))
        assert.deepEqual(
          without.map((route) => `${String(route.method)} ${route.url}`),
          [],
        )
      })

      it('makes public only the sign-in pages (staff, the identity provider’s return and the person’s own), the page for families, the health check, the language switch, the assets, and the API’s token, keys and description', () => {
        const open = routes
          .filter((route) => permissionOf(route) === 'public' && !route.url.startsWith('/assets/'))
          .map((route) => `${String(route.method)} ${route.url}`)
        assert.deepEqual([...new Set(open)].sort(), [
          'GET /.well-known/jwks.json',
          'GET /api-docs',
          'GET /health',
          'GET /language/:language',
          'GET /my/sign-in',
          'GET /sign-in',
          'GET /sign-in/callback',
          'GET /sign-in/provider',
          'GET /v3/api-docs',
          'GET /worried-about-someone',
          'GET /worried-about-someone/follow-up',
          'GET /worried-about-someone/sent',
          'HEAD /.well-known/jwks.json',
          'HEAD /api-docs',
          'HEAD /health',
          'HEAD /language/:language',
          'HEAD /my/sign-in',
          'HEAD /sign-in',
          'HEAD /sign-in/callback',
          'HEAD /sign-in/provider',
          'HEAD /v3/api-docs',
          'HEAD /worried-about-someone',
          'HEAD /worried-about-someone/follow-up',
          'HEAD /worried-about-someone/sent',
          'POST /my/sign-in',
          'POST /oauth/token',
          'POST /sign-in',
          'POST /worried-about-someone',
          'POST /worried-about-someone/follow-up',
        ])
      })

      it('sends anyone not signed in to the sign-in page (the person’s own under /my), or answers 401 under /api, on every other route', async () => {
        const guarded = routes.filter((route) => permissionOf(route) !== 'public' && route.method !== 'HEAD')
        assert.ok(guarded.length >= 5)
        for (const route of guarded) {
          const url = route.url.replace(/:\w+/g, 'A1234BC')
          const response = await app.inject({ method: route.method as 'GET', url })
          if (url.startsWith('/api/')) assert.equal(response.statusCode, 401, `${String(route.method)} ${url}`)
          else {
            assert.equal(response.statusCode, 303, `${String(route.method)} ${url}`)
            const signIn = url === '/my' || url.startsWith('/my/') ? /^\/my\/sign-in(\?|$)/ : /^\/sign-in(\?|$)/
            assert.match(response.headers.location ?? '', signIn, `${String(route.method)} ${url}`)
          }
        }
      })

      it('refuses to build an app with a route that declares no permission', async () => {
        const bare = await buildApp({ db: database.db, config: testConfig() })
        try {
          assert.throws(
            () => bare.get('/unguarded', async () => 'open to all'),
            /Route GET \/unguarded does not declare a valid permission/,
          )
        } finally {
          await bare.close()
        }
      })

      it('refuses to build an app with a route whose permission is misspelt', async () => {
        const bare = await buildApp({ db: database.db, config: testConfig() })
        try {
          assert.throws(
            () => bare.get('/misspelt', { config: { permission: 'roll.veiw' as 'roll.view' } }, async () => 'open'),
            /Route GET \/misspelt does not declare a valid permission/,
          )
        } finally {
          await bare.close()
        }
      })
    })

    describe('POST /sign-in', () => {
      it('signs in with the right password, goes to the start page and sets an HttpOnly, SameSite=Lax cookie', async () => {
        const { response } = await submitSignIn(app, { username: officer, password: TEST_PASSWORD })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/')
        const cookie = response.cookies.find((candidate) => candidate.name === 'waymark_session')
        assert.ok(cookie, 'a session cookie is set')
        assert.equal(cookie.httpOnly, true)
        assert.equal(cookie.sameSite, 'Lax')
        assert.equal(cookie.path, '/')
        assert.equal(await sessionsOf(officer), 1)
        assert.deepEqual((await auditActionsOf(officer)).slice(-1), ['sign-in.succeeded'])
      })

      for (const { it: behaviour, returnTo, location } of [
        {
          it: 'takes the user back to the page they asked for',
          returnTo: '/roll?search=smith',
          location: '/roll?search=smith',
        },
        { it: 'never sends the user off the site after sign-in', returnTo: '//evil.example/roll', location: '/' },
      ])
        it(behaviour, async () => {
          const { response } = await submitSignIn(app, { username: officer, password: TEST_PASSWORD, returnTo })
          assert.equal(response.headers.location, location)
        })

      it('accepts the username in capitals', async () => {
        const { response } = await submitSignIn(app, { username: officer.toUpperCase(), password: TEST_PASSWORD })
        assert.equal(response.statusCode, 303)
      })

      it('refuses a wrong password with the error summary, status 400 and the username kept', async () => {
        const before = await sessionsOf(officer)
        const { response } = await submitSignIn(app, { username: officer, password: 'wrong horse' })
        const page = sentBackWith(response, [
          { text: 'The username or password is not right. Check them and try again.', href: '#username' },
        ])
        assert.match(page.title, /^Error: Sign in to Waymark/)
        assert.match(page.text, /There is a problem/)
        assert.equal(page.valueOf('Username'), officer)
        assert.equal(page.mentions('wrong horse'), false)
        assert.equal(
          response.cookies.find((cookie) => cookie.name === 'waymark_session'),
          undefined,
        )
        assert.equal(await sessionsOf(officer), before)
        assert.deepEqual((await auditActionsOf(officer)).slice(-1), ['sign-in.refused'])
      })

      it('refuses an unknown username with the same message as a wrong password', async () => {
        const { response } = await submitSignIn(app, { username: 'nobody.here', password: TEST_PASSWORD })
        sentBackWith(response, [
          { text: 'The username or password is not right. Check them and try again.', href: '#username' },
        ])
      })

      it('asks for both fields when both are left empty, each beside its field', async () => {
        const { response } = await submitSignIn(app, { username: '', password: '' })
        const page = sentBackWith(response, [
          { text: 'Enter your username', href: '#username' },
          { text: 'Enter your password', href: '#password' },
        ])
        // Beside each field, as a screen reader hears it: "Error:" first, then what to do.
        assert.equal(textOf(page.root.getElementById('username-error')), 'Error: Enter your username')
        assert.equal(page.fieldError('password'), 'Enter your password')
      })

      it('asks only for the password when the username is given', async () => {
        const { response } = await submitSignIn(app, { username: officer, password: '' })
        const page = sentBackWith(response, [{ text: 'Enter your password', href: '#password' }])
        assert.equal(page.fieldError('username'), '')
        assert.equal(page.valueOf('Username'), officer)
      })

      it('refuses a sign-in without a CSRF token with 403 and starts no session', async () => {
        const before = await sessionsOf(officer)
        const { response } = await submitSignIn(
          app,
          { username: officer, password: TEST_PASSWORD },
          { withCsrf: false },
        )
        assert.equal(response.statusCode, 403)
        assert.match(headingOf(response.body) ?? '', /You do not have permission/)
        assert.equal(
          response.cookies.find((cookie) => cookie.name === 'waymark_session'),
          undefined,
        )
        assert.equal(await sessionsOf(officer), before)
      })
    })

    describe('GET /sign-in', () => {
      it('sends someone already signed in on to the page they asked for', async () => {
        const user = await signedInAs(app, officer)
        const response = await user.get('/sign-in?returnTo=%2Froll')
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/roll')
      })

      it('explains that the session ended when sent back after expiry', async () => {
        const response = await app.inject({ method: 'GET', url: '/sign-in?expired=1' })
        assert.match(readPage(response.body).text, /You were signed out because your session ended/)
      })
    })

    describe('POST /sign-out', () => {
      it('ends the session, so the old cookie no longer opens any page', async () => {
        const user = await signedInAs(app, officer)
        const oldCookies = user.jar.header
        assert.equal((await user.get('/roll')).statusCode, 200)
        const response = await user.post('/sign-out', {})
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/sign-in?signedOut=1')
        const again = await app.inject({ method: 'GET', url: '/roll', cookies: oldCookies })
        assert.equal(again.statusCode, 303)
        assert.match(again.headers.location ?? '', /^\/sign-in\?/)
        assert.deepEqual((await auditActionsOf(officer)).slice(-1), ['sign-out'])
      })

      it('refuses a sign-out without a CSRF token with 403, and the session carries on', async () => {
        const user = await signedInAs(app, officer)
        const response = await user.post('/sign-out', {}, { withCsrf: false })
        assert.equal(response.statusCode, 403)
        assert.equal((await user.get('/roll')).statusCode, 200)
      })
    })

    describe('session expiry', () => {
      it('keeps a session going while the user is active within the idle limit', async () => {
        const user = await signedInAs(app, officer)
        for (let step = 0; step < 3; step++) {
          clock.advanceMinutes(29)
          const response = await user.get('/')
          assert.equal(response.headers.location, '/roll', `after ${(step + 1) * 29} minutes`)
        }
      })

      it('records when a session was last seen at most once a minute, and a user active every 40 seconds stays signed in', async () => {
        const user = await signedInAs(app, officer)
        const tokenHash = createHash('sha256').update(user.jar.header.waymark_session).digest('hex')
        const lastSeen = async () =>
          new Date(
            (
              await database.db
                .selectFrom('web_session')
                .select('last_seen_at')
                .where('token_hash', '=', tokenHash)
                .executeTakeFirstOrThrow()
            ).last_seen_at,
          ).toISOString()
        const signedInAt = clock.now().toISOString()
        clock.advanceMinutes(40 / 60)
        assert.equal((await user.get('/')).headers.location, '/roll')
        assert.equal(await lastSeen(), signedInAt, 'not written again 40 seconds after signing in')
        clock.advanceMinutes(40 / 60)
        assert.equal((await user.get('/')).headers.location, '/roll')
        assert.equal(await lastSeen(), clock.now().toISOString(), 'written once more than a minute had passed')
        for (let step = 1; step <= 60; step++) {
          clock.advanceMinutes(40 / 60)
          assert.equal((await user.get('/')).headers.location, '/roll', `after ${80 + step * 40} seconds`)
        }
        clock.advanceMinutes(30)
        assert.match((await user.get('/')).headers.location ?? '', /^\/sign-in\?expired=1/)
      })

      it('ends a session left idle for 30 minutes and says so at sign-in', async () => {
        const user = await signedInAs(app, officer)
        clock.advanceMinutes(30)
        const response = await user.get('/roll')
        assert.equal(response.statusCode, 303)
        assert.match(response.headers.location ?? '', /^\/sign-in\?expired=1/)
        assert.match(response.headers.location ?? '', /returnTo=%2Froll/)
        assert.equal((await user.get('/roll')).headers.location, '/sign-in?returnTo=%2Froll')
      })

      it('ends a session 12 hours after sign-in however active the user has been', async () => {
        const user = await signedInAs(app, officer)
        for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
          clock.advanceMinutes(20)
          assert.equal((await user.get('/')).headers.location, '/roll', `after ${minutes} minutes`)
        }
        clock.advanceMinutes(20)
        const response = await user.get('/')
        assert.match(response.headers.location ?? '', /^\/sign-in\?expired=1/)
      })
    })

    describe('security headers', () => {
      it('allow no inline script but the GOV.UK template’s own, by its hash', async () => {
        const response = await app.inject({ method: 'GET', url: '/sign-in' })
        const policy = String(response.headers['content-security-policy'])
        assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/)
        const directives = new Map(
          policy.split(';').map((directive) => {
            const [name, ...values] = directive.trim().split(/\s+/)
            return [name, values]
          }),
        )
        const scriptSrc = directives.get('script-src') ?? []
        assert.equal(scriptSrc.length, 2)
        assert.equal(scriptSrc[0], "'self'")
        assert.match(scriptSrc[1], /^'sha256-[A-Za-z0-9+/]+=*'$/)
        assert.deepEqual(directives.get('default-src'), ["'self'"])
        assert.deepEqual(directives.get('object-src'), ["'none'"])
        assert.deepEqual(directives.get('frame-ancestors'), ["'none'"])

        const inline = readPage(response.body)
          .root.querySelectorAll('script')
          .filter((script) => !script.hasAttribute('src'))
        assert.equal(inline.length, 1, 'one inline script on the page')
        // The script as the browser hashes it: its text exactly as sent.
        const hash = createHash('sha256').update(inline[0].rawText).digest('base64')
        assert.equal(scriptSrc[1], `'sha256-${hash}'`)
      })

      it('tell the browser not to sniff types, frame the page or send the address on', async () => {
        const response = await app.inject({ method: 'GET', url: '/sign-in' })
        assert.equal(response.headers['x-content-type-options'], 'nosniff')
        assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN')
        assert.equal(response.headers['referrer-policy'], 'no-referrer')
        assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin')
        assert.equal(response.headers['x-powered-by'], undefined)
      })

      it('are sent on error pages too', async () => {
        const response = await app.inject({ method: 'GET', url: '/no-such-page' })
        assert.match(String(response.headers['content-security-policy']), /script-src 'self' 'sha256-/)
        assert.equal(response.headers['x-content-type-options'], 'nosniff')
      })
    })

    describe('error pages', () => {
      it('shows 403 to a partner worker who asks for the roll download', async () => {
        const user = await signedInAs(app, partner)
        const response = errorShown(
          await user.get('/roll/export.csv'),
          403,
          'You do not have permission to see this page',
        )
        // The whole answer, not only what a page shows: no column of the download in any part of it.
        assert.doesNotMatch(response.body, /prison_number/)
      })

      it('shows 404 for an address that does not exist to someone signed in', async () => {
        const user = await signedInAs(app, officer)
        errorShown(await user.get('/no-such-page'), 404, 'Page not found')
      })

      it('shows 404 for an address that does not exist to someone not signed in', async () => {
        errorShown(await app.inject({ method: 'GET', url: '/no-such-page' }), 404, 'Page not found')
      })

      it('shows 500 without the error, the stack or the file names', async () => {
        const user = await signedInAs(app, officer)
        const response = errorShown(await user.get('/failure'), 500, 'Sorry, there is a problem with the service')
        // The whole answer, comments and scripts too, not only what a page shows.
        assert.doesNotMatch(response.body, /secret|Pritchard|\.ts\b|\bat .*:\d+:\d+|Error:/)
      })

      // HMPPS's error shape, as every answer under /api that is not a success (issue 15): a plain message, and
      // nothing of the error.
      for (const [url, status, message] of [
        ['/api/no-such-thing', 404, 'No such resource'],
        ['/api/failure', 500, 'Something went wrong'],
      ] as const)
        it(`answers ${status} in JSON under /api with a plain message (${url})`, async () => {
          const user = await signedInAs(app, officer)
          const response = await user.get(url)
          assert.equal(response.statusCode, status)
          assert.deepEqual(response.json(), { status, userMessage: message, developerMessage: message })
        })

      it('shows 503 saying Waymark lost its connection to the database, in English and in Welsh', async () => {
        const user = await signedInAs(app, officer)
        const english = errorShown(
          await user.get('/lost-connection'),
          503,
          'Waymark lost its connection to the database',
        )
        assert.match(
          readPage(english.body).text,
          /Try again\. If you were saving something, check whether it was saved/,
        )
        const welsh = await app.inject({
          method: 'GET',
          url: '/lost-connection',
          cookies: { ...user.jar.header, waymark_language: 'cy' },
        })
        errorShown(welsh, 503, 'Collodd Waymark ei gysylltiad â’r gronfa ddata')
      })

      it('answers 503 under /api saying the database connection was lost', async () => {
        const user = await signedInAs(app, officer)
        const response = await user.get('/api/lost-connection')
        assert.equal(response.statusCode, 503)
        const body = response.json<{ status: number; userMessage: string }>()
        assert.equal(body.status, 503)
        assert.equal(body.userMessage, 'Waymark lost its connection to the database; try again')
      })

      it('answers 401 in JSON to an /api request from someone not signed in', async () => {
        const response = await app.inject({ method: 'GET', url: '/api/concerns/raised' })
        assert.equal(response.statusCode, 401)
        assert.match(String(response.headers['content-type']), /^application\/json/)
        assert.deepEqual(response.json(), {
          status: 401,
          userMessage: 'Unauthorised',
          developerMessage: 'Sign in first',
        })
      })
    })

    describe('GET /health', () => {
      it('reports the service and its database up', async () => {
        const response = await app.inject({ method: 'GET', url: '/health' })
        assert.equal(response.statusCode, 200)
        const { databaseCheckedSecondsAgo, ...state } = response.json<Record<string, unknown>>()
        assert.deepEqual(state, { status: 'UP', database: 'UP' })
        assert.ok(typeof databaseCheckedSecondsAgo === 'number' && databaseCheckedSecondsAgo < 30)
      })

      it(
        'answers at once while the embedded database is held by a transaction',
        { skip: engine.name !== 'PGlite' && 'only the embedded database has a single queue' },
        async () => {
          let release!: () => void
          const held = new Promise<void>((resolve) => (release = resolve))
          let holding!: () => void
          const holds = new Promise<void>((resolve) => (holding = resolve))
          const transaction = database.db.transaction().execute(async (trx) => {
            await sql`select 1`.execute(trx)
            holding()
            await held
          })
          await holds
          try {
            let queryAnswered = false
            const query = sql`select 1`.execute(database.db).then(() => (queryAnswered = true))
            const response = await Promise.race([
              app.inject({ method: 'GET', url: '/health' }),
              new Promise<never>((_resolve, reject) =>
                setTimeout(() => reject(new Error('/health waited for the database')), 5000).unref(),
              ),
            ])
            assert.equal(queryAnswered, false, 'the database was still held when /health answered')
            assert.equal(response.statusCode, 200)
            assert.equal(response.json<{ status: string }>().status, 'UP')
            release()
            await query
          } finally {
            release()
            await transaction
          }
        },
      )

      it(
        'answers over HTTP while the embedded database works through a queue of page queries',
        { skip: engine.name !== 'PGlite' && 'only the embedded database runs its queries on this thread' },
        async () => {
          await app.listen({ port: 0, host: '127.0.0.1' })
          const address = app.server.address()
          const port = typeof address === 'object' && address ? address.port : 0
          // Each query holds the thread for 5 ms, as a page's queries do under load: 1.5 s of them in all.
          let queriesDone = 0
          const queue = Array.from({ length: 300 }, () =>
            sql`select pg_sleep(0.005)`.execute(database.db).then(() => (queriesDone += 1)),
          )
          const response = await fetch(`http://127.0.0.1:${port}/health`)
          const answeredAfter = queriesDone
          await Promise.all(queue)
          assert.equal(response.status, 200)
          assert.ok(answeredAfter < 30, `answered after ${answeredAfter} of the 300 queries queued before it`)
        },
      )

      it('reports the database down with 503 when it cannot be reached', async () => {
        const unreachable = new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({
              connectionString: 'postgres://nobody@127.0.0.1:1/none',
              connectionTimeoutMillis: 2000,
            }),
          }),
        })
        const down = await buildTestApp(unreachable)
        try {
          const response = await down.inject({ method: 'GET', url: '/health' })
          assert.equal(response.statusCode, 503)
          const { databaseCheckedSecondsAgo, ...state } = response.json<Record<string, unknown>>()
          assert.deepEqual(state, { status: 'DOWN', database: 'DOWN' })
          assert.equal(typeof databaseCheckedSecondsAgo, 'number')
        } finally {
          await down.close()
          await unreachable.destroy()
        }
      })
    })

    describe('GET /language/:language', () => {
      it('switches to Welsh with a cookie, and the next page is in Welsh', async () => {
        const jar = new CookieJar()
        const response = jar.take(await app.inject({ method: 'GET', url: '/language/cy?returnTo=%2Fsign-in' }))
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/sign-in')
        const cookie = response.cookies.find((candidate) => candidate.name === 'waymark_language')
        assert.equal(cookie?.value, 'cy')
        assert.equal(cookie?.httpOnly, true)
        const page = readPage((await app.inject({ method: 'GET', url: '/sign-in', cookies: jar.header })).body)
        assert.equal(page.language, 'cy')
        assert.equal(page.heading(), 'Mewngofnodi i Waymark')
        // GOV.UK's password input says Show and Hide in English unless told otherwise (issue 18).
        const password = page.root.querySelector('.govuk-password-input')
        assert.equal(password?.getAttribute('data-i18n.show-password'), 'Dangos')
        assert.equal(password?.getAttribute('data-i18n.hide-password'), 'Cuddio')
      })

      it('shows a signed-in user’s roll in Welsh and back in English', async () => {
        const user = await signedInAs(app, officer)
        await user.get('/language/cy?returnTo=%2Froll')
        assert.equal(headingOf((await user.get('/roll')).body), 'Rhestr: HMP Home')
        await user.get('/language/en?returnTo=%2Froll')
        const english = readPage((await user.get('/roll')).body)
        assert.equal(english.language, 'en')
        assert.equal(english.heading(), 'Roll: HMP Home')
      })

      for (const returnTo of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/\t/evil.example'])
        it(`refuses to send the user to ${JSON.stringify(returnTo)} and goes to the start page instead`, async () => {
          const response = await app.inject({
            method: 'GET',
            url: `/language/cy?returnTo=${encodeURIComponent(returnTo)}`,
          })
          assert.equal(response.statusCode, 303)
          assert.equal(response.headers.location, '/')
        })

      it('refuses a language Waymark does not have with 400', async () => {
        const response = await app.inject({ method: 'GET', url: '/language/fr' })
        assert.equal(response.statusCode, 400)
        assert.equal(response.cookies.length, 1, 'only the CSRF cookie of the error page')
      })
    })

    describe('POST /establishment', () => {
      it('switches a user to another of their establishments', async () => {
        const user = await signedInAs(app, governor)
        const roll = readPage((await user.get('/roll')).body)
        assert.equal(roll.heading(), 'Roll: HMP Home')
        // The switch names each prison, under a label a sighted user can read too.
        const header = headerOf(roll)
        assert.deepEqual(header.options('Prison you are working in'), [
          { text: 'HMP Home', value: home.code },
          { text: 'HMP Second', value: second.code },
        ])
        assert.equal(
          header.root.querySelector('label[for="establishmentCode"]')?.classList.contains('govuk-visually-hidden'),
          false,
        )
        const response = await user.post('/establishment', { establishmentCode: second.code })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, '/roll')
        assert.equal(headingOf((await user.get('/roll')).body), 'Roll: HMP Second')
        assert.deepEqual((await auditActionsOf(governor)).slice(-1), ['establishment.switched'])
      })

      it('refuses an establishment that is not one of the user’s with 400 and leaves them where they were', async () => {
        const user = await signedInAs(app, governor)
        const response = await user.post('/establishment', { establishmentCode: elsewhere.code })
        assert.equal(response.statusCode, 400)
        assert.equal(headingOf((await user.get('/roll')).body), 'Roll: HMP Home')
      })
    })

    describe('the log', () => {
      it('names the route, never the prison number, name or search typed', async () => {
        const person = await givenPerson(database.db, home.code, { firstName: 'Gethin', lastName: 'Llewellyn' })
        const user = await signedInAs(app, officer)
        log.length = 0
        assert.equal((await user.get(`/people/${person.prisonNumber}`)).statusCode, 200)
        assert.equal((await user.get('/roll?search=Llewellyn')).statusCode, 200)
        const written = log.join('')
        assert.match(written, /"route":"\/people\/:prisonNumber"/)
        assert.doesNotMatch(written, new RegExp(`${person.prisonNumber}|Gethin|Llewellyn`))
      })
    })
  })

  describe(`sign-in limits behind a proxy, and the delay for a username, on ${engine.name}`, () => {
    let database: TestDatabase
    const clock = fixedClock('2026-11-25T07:00:00Z')
    /** What the sign-in delay asked to wait, in milliseconds; the clock moves on instead of the test waiting. */
    const waits: number[] = []
    const sleep = async (milliseconds: number) => {
      waits.push(milliseconds)
      clock.advanceMinutes(milliseconds / 60_000)
    }
    let home: { code: string }
    const apps: FastifyInstance[] = []
    const appWith = async (config: Partial<Config>) => {
      const built = await buildTestApp(database.db, { clock, sleep, config })
      apps.push(built)
      return built
    }
    const officerAtHome = async () =>
      (await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })).username

    before(async () => {
      database = await engine.open()
      home = await givenEstablishment(database.db)
    })
    after(async () => {
      for (const built of apps) await built.close()
      await database.close()
    })

    it('ignores X-Forwarded-For in production when no proxy is trusted, so made-up addresses share the real one’s limit', async () => {
      const production = await appWith({ environment: 'production', signInAttemptsPerMinute: 3 })
      const username = await officerAtHome()
      const statuses: number[] = []
      for (let attempt = 1; attempt <= 4; attempt++) {
        const { response } = await submitSignIn(
          production,
          { username, password: `guess ${attempt}` },
          { forwardedFor: `198.51.100.${attempt}` },
        )
        statuses.push(response.statusCode)
      }
      assert.deepEqual(statuses, [400, 400, 400, 429])
    })

    it('takes the address the trusted proxy saw when TRUST_PROXY is 1, whatever the client put before it', async () => {
      const behindOneProxy = await appWith({ environment: 'production', trustProxy: 1, signInAttemptsPerMinute: 3 })
      const username = await officerAtHome()
      const statuses: number[] = []
      for (let attempt = 1; attempt <= 4; attempt++) {
        const { response } = await submitSignIn(
          behindOneProxy,
          { username, password: `guess ${attempt}` },
          { forwardedFor: `198.51.100.${attempt}, 203.0.113.7` },
        )
        statuses.push(response.statusCode)
      }
      const { response: fromAnotherAddress } = await submitSignIn(
        behindOneProxy,
        { username, password: TEST_PASSWORD },
        { forwardedFor: '203.0.113.8' },
      )
      assert.deepEqual(statuses, [400, 400, 400, 429])
      assert.equal(fromAnotherAddress.statusCode, 303)
    })

    it('slows thirty wrong passwords from thirty addresses for one username, then the right password still signs in', async () => {
      const behindOneProxy = await appWith({ environment: 'production', trustProxy: 1 })
      const username = await officerAtHome()
      waits.length = 0
      for (let attempt = 1; attempt <= 30; attempt++) {
        const { response } = await submitSignIn(
          behindOneProxy,
          { username, password: `guess ${attempt}` },
          { forwardedFor: `198.51.100.${attempt}` },
        )
        assert.equal(response.statusCode, 400, `attempt ${attempt}`)
      }
      assert.deepEqual(waits.slice(0, 6), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000])
      assert.equal(waits.length, 25, 'every attempt after the fifth waits')
      assert.ok(
        waits.every((wait) => wait <= 30_000),
        'never longer than 30 seconds',
      )

      const { response } = await submitSignIn(
        behindOneProxy,
        { username, password: TEST_PASSWORD },
        { forwardedFor: '198.51.100.31' },
      )
      assert.equal(response.statusCode, 303)
      assert.equal(waits.at(-1), 30_000)
      assert.equal(waits.length, 26)
    })

    it('starts a username afresh after it signs in, and does not slow other usernames', async () => {
      const app = await appWith({ signInAttemptsPerMinute: 100 })
      const [slowed, other] = [await officerAtHome(), await officerAtHome()]
      for (let attempt = 1; attempt <= 7; attempt++) await submitSignIn(app, { username: slowed, password: 'wrong' })
      waits.length = 0
      assert.equal((await submitSignIn(app, { username: other, password: 'wrong' })).response.statusCode, 400)
      assert.equal((await submitSignIn(app, { username: slowed, password: TEST_PASSWORD })).response.statusCode, 303)
      assert.equal((await submitSignIn(app, { username: slowed, password: 'wrong' })).response.statusCode, 400)
      assert.deepEqual(waits, [4_000])
    })

    it('slows guesses at a person’s own account in the same way, and the right password still opens their view', async () => {
      const app = await appWith({ signInAttemptsPerMinute: 100 })
      const person = await givenPerson(database.db, home.code)
      const { username } = await givenPersonAccount(database.db, person)
      const signInAsPerson = async (password: string) => {
        const jar = new CookieJar()
        const form = jar.take(await app.inject({ method: 'GET', url: '/my/sign-in' }))
        return app.inject({
          method: 'POST',
          url: '/my/sign-in',
          cookies: jar.header,
          payload: { username, password, _csrf: csrfTokenFrom(form.body) },
        })
      }
      waits.length = 0
      for (let attempt = 1; attempt <= 8; attempt++) assert.equal((await signInAsPerson('wrong')).statusCode, 400)
      assert.deepEqual(waits, [1_000, 2_000, 4_000])
      const signedIn = await signInAsPerson(TEST_PASSWORD)
      assert.equal(signedIn.statusCode, 303)
      assert.equal(signedIn.headers.location, '/my')
      assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000])
    })

    it('signs in a wing’s officers at a shift change from the prison’s one address, typing mistakes and all', async () => {
      const app = await appWith({})
      const wing = await Promise.all(Array.from({ length: 15 }, () => officerAtHome()))
      const statuses: number[] = []
      for (const username of wing) {
        const mistyped = await submitSignIn(app, { username, password: 'demo1' }, { remoteAddress: '10.40.0.1' })
        const signedIn = await submitSignIn(app, { username, password: TEST_PASSWORD }, { remoteAddress: '10.40.0.1' })
        statuses.push(mistyped.response.statusCode, signedIn.response.statusCode)
      }
      assert.deepEqual(
        statuses,
        wing.flatMap(() => [400, 303]),
      )
    })
  })
}

describePagesOnEachEngine(
  'the sign-in rate limit',
  { config: { signInAttemptsPerMinute: 3 }, staff: ['officer'] },
  (site) => {
    it('refuses the fourth attempt in a minute with 429, even with the right password', async () => {
      const { username } = site.staff.officer
      for (let attempt = 1; attempt <= 3; attempt++) {
        const { response } = await submitSignIn(site.app, { username, password: `guess ${attempt}` })
        assert.equal(response.statusCode, 400, `attempt ${attempt}`)
      }
      const { response } = await submitSignIn(site.app, { username, password: TEST_PASSWORD })
      assert.equal(response.statusCode, 429)
      assert.equal(headingOf(response.body), 'Too many requests')
      assert.equal(
        response.cookies.find((cookie) => cookie.name === 'waymark_session'),
        undefined,
      )
    })

    it('counts each address on its own', async () => {
      const { response } = await submitSignIn(
        site.app,
        { username: site.staff.officer.username, password: TEST_PASSWORD },
        { remoteAddress: '10.1.2.3' },
      )
      assert.equal(response.statusCode, 303)
    })
  },
)

describePagesOnEachEngine('secure cookies', { config: { secureCookies: true }, staff: ['officer'] }, (site) => {
  it('marks the session cookie Secure and asks for HTTPS when secure cookies are on, as in production', async () => {
    const { response } = await submitSignIn(site.app, {
      username: site.staff.officer.username,
      password: TEST_PASSWORD,
    })
    assert.equal(response.statusCode, 303)
    const cookie = response.cookies.find((candidate) => candidate.name === 'waymark_session')
    assert.equal(cookie?.secure, true)
    assert.equal(cookie?.httpOnly, true)
    assert.match(String(response.headers['strict-transport-security']), /max-age=\d+/)
    assert.match(String(response.headers['content-security-policy']), /upgrade-insecure-requests/)
  })
})

describe('safeReturnPath', () => {
  const cases: [unknown, string][] = [
    ['/roll', '/roll'],
    ['/people/A1234BC?tab=overview', '/people/A1234BC?tab=overview'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['roll', '/'],
    ['', '/'],
    [undefined, '/'],
  ]
  for (const [value, expected] of cases)
    it(`returns ${JSON.stringify(expected)} for ${JSON.stringify(value)}`, () => {
      assert.equal(safeReturnPath(value), expected)
    })
})
