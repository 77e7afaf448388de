import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp, createServices } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'
import { seededRandom } from '../../src/demo/random.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { hashPassword } from '../../src/platform/passwords.ts'
import type { LoadSpec } from './load.ts'
import type { QueryStats } from './query-stats.ts'

/** A server under load: where it listens, what each connection asks for, and how to take it down. */
export type Target = {
  name: string
  url: string
  cookies: string[]
  /** Per connection, beside its cookies: an API client's token and prison (issue 15). */
  headers?: Record<string, string>[]
  steps: LoadSpec['steps']
  close: () => Promise<void>
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('The server has no TCP address')
  return `http://127.0.0.1:${address.port}`
}

export const BARE_HTML =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Waymark</title></head>' +
  '<body><main><h1>Roll</h1><p>HMP Northgate</p></main></body></html>'

/** The reference: what Fastify alone does on this machine with a small static page and no database. */
export async function startBareFastify(): Promise<Target> {
  const app = Fastify({ logger: false })
  app.get('/', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(BARE_HTML)
  })
  const url = await listen(app)
  return { name: 'bare Fastify', url, cookies: [], steps: [{ kind: 'static', paths: ['/'] }], close: () => app.close() }
}

export type WaymarkOptions = {
  engine: 'embedded' | 'postgresql'
  /** A PostgreSQL server: a throwaway database is created on it and dropped afterwards. */
  postgresUrl?: string | undefined
  /** Embedded only: 'disk' is PGlite in a temporary data directory, as `npm start` runs; or in memory. */
  embeddedStorage: 'disk' | 'memory'
  users: number
  /**
   * 'dashboards' (issue 19): safer custody leads, who load the roll and person pages and, between them, the
   * four dashboards (/safer-custody, /care-plans, /measures, /concerns). 'roll': officers on the roll and
   * person pages only, as measured before issue 19.
   */
  pages: 'dashboards' | 'roll' | 'api'
  logLevel: Config['logLevel']
  log: (line: string) => void
  /** Issue 19: counts the statements the server runs (--query-stats). */
  queryStats?: QueryStats | undefined
}

const ESTABLISHMENT = 'NHI'
const BENCH_PASSWORD = 'bench-password'

