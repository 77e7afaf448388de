/**
 * `npx node bench/demo/run.ts [--people 120]` (DEMO_PROFILE=40 adds the 40 slowest statements): builds the demo
 * estate in an in-memory PGlite (from the migrated copy the tests load) and reports each step of
 * `seedDemoEstate`: its elapsed and CPU time and the statements it sent. Without `--people`, the full estate
 * `npm start` builds. To check that a faster build seeds the same rows, see fingerprint.ts beside it.
 */
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { openPGlite, pgliteParsers } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { queryCounter } from '../../src/db/query-counter.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'
import { migratedTemplate } from '../../test/support/database.ts'
import { statementTimer } from '../http/query-stats.ts'

const { values } = parseArgs({
  options: {
    people: { type: 'string' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string', default: '2026-11-25' },
  },
})

const pglite = await PGlite.create({ loadDataDir: await migratedTemplate(), parsers: pgliteParsers })
const handle = openPGlite(pglite)
const profile = new Map<string, { n: number; ms: number }>()
let currentStep = 'before'
// Since 6db7f96 the statements reach PGlite through its protocol (not `query` or `exec`), so they are timed as
// Kysely hands them on. Where a step sends several at once, each waits behind the others in the driver's queue,
// so their sum is more than the database's share.
const timing = statementTimer((compiled, milliseconds) => {
  const key = `after ${currentStep} | ${compiled.sql.replace(/\s+/g, ' ').slice(0, 110)}`
  const entry = profile.get(key) ?? { n: 0, ms: 0 }
  entry.n += 1
  entry.ms += milliseconds
  profile.set(key, entry)
})
await migrateToLatest(handle.db)
const { counted, plugin } = queryCounter()

const rows: { step: string; ms: number; cpuMs: number; statements: number }[] = []
const started = performance.now()
const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
const cpuStarted = cpuMs()
let last = { at: started, cpu: cpuStarted, statements: 0 }
const seeded = process.env.DEMO_PROFILE ? handle.db.withPlugin(plugin).withPlugin(timing) : handle.db.withPlugin(plugin)
await seedDemoEstate(seeded, {
  seed: Number(values.seed),
  today: values.today,
  peopleAtFirst: values.people === undefined ? undefined : Number(values.people),
  environment: 'development',
  afterStep: (step) => {
    const at = performance.now()
    const cpu = cpuMs()
    rows.push({ step, ms: at - last.at, cpuMs: cpu - last.cpu, statements: counted.queries - last.statements })
    last = { at, cpu, statements: counted.queries }
    currentStep = step
  },
})
const total = { ms: performance.now() - started, cpuMs: cpuMs() - cpuStarted }
// CPU time as well as elapsed: PGlite runs in this process, so on a shared machine its CPU time moves less.
console.log(
  `demo estate, ${values.people ?? 'full'} people at first; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
// Each step beside the whole build, its reference: the step to make faster next is the largest share.
console.log(
  `${'step'.padEnd(22)} ${'elapsed'.padStart(9)} ${'cpu'.padStart(9)} ${'of the build'.padStart(12)} ${'statements'.padStart(10)}`,
)
const line = (step: string, ms: number, cpu: number, statements: number) =>
  console.log(
    `${step.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(7)} s ${(cpu / 1000).toFixed(2).padStart(7)} s ` +
      `${((cpu / total.cpuMs) * 100).toFixed(1).padStart(11)}% ${String(statements).padStart(10)}`,
  )
for (const row of rows) line(row.step, row.ms, row.cpuMs, row.statements)
line('total', total.ms, total.cpuMs, counted.queries)

if (process.env.DEMO_PROFILE) {
  const byStep = new Map<string, number>()
  for (const [key, entry] of profile) byStep.set(key.split(' | ')[0], (byStep.get(key.split(' | ')[0]) ?? 0) + entry.ms)
  for (const [step, ms] of byStep)
    console.log(`${step.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(7)} s in the database`)
}
if (process.env.DEMO_PROFILE)
  for (const [key, entry] of [...profile].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.DEMO_PROFILE)))
    console.log(`${entry.ms.toFixed(0).padStart(6)} ms ${String(entry.n).padStart(5)}x ${key}`)
await handle.close()
