import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { createServices } from '../../src/app.ts'
import { parseOptions } from '../../src/cli/options.ts'
import { currentTimetable, verdictOf, type RunResult } from '../../src/areas/allocation/rules.ts'
import { solveInWorker } from '../../src/allocator/solve-in-worker.ts'
import * as allocationStore from '../../src/areas/allocation/store.ts'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'
import { systemClock } from '../../src/platform/clock.ts'
import type { Actor } from '../../src/platform/permissions.ts'

/**
 * npm run bench:regime [-- --time-ms 1500 --postgres postgres://…]
 *
 * The allocation of the demo estate's 1,200-person prison (NHI), step by step as the app does it: build the
 * allocator's problem from the database, solve it in a worker thread, and save it (store the proposal and
 * accept it: the proposal checked again against the prison as it is now, then allocations closed and opened in
 * one transaction). On embedded PGlite in a temporary data directory (as `npm start` runs) and, when
 * DATABASE_URL or --postgres is set, on a throwaway PostgreSQL database. The demo's own accepted timetable is
 * there already, so acceptance writes the changes a weekly re-run makes. Goal: under 5 s in all.
 *
 * A benchmark: it prints figures and the goal, it does not fail.
 */

const GOAL_MS = 5000
const ESTABLISHMENT = 'NHI'
const USAGE =
  'Usage: node bench/regime/run.ts [--time-ms 1500] [--postgres URL] [--engines embedded,postgresql] [--json]'

type Engine = 'embedded' | 'postgresql'
type Figures = {
  engine: Engine
  seedMs: number
  buildMs: number
  solveMs: number
  saveMs: number
  totalMs: number
  people: number
  groups: number
  allocations: number
  joined: number
  left: number
  score: { today: number; proposed: number }
}

async function openBenchDatabase(engine: Engine, postgresUrl: string | undefined): Promise<DatabaseHandle> {
  if (engine === 'embedded') {
    const directory = await mkdtemp(path.join(tmpdir(), 'waymark-bench-regime-'))
    const handle = await openDatabase({ dataDirectory: directory })
    return {
      ...handle,
      close: async () => {
        await handle.close()
        await rm(directory, { recursive: true, force: true })
      },
    }
  }
  if (!postgresUrl) throw new Error('PostgreSQL needs a server URL')
  const name = `waymark_bench_regime_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ databaseUrl: url.toString() })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      await admin(`drop database if exists ${name} with (force)`)
    },
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now()
  const value = await work()
  return { value, ms: performance.now() - start }
}

async function benchEngine(engine: Engine, postgresUrl: string | undefined, timeMs: number): Promise<Figures> {
  const handle = await openBenchDatabase(engine, postgresUrl)
  try {
    const db = handle.db
    await migrateToLatest(db)
    const seeded = await timed(() =>
      seedDemoEstate(db, { seed: 1, today: systemClock.today(), environment: 'development' }),
    )
    const services = createServices({ db, clock: systemClock })
    const manager = await db
      .selectFrom('staff_user')
      .select(['id', 'username', 'display_name as displayName'])
      .where('username', '=', 'demo.activities')
      .executeTakeFirstOrThrow()
    const actor: Actor = {
      ...manager,
      role: 'activities',
      establishmentCode: ESTABLISHMENT,
      establishmentCodes: [ESTABLISHMENT],
    }

    const built = await timed(() => services.allocation.allocationProblemFor(ESTABLISHMENT))
    const problem = built.value
    const solved = await timed(() => solveInWorker(problem, { timeMs, seed: 1 }))
    const { timetable, stats } = solved.value
    const saved = await timed(async () => {
      const result: RunResult = {
        proposal: verdictOf(problem, timetable),
        today: verdictOf(problem, currentTimetable(problem)),
        solver: { elapsedMs: stats.elapsedMs, rounds: stats.rounds, stoppedBy: stats.stoppedBy },
      }
      const runId = await allocationStore.insertRun(db, {
        establishmentCode: ESTABLISHMENT,
        source: 'solver',
        state: 'proposed',
        timeBudgetMs: timeMs,
        requestedAt: systemClock.now(),
        requestedBy: actor.id,
        finishedAt: systemClock.now(),
        problem: JSON.stringify(problem),
        timetable: JSON.stringify(timetable),
        result: JSON.stringify(result),
      })
      const refusals = await services.allocation.acceptRun(actor, runId)
      if (refusals.length > 0) throw new Error(`The proposal was refused: ${JSON.stringify(refusals)}`)
      return result
    })
    const audit = await db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'allocation-run.accepted')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const counts = audit.details as { joined: number; left: number }
    return {
      engine,
      seedMs: seeded.ms,
      buildMs: built.ms,
      solveMs: solved.ms,
      saveMs: saved.ms,
      totalMs: built.ms + solved.ms + saved.ms,
      people: problem.people.length,
      groups: problem.activities.reduce((sum, activity) => sum + activity.groups.length, 0),
      allocations: timetable.assignments.length,
      joined: counts.joined,
      left: counts.left,
      score: { today: saved.value.today.score.total, proposed: saved.value.proposal.score.total },
    }
  } finally {
    await handle.close()
  }
}

function print(figures: Figures, timeMs: number) {
  const ms = (value: number) => `${Math.round(value).toLocaleString('en-GB').padStart(6)} ms`
  console.log(
    `\n${figures.engine === 'embedded' ? 'PGlite (embedded, on disk)' : 'PostgreSQL'}: ${figures.people} people, ${figures.groups} groups at ${ESTABLISHMENT}`,
  )
  console.log(`  build the problem from the database ${ms(figures.buildMs)}`)
  console.log(`  solve in a worker thread            ${ms(figures.solveMs)}   (time budget ${timeMs} ms)`)
  console.log(
    `  save: store the proposal, accept it ${ms(figures.saveMs)}   (${figures.joined} places joined, ${figures.left} left)`,
  )
  console.log(
    `  total                               ${ms(figures.totalMs)}   goal under ${GOAL_MS} ms: ${figures.totalMs < GOAL_MS ? 'met' : 'NOT met'}`,
  )
  console.log(
    `  ${figures.allocations} allocations; score ${figures.score.proposed.toFixed(1)} against ${figures.score.today.toFixed(1)} for the demo's accepted timetable; demo seeded in ${(figures.seedMs / 1000).toFixed(1)} s (not counted)`,
  )
}

async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args, {
    'time-ms': { type: 'string' },
    postgres: { type: 'string' },
    engines: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  })
  if (!parsed.ok || parsed.values.help) {
    console.error(parsed.ok ? USAGE : `${parsed.message}\n${USAGE}`)
    return parsed.ok ? 0 : 2
  }
  const timeMs = Number(parsed.values['time-ms'] ?? 1500)
  if (!Number.isInteger(timeMs) || timeMs < 100) {
    console.error(`--time-ms must be a whole number of 100 or more\n${USAGE}`)
    return 2
  }
  const postgresUrl = parsed.values.postgres ?? process.env.DATABASE_URL
  const engines = (parsed.values.engines ?? (postgresUrl ? 'embedded,postgresql' : 'embedded'))
    .split(',')
    .filter((engine): engine is Engine => engine === 'embedded' || engine === 'postgresql')
  const results: Figures[] = []
  for (const engine of engines) {
    const figures = await benchEngine(engine, postgresUrl, timeMs)
    results.push(figures)
    if (!parsed.values.json) print(figures, timeMs)
  }
  if (parsed.values.json) console.log(JSON.stringify(results, null, 2))
  return 0
}

process.exitCode = await main(process.argv.slice(2))