/** A database of its own: PGlite in a temporary directory (or memory), or a new database on the server. */
export async function openBenchDatabase(
  options: Pick<WaymarkOptions, 'engine' | 'postgresUrl' | 'embeddedStorage'>,
): Promise<DatabaseHandle> {
  if (options.engine === 'embedded') {
    if (options.embeddedStorage === 'memory') return openDatabase({})
    const directory = await mkdtemp(path.join(tmpdir(), 'waymark-bench-'))
    const handle = await openDatabase({ dataDirectory: directory })
    return {
      ...handle,
      close: async () => {
        await handle.close()
        await rm(directory, { recursive: true, force: true })
      },
    }
  }
  if (!options.postgresUrl) throw new Error('PostgreSQL needs a server URL')
  const serverUrl = options.postgresUrl
  const name = `waymark_bench_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  // The pool `waymark serve` uses (openDatabase's default).
  const handle = await openDatabase({ databaseUrl: url.toString() })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      await admin(`drop database if exists ${name} with (force)`)
    },
  }
}

/** name=value pairs from Set-Cookie headers, merged into a jar as a browser would. */
function takeCookies(jar: Map<string, string>, response: Response) {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]
    const equals = pair.indexOf('=')
    jar.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim())
  }
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/**
 * Signs in through the real pages (GET the form for its CSRF token and cookie, POST it) and returns the cookies,
 * once `landing` loads with them.
 */
export async function signIn(url: string, username: string, password: string, landing = '/roll'): Promise<string> {
  const jar = new Map<string, string>()
  const form = await fetch(`${url}/sign-in`)
  takeCookies(jar, form)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  if (!token) throw new Error('No CSRF token on the sign-in page')
  const response = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: token }).toString(),
  })
  await response.arrayBuffer()
  takeCookies(jar, response)
  if (response.status !== 303 || !jar.get('waymark_session'))
    throw new Error(`Sign-in as ${username} failed with ${response.status}`)
  // The page a signed-in user lands on must load with these cookies, or the run would measure redirects.
  const check = await fetch(`${url}${landing}`, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } })
  await check.arrayBuffer()
  if (check.status !== 200) throw new Error(`${landing} gave ${check.status} to ${username} after signing in`)
  return cookieHeader(jar)
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let start = 0; start < items.length; start += size)
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))))
  return results
}

/**
 * Waymark as `waymark serve` builds it (production config, log silenced), on a fresh demo estate with
 * `users` accounts at HMP Northgate (safer custody leads, or officers for the roll alone), each signed in through the sign-in page with its own session.
 */
export async function startWaymark(options: WaymarkOptions): Promise<Target> {
  const started = Date.now()
  const handle = await openBenchDatabase(options)
  let app: FastifyInstance | undefined
  const close = async () => {
    await app?.close()
    await handle.close()
  }
  try {
    const { db } = handle
    await migrateToLatest(db)
    await seedDemoEstate(db, { seed: 1, today: systemClock.today(), environment: 'development' })
    if (options.pages === 'api') {
      app = await buildApp({
        db,
        config: benchConfig(options, { API_CALLS_PER_MINUTE: '1000000000' }),
        logStream: { write: () => {} },
      })
      const url = await listen(app)
      return { ...(await apiClientsOf(db, url, options)), close }
    }
    const role = options.pages === 'dashboards' ? 'safercustody' : 'officer'
    const usernames = Array.from({ length: options.users }, (_, i) => `bench.${role}${String(i + 1).padStart(2, '0')}`)
    const passwordHash = await hashPassword(BENCH_PASSWORD)
    const users = await db
      .insertInto('staff_user')
      .values(
        usernames.map((username, i) => ({
          username,
          display_name: `Bench user ${i + 1}`,
          password_hash: passwordHash,
          role,
        })),
      )
      .returning('id')
      .execute()
    await db
      .insertInto('staff_user_establishment')
      .values(users.map((user) => ({ staff_user_id: user.id, establishment_code: ESTABLISHMENT })))
      .execute()
    options.log(`  demo estate and ${options.users} ${role} accounts ready in ${seconds(started)}`)

    options.queryStats?.attach(db)
    // The log goes nowhere: with a level above silent this measures what serialising it costs.
    app = await buildApp({
      db: options.queryStats ? db.withPlugin(options.queryStats.plugin) : db,
      config: benchConfig(options),
      logStream: { write: () => {} },
    })
    const url = await listen(app)

    const signingIn = Date.now()
    // argon2id runs on libuv's four threads: a few sign-ins at a time keeps them all busy.
    const cookies = await inBatches(usernames, 4, (username) => signIn(url, username, BENCH_PASSWORD))
    options.log(`  ${cookies.length} users signed in, each with a session of its own, in ${seconds(signingIn)}`)

    const people = await db
      .selectFrom('person')
      .select(['prison_number as prisonNumber', 'first_name as firstName', 'last_name as lastName'])
      .where('establishment_code', '=', ESTABLISHMENT)
      .orderBy('prison_number')
      .execute()
    const pageCount = Math.ceil(people.length / 50)
    const random = seededRandom(7)
    // What staff type into the roll search: part of a surname, a whole surname, a full name, a prison number.
    const searches = Array.from({ length: 200 }, (_, i) => {
      const person = random.pick(people)
      const term = [
        person.lastName.slice(0, 4).toLowerCase(),
        person.lastName,
        `${person.firstName} ${person.lastName}`,
        person.prisonNumber,
      ][i % 4]
      return `/roll?search=${encodeURIComponent(term)}`
    })
    const person = { kind: 'person', paths: people.map((person) => `/people/${person.prisonNumber}`) }
    // Half roll pages (the first page, a search, a later page), half person pages.
    const rollSteps = [
      { kind: 'roll', paths: ['/roll'] },
      person,
      { kind: 'roll search', paths: searches },
      person,
      { kind: 'roll page', paths: Array.from({ length: pageCount - 1 }, (_, i) => `/roll?page=${i + 2}`) },
      person,
    ]
    return {
      name: options.engine === 'embedded' ? `Waymark embedded (${options.embeddedStorage})` : 'Waymark PostgreSQL',
      url,
      cookies,
      steps: options.pages === 'dashboards' ? withDashboards(rollSteps) : rollSteps,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/** `waymark serve`'s production config, with as many sign-ins a minute as the bench's users need. */
function benchConfig(options: WaymarkOptions, more: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'production',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: options.logLevel,
    SIGN_IN_ATTEMPTS_PER_MINUTE: String(options.users * 4),
    ...more,
  })
}

/**
 * Issue 15: `users` other systems, each a registered client with a token of its own from /oauth/token, reading
 * the main lists of the API about the prison: the roll a page at a time, the ACCT alerts in force, a person's
 * alerts and the open concerns. The per-client rate limit is lifted: it would measure the limit, not the API.
 */
async function apiClientsOf(db: DatabaseHandle['db'], url: string, options: WaymarkOptions) {
  const { api } = createServices({ db })
  const headers = await inBatches(
    Array.from({ length: options.users }, (_, i) => i),
    8,
    async (i) => {
      const added = await api.addClient(
        { id: null, username: 'bench' },
        { name: `Bench system ${i + 1}`, roles: apiRolesForBench.join(','), establishments: ESTABLISHMENT },
      )
      if (!added.ok) throw new Error('A bench client was refused')
      const response = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${added.clientId}:${added.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
      if (response.status !== 200) throw new Error(`No token for a bench client: ${response.status}`)
      const { access_token: token } = (await response.json()) as { access_token: string }
      return { authorization: `Bearer ${token}`, 'caseload-id': ESTABLISHMENT }
    },
  )
  options.log(`  ${headers.length} API clients registered, each with a token of its own`)
  const people = await db
    .selectFrom('person')
    .select('prison_number as prisonNumber')
    .where('establishment_code', '=', ESTABLISHMENT)
    .execute()
  const pageCount = Math.ceil(people.length / 20)
  return {
    name: options.engine === 'embedded' ? `API embedded (${options.embeddedStorage})` : 'API PostgreSQL',
    url,
    cookies: [],
    headers,
    steps: [
      { kind: 'GET /api/people', paths: Array.from({ length: pageCount }, (_, i) => `/api/people?page=${i}&size=20`) },
      { kind: 'GET /api/acct-alerts', paths: ['/api/acct-alerts'] },
      {
        kind: 'GET /api/people/{n}/acct-alerts',
        paths: people.map((person) => `/api/people/${person.prisonNumber}/acct-alerts`),
      },
      { kind: 'GET /api/concerns', paths: ['/api/concerns?size=20'] },
    ],
  }
}

const apiRolesForBench = ['ROLE_WAYMARK__PEOPLE__RO', 'ROLE_WAYMARK__CARE_PLANS__RO', 'ROLE_WAYMARK__CONCERNS__RO']

/** The roll's cycle with a dashboard after each kind of roll page and one at the end: four pages in ten. */
function withDashboards(rollSteps: LoadSpec['steps']): LoadSpec['steps'] {
  const dashboards = ['/safer-custody', '/care-plans', '/measures', '/concerns']
  return rollSteps
    .flatMap((step, i) => (i % 2 === 0 ? [step, { kind: dashboards[i / 2], paths: [dashboards[i / 2]] }] : [step]))
    .concat([{ kind: dashboards[3], paths: [dashboards[3]] }])
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`
}
