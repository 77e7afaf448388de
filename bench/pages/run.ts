import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { parseOptions } from '../../src/cli/options.ts'
import { loadConfig } from '../../src/config.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { demoAccounts } from '../../src/demo/estate.ts'
import { DEMO_PASSWORD, seedDemoEstate } from '../../src/demo/seed.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { hasPermission, isPermission, type Role } from '../../src/platform/permissions.ts'
import { openBenchDatabase, seconds, signIn } from '../http/targets.ts'
import { buildAppCollectingRoutes, permissionOf } from '../../test/support/routes-of-app.ts'
import { summarise } from '../http/load.ts'
import { firstFitting, linksIn } from './crawl.ts'
import { queryCounter } from '../../src/db/query-counter.ts'
import { queryStats, type QueryStats } from '../http/query-stats.ts'

/**
 * npm run bench:pages [-- --repeat 10 --postgres postgres://… --targets embedded,postgresql --routes /a,/b/:id]
 *
 * Issue 19: every page at once for one user. Signs in as each demo role at HMP Northgate and asks, one request
 * at a time, for every GET route the role may use, `--repeat` times each: a route with parameters at the first
 * address the role's own pages link to (so every id is one the demo has and the role sees). Prints the slowest
 * twenty by p95 beside the goal, with the SQL queries each asked for, and the routes no page led to.
 *
 * `--routes` measures only the routes named (as registered, `:param` and all), to compare one change before and
 * after; every page is still read once to find the addresses of those with parameters.
 *
 * Queries are counted by a Kysely plugin on the app's own database handle: nothing else runs on it while a page
 * is asked for (no worker here), so the count is the page's. `--statements N` also prints the N statements that
 * took longest in all over the pages measured (one at a time, so each statement's time is its own: where a
 * page's time goes before changing it). A benchmark: it prints, it does not fail.
 */

const GOAL_P95_MS = 250
const USAGE =
  'Usage: node bench/pages/run.ts [--repeat 10] [--postgres URL] [--targets embedded,postgresql] [--slowest 20]' +
  ' [--routes /safer-custody,/people/:prisonNumber/journey] [--statements 20]'

type Measured = {
  role: Role
  route: string
  address: string
  status: number
  p50: number
  p95: number
  queries: number
  /** The most queries one of its requests asked for, when that differs from the first (a page that varies). */
  mostQueries: number
  kilobytes: number
}

function pagesFor(routes: readonly RouteOptions[], role: Role): string[] {
  const gets = routes.filter((route) => [route.method].flat().includes('GET'))
  return [
    ...new Set(
      gets
        .filter((route) => {
          const permission = permissionOf(route)
          // Public routes are the sign-in pages and assets, not a signed-in user's pages.
          return isPermission(permission) && permission !== 'public' && hasPermission(role, permission)
        })
        .map((route) => route.url),
    ),
  ]
}

async function get(url: string, address: string, cookie: string) {
  const started = performance.now()
  const response = await fetch(`${url}${address}`, { redirect: 'manual', headers: { cookie } })
  const body = await response.text()
  return { status: response.status, body, milliseconds: performance.now() - started }
}

/**
 * The address to measure for each route the role may use: the route itself where it has no parameters, or
 * the first link that fits it, found by following links out from the pages already found (three steps deep).
 */
async function findPages(url: string, cookie: string, routes: string[]) {
  const found = new Map<string, string>(routes.filter((route) => !route.includes(':')).map((route) => [route, route]))
  let frontier = [...found.values()]
  const seen = new Set(frontier)
  for (let depth = 0; depth < 3 && frontier.length > 0; depth += 1) {
    const links: string[] = []
    for (const address of frontier) {
      const page = await get(url, address, cookie)
      if (page.status === 200) links.push(...linksIn(page.body))
    }
    frontier = []
    for (const route of routes.filter((route) => !found.has(route))) {
      const address = firstFitting(route, links)
      if (address === undefined) continue
      found.set(route, address)
      if (!seen.has(address)) frontier.push(address)
      seen.add(address)
    }
  }
  return found
}

