import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify'
import { after, before } from 'node:test'
import { buildApp, createServices, type Services } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Db } from '../../src/db/database.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { Actor, StaffRole } from '../../src/platform/permissions.ts'
import type { Sleep } from '../../src/platform/sign-in-delay.ts'
import { givenEstablishment, givenStaffUser, TEST_PASSWORD } from './builders.ts'
import { describeOnEachEngine, type TestDatabase } from './database.ts'
import { buildAppCollectingRoutes } from './routes-of-app.ts'

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...overrides }
}

export async function buildTestApp(
  db: Db,
  options: {
    clock?: Clock
    config?: Partial<Config>
    logStream?: { write: (line: string) => void }
    sleep?: Sleep
    /** Built by the test when it must also work the queue (deliver events); otherwise built by the app. */
    services?: Services
  } = {},
) {
  const app = await buildApp({
    db,
    config: testConfig(options.config),
    clock: options.clock,
    logStream: options.logStream,
    sleep: options.sleep,
    services: options.services,
  })
  await app.ready()
  return app
}

/**
 * Delivers the events waiting for their listeners, as `waymark serve`'s worker does every few seconds: what a
 * listener does (another area's part of a change) is done when this returns. How many deliveries ran.
 */
export async function deliverEvents(services: Services): Promise<number> {
  return services.jobs.work('test-worker', services.events.handlers(), 1000)
}

/** Cookies as a browser keeps them: later responses' Set-Cookie replace earlier ones. */
export class CookieJar {
  #cookies = new Map<string, string>()
  take(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.#cookies.delete(cookie.name)
      else this.#cookies.set(cookie.name, cookie.value)
    }
    return response
  }
  get header(): Record<string, string> {
    return Object.fromEntries(this.#cookies)
  }
}

/** The CSRF token from the first form on a page. */
export function csrfTokenFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error('No CSRF token on the page')
  return token
}

/** A signed-in browser: a cookie jar, and GET and POST that carry it (POST adds the CSRF token). */
export async function signedInAs(app: FastifyInstance, username: string, password = TEST_PASSWORD) {
  const jar = new CookieJar()
  const signInPage = jar.take(await app.inject({ method: 'GET', url: '/sign-in' }))
  const response = jar.take(
    await app.inject({
      method: 'POST',
      url: '/sign-in',
      cookies: jar.header,
      payload: { username, password, _csrf: csrfTokenFrom(signInPage.body) },
    }),
  )
  if (response.statusCode !== 303) throw new Error(`Sign-in as ${username} failed with ${response.statusCode}`)
  return {
    jar,
    get: async (url: string) => jar.take(await app.inject({ method: 'GET', url, cookies: jar.header })),
    post: async (url: string, payload: Record<string, string>, options: { withCsrf?: boolean; from?: string } = {}) => {
      let token = ''
      if (options.withCsrf !== false) {
        const page = jar.take(await app.inject({ method: 'GET', url: options.from ?? '/roll', cookies: jar.header }))
        token = csrfTokenFrom(page.body)
      }
      return jar.take(
        await app.inject({
          method: 'POST',
          url,
          cookies: jar.header,
          payload: options.withCsrf === false ? payload : { ...payload, _csrf: token },
        }),
      )
    },
  }
}

/** A browser signed in as someone, from `signedInAs`. */
export type Browser = Awaited<ReturnType<typeof signedInAs>>

type Establishment = Awaited<ReturnType<typeof givenEstablishment>>

/**
 * What a file of route tests works on: the database, the app built on it as production builds it, the prison
 * the staff it names work in, and a browser for each of them. Filled in before the file's tests run, so read it
 * inside them (and in the file's own `before`, which runs after this is set up).
 */
export type PagesUnderTest<Named extends StaffRole, Home extends { code: string } = Establishment> = {
  database: TestDatabase
  db: Db
  app: FastifyInstance
  /** The services the app runs on, built by the test when it asks for them (to deliver events). */
  services: Services
  /** Every route the app registers, when the options ask to collect them (to walk them all). */
  routes: RouteOptions[]
  /** The prison the named staff work in: made when the options name staff or a home. */
  home: Home
  /** One member of staff of each role the options name, working at home. */
  staff: Record<Named, Actor>
  /**
   * A browser signed in as a member of staff named by role, or as anyone with an account, once for the whole
   * file: sign-in is rate limited, and a test that needs a fresh session calls `signedInAs` itself.
   */
  as: (who: Named | { username: string }) => Promise<Browser>
  /**
   * A browser with a session of its own, signed in as a member of staff named by role or as anyone, with the
   * test password or the one given (a one-time password, one the user chose).
   */
  signedInAs: (who: Named | { username: string }, password?: string) => Promise<Browser>
}

/**
 * A `describe` block per engine for a file of route tests: one database and one app for its tests, with a
 * prison and its staff by role, built before them and closed after.
 *
 *   describePagesOnEachEngine('costing pages', { clock, staff: ['governor'] }, (site) => {
 *     it('…', async () => { const page = await (await site.as('governor')).get('/costing') })
 *   })
 */
export function describePagesOnEachEngine<
  Named extends StaffRole = never,
  Home extends { code: string } = Establishment,
>(
  title: string,
  options: {
    clock?: Clock
    config?: Partial<Config>
    /** Build the services in the test, so it can deliver the events the app publishes. */
    services?: boolean
    /** Collect every route the app registers, as `site.routes`. */
    routes?: boolean
    /** The home prison's name and function, or a builder of a prison ready for the file's tests. */
    home?: Parameters<typeof givenEstablishment>[1] | ((db: Db) => Promise<Home>)
    staff?: readonly Named[]
  },
  body: (site: PagesUnderTest<Named, Home>) => void,
): void {
  describeOnEachEngine(title, (database) => {
    const browsers = new Map<string, Promise<Browser>>()
    const site: PagesUnderTest<Named, Home> = {
      database,
      staff: {} as Record<Named, Actor>,
      as: (who) => {
        const { username } = typeof who === 'string' ? site.staff[who] : who
        if (!browsers.has(username)) browsers.set(username, site.signedInAs(who))
        return browsers.get(username)!
      },
      signedInAs: (who, password) =>
        signedInAs(site.app, (typeof who === 'string' ? site.staff[who] : who).username, password),
    } as PagesUnderTest<Named, Home>
    before(async () => {
      site.db = database.db
      if (options.services) site.services = createServices({ db: database.db, clock: options.clock })
      const build = () =>
        buildTestApp(database.db, {
          clock: options.clock,
          config: options.config,
          services: options.services ? site.services : undefined,
        })
      if (options.routes) ({ app: site.app, routes: site.routes } = await buildAppCollectingRoutes(build))
      else site.app = await build()
      if (!options.home && !options.staff) return
      site.home =
        typeof options.home === 'function'
          ? await options.home(database.db)
          : // Without a builder, Home is its default: the establishment made here.
            ((await givenEstablishment(database.db, options.home)) as unknown as Home)
      for (const role of options.staff ?? [])
        site.staff[role] = await givenStaffUser(database.db, { role, establishmentCodes: [site.home.code] })
    })
    after(() => site.app?.close())
    body(site)
  })
}

// Kept apart from this file's test hooks so that a benchmark can collect routes too (bench/pages).
export { buildAppCollectingRoutes, permissionOf } from './routes-of-app.ts'