async function measureRole(
  url: string,
  role: Role,
  username: string,
  routes: string[],
  repeat: number,
  counted: { queries: number },
  only: ReadonlySet<string> | undefined,
  statements: QueryStats | undefined,
) {
  // Every signed-in role may open its own sessions page; `/` only sends each role on to its start page.
  const cookie = await signIn(url, username, DEMO_PASSWORD, '/account/sessions')
  const found = await findPages(url, cookie, routes)
  const measured: Measured[] = []
  for (const [route, address] of found) {
    if (only && !only.has(route)) continue
    const durations: number[] = []
    const queries: number[] = []
    let last = { status: 0, body: '' }
    // Only the pages measured: finding them asks for every page the role may open.
    statements?.start()
    for (let i = 0; i < repeat; i += 1) {
      const before = counted.queries
      const page = await get(url, address, cookie)
      durations.push(page.milliseconds)
      queries.push(counted.queries - before)
      last = page
    }
    statements?.stop()
    const latency = summarise(durations)
    measured.push({
      role,
      route,
      address,
      status: last.status,
      p50: latency.p50,
      p95: latency.p95,
      queries: queries[queries.length - 1],
      mostQueries: Math.max(...queries),
      kilobytes: Buffer.byteLength(last.body) / 1024,
    })
  }
  const unreached = routes.filter((route) => !found.has(route) && (!only || only.has(route)))
  return { measured, unreached }
}

async function runOn(
  engine: 'embedded' | 'postgresql',
  postgresUrl: string | undefined,
  repeat: number,
  only: ReadonlySet<string> | undefined,
  statements: QueryStats | undefined,
) {
  const started = Date.now()
  const handle = await openBenchDatabase({ engine, postgresUrl, embeddedStorage: 'disk' })
  let app: FastifyInstance | undefined
  try {
    await migrateToLatest(handle.db)
    await seedDemoEstate(handle.db, { seed: 1, today: systemClock.today(), environment: 'development' })
    log(`  demo estate ready in ${seconds(started)}`)
    const { counted, plugin } = queryCounter()
    const config = loadConfig({
      NODE_ENV: 'production',
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      SIGN_IN_ATTEMPTS_PER_MINUTE: '1000',
    })
    const built = await buildAppCollectingRoutes(() =>
      buildApp({
        db: statements ? handle.db.withPlugin(plugin).withPlugin(statements.plugin) : handle.db.withPlugin(plugin),
        config,
        logStream: { write: () => {} },
      }),
    )
    app = built.app
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    if (!address || typeof address === 'string') throw new Error('The server has no TCP address')
    const url = `http://127.0.0.1:${address.port}`
    const home = demoAccounts().filter((account) => !/\.[a-z]{3}$/.test(account.username))
    const measured: Measured[] = []
    const unreached: { role: Role; route: string }[] = []
    for (const account of home) {
      const routes = pagesFor(built.routes, account.role)
      const result = await measureRole(url, account.role, account.username, routes, repeat, counted, only, statements)
      measured.push(...result.measured)
      unreached.push(...result.unreached.map((route) => ({ role: account.role, route })))
      log(`  ${account.role}: ${result.measured.length} pages measured, ${result.unreached.length} not reached`)
    }
    return { measured, unreached }
  } finally {
    await app?.close()
    await handle.close()
  }
}

function report(engine: string, result: Awaited<ReturnType<typeof runOn>>, slowest: number, repeat: number) {
  const rows = [...result.measured].sort((a, b) => b.p95 - a.p95)
  const over = rows.filter((row) => row.p95 > GOAL_P95_MS)
  const notOk = rows.filter((row) => row.status !== 200)
  const pad = (text: string | number, width: number) => String(text).padStart(width)
  const lines = [
    '',
    `${engine}: ${rows.length} pages (role and route), ${repeat} requests each, one at a time`,
    `goal: every page's p95 under ${GOAL_P95_MS} ms; ${over.length} over it` +
      (rows.length
        ? `; slowest ${rows[0].p95.toFixed(0)} ms (${(rows[0].p95 / GOAL_P95_MS).toFixed(2)}× the goal)`
        : ''),
    '',
    `${'role'.padEnd(13)}${'route'.padEnd(58)}${pad('p50 ms', 8)}${pad('p95 ms', 8)}${pad('× goal', 8)}${pad('queries', 9)}${pad('KiB', 7)}`,
    ...rows
      .slice(0, slowest)
      .map(
        (row) =>
          `${row.role.padEnd(13)}${row.route.slice(0, 57).padEnd(58)}${pad(row.p50.toFixed(0), 8)}${pad(row.p95.toFixed(0), 8)}` +
          `${pad((row.p95 / GOAL_P95_MS).toFixed(2), 8)}${pad(row.mostQueries === row.queries ? row.queries : `${row.queries}-${row.mostQueries}`, 9)}` +
          `${pad(row.kilobytes.toFixed(0), 7)}`,
      ),
  ]
  const mostQueries = [...rows].sort((a, b) => b.queries - a.queries).slice(0, 5)
  lines.push('', `most queries: ${mostQueries.map((row) => `${row.route} (${row.role}) ${row.queries}`).join('; ')}`)
  if (notOk.length)
    lines.push(`not 200: ${notOk.map((row) => `${row.address} (${row.role}) ${row.status}`).join('; ')}`)
  // A route one role reached is measured, even where another role's pages do not link to it.
  const measuredRoutes = new Set(rows.map((row) => row.route))
  const unreached = [...new Set(result.unreached.map((row) => row.route))].filter((route) => !measuredRoutes.has(route))
  if (unreached.length) lines.push(`no page linked to (not measured): ${unreached.sort().join(', ')}`)
  return lines.join('\n')
}

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args, {
    repeat: { type: 'string', default: '10' },
    slowest: { type: 'string', default: '20' },
    postgres: { type: 'string' },
    targets: { type: 'string' },
    routes: { type: 'string' },
    statements: { type: 'string' },
  })
  if (!parsed.ok) {
    console.error(`${parsed.message}\n${USAGE}`)
    return 2
  }
  const repeat = Number(parsed.values.repeat)
  const statementRows = parsed.values.statements === undefined ? undefined : Number(parsed.values.statements)
  const slowest = Number(parsed.values.slowest)
  const postgresUrl = parsed.values.postgres ?? process.env.DATABASE_URL
  const only = parsed.values.routes === undefined ? undefined : new Set(parsed.values.routes.split(','))
  const targets = (parsed.values.targets ?? `embedded${postgresUrl ? ',postgresql' : ''}`).split(',')
  const problems = [
    !(Number.isInteger(repeat) && repeat >= 1) && '--repeat must be a whole number, 1 or more',
    !(Number.isInteger(slowest) && slowest >= 1) && '--slowest must be a whole number, 1 or more',
    statementRows !== undefined &&
      !(Number.isInteger(statementRows) && statementRows >= 1) &&
      '--statements must be a whole number, 1 or more',
    targets.some((target) => !['embedded', 'postgresql'].includes(target)) &&
      '--targets is a comma-separated list of embedded and postgresql',
    only?.has('') && '--routes is a comma-separated list of routes, such as /safer-custody,/people/:prisonNumber',
    targets.includes('postgresql') && !postgresUrl && 'postgresql needs DATABASE_URL or --postgres URL',
  ].filter((problem): problem is string => typeof problem === 'string')
  if (problems.length) {
    console.error(`${problems.join('\n')}\n${USAGE}`)
    return 2
  }
  for (const target of targets) {
    log(`${target}:`)
    const engine = target === 'embedded' ? 'embedded' : 'postgresql'
    const statements = statementRows === undefined ? undefined : queryStats()
    const result = await runOn(engine, postgresUrl, repeat, only, statements)
    console.log(
      report(engine === 'embedded' ? 'Waymark embedded (PGlite)' : 'Waymark PostgreSQL', result, slowest, repeat),
    )
    if (statements) console.log(`\n${statements.reportByTime(statementRows)}`)
  }
  return 0
}

process.exitCode = await main(process.argv.slice(2))
