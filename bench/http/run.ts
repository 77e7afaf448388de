import { fork } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { parseOptions } from '../../src/cli/options.ts'
import type { Config } from '../../src/config.ts'
import { machineCpu } from './cpu.ts'
import type { LoadMessage } from './load-entry.ts'
import { runLoad, type LoadResult, type LoadSpec } from './load.ts'
import { queryStats, type QueryStats } from './query-stats.ts'
import { startBareFastify, startWaymark, type Target } from './targets.ts'

/**
 * npm run bench:http [-- --seconds 30 --postgres postgres://…]
 *
 * 50 signed-in safer custody leads, each on a connection of its own with its own session, load the roll (first
 * page, a search, a later page), person pages and the four dashboards (/safer-custody, /care-plans, /measures,
 * /concerns; issue 19) of the demo estate's 1,200-person prison for 30 s (--pages roll: officers on the roll and
 * person pages alone, as measured before issue 19; --pages api: 50 other systems, each a registered client with a
 * token of its own, reading the systems API's main lists, issue 15), each asking again as soon as answered (--rate N: N pages a second each, the users out of step); beside them the reference, a
 * bare Fastify route returning a small static page, under the same load. Waymark runs in this process on
 * 127.0.0.1 as `waymark serve` builds it: embedded PGlite in a temporary data directory, and PostgreSQL in
 * a throwaway database when DATABASE_URL or --postgres is set.
 *
 * The load generator runs in a child process, on its own event loop: inline, it would queue behind the
 * server's work and add its own to the latencies. A worker thread measured the same within this machine's
 * noise; the child process keeps the server's CPU figures apart from the generator's. On the bare route the
 * generator, not Fastify, is the limit (it takes a whole core), so that row is Fastify's floor.
 *
 * With --seconds over 60 it also prints the server's resident memory a minute in and at the end (issue 19: no
 * growth over ten minutes of load, --seconds 600).
 *
 * A benchmark: it prints figures and the goal, it does not fail.
 */

const GOAL_P95_MS = 100

const USAGE = `Usage: node bench/http/run.ts [--seconds 30] [--warmup 5] [--connections 50] [--rate N] [--postgres URL]
  [--targets bare,embedded,postgresql] [--generator process|worker|inline] [--embedded-storage disk|memory]
  [--log-level silent|info|…] [--pages dashboards|roll|api, comma-separated] [--json]
  [--cpu-profile FILE.cpuprofile] [--query-stats]`

type Generator = 'process' | 'worker' | 'inline'
type Measured = {
  target: string
  load: LoadResult
  /** The share of the measured time the server's event loop was busy. */
  serverLoopBusy: number
  /** CPU used while measuring, in cores: the server's main thread, its whole process, the generator, the
   * PostgreSQL server's processes, and everything else on the machine (other people's work: it competes). */
  cpu: { serverThread: number; serverProcess: number; generator: number | null; postgres: number; other: number }
  /**
   * The server process's resident memory (MiB) a minute into measuring and at the end: a server that keeps
   * something per request grows between the two. Null where the run measured for a minute or less.
   */
  memory: { afterOneMinute: number; atEnd: number } | null
}

const loadEntry = new URL('./load-entry.ts', import.meta.url)

/** Runs the load where it was asked to, and samples the server and the machine over the measured part only. */
async function measure(
  target: Target,
  spec: LoadSpec,
  generator: Generator,
  profile?: CpuProfile,
  queries?: QueryStats,
): Promise<Measured> {
  const sample: {
    start?: {
      elu: ReturnType<typeof performance.eventLoopUtilization>
      thread: NodeJS.CpuUsage
      process: NodeJS.CpuUsage
      machine: ReturnType<typeof machineCpu>
      at: number
    }
  } = {}
  const memory: { afterOneMinute?: number } = {}
  let minute: NodeJS.Timeout | undefined
  const onPhase = (phase: 'warmup' | 'measure') => {
    if (phase === 'warmup') log(`  warming up for ${spec.warmupSeconds} s…`)
    else {
      log(`  measuring for ${spec.seconds} s…`)
      void profile?.start()
      queries?.start()
      if (spec.seconds > 60) minute = setTimeout(() => (memory.afterOneMinute = residentMiB()), 60_000)
      sample.start = {
        elu: performance.eventLoopUtilization(),
        thread: process.threadCpuUsage(),
        process: process.cpuUsage(),
        machine: machineCpu(),
        at: performance.now(),
      }
    }
  }
  const load = await generate(spec, generator, onPhase).finally(() => clearTimeout(minute))
  queries?.stop()
  await profile?.stop()
  const atEnd = residentMiB()
  const before = sample.start
  if (!before) throw new Error('The load generator never started measuring')
  const wall = (performance.now() - before.at) / 1000
  const cores = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6 / wall
  const machine = machineCpu()
  const serverProcess = cores(process.cpuUsage(before.process))
  // A worker or an inline generator is inside the server's process; a child process is apart from it.
  const generatorCpu =
    generator === 'process'
      ? load.processCpuSeconds / wall
      : generator === 'worker'
        ? load.threadCpuSeconds / wall
        : null
  const postgres = (machine.postgresSeconds - before.machine.postgresSeconds) / wall
  const busy = (machine.busySeconds - before.machine.busySeconds) / wall
  // After every sample is taken: the statements sent again alone take seconds of their own.
  if (queries)
    log(
      `${queries.report(load.responses)}\n\n${queries.reportByTime()}\n\n${await queries.reportAlone(load.responses)}`,
    )
  return {
    target: target.name,
    load,
    serverLoopBusy: performance.eventLoopUtilization(before.elu).utilization,
    cpu: {
      serverThread: cores(process.threadCpuUsage(before.thread)),
      serverProcess,
      generator: generatorCpu,
      postgres,
      other: Math.max(0, busy - serverProcess - (generator === 'process' ? (generatorCpu ?? 0) : 0) - postgres),
    },
    memory: memory.afterOneMinute === undefined ? null : { afterOneMinute: memory.afterOneMinute, atEnd },
  }
}

/**
 * Issue 19: a CPU profile of the server's main thread over the measured part only (not the demo's seeding, the
 * sign-ins or the warm-up), written where --cpu-profile says; `node bench/http/profile-summary.ts FILE` reads it.
 */
type CpuProfile = { start: () => Promise<void>; stop: () => Promise<void> }

function cpuProfileTo(file: string): CpuProfile {
  const session = new Session()
  let started: Promise<void> | undefined
  return {
    start: () =>
      (started = (async () => {
        session.connect()
        await session.post('Profiler.enable')
        await session.post('Profiler.setSamplingInterval', { interval: 500 })
        await session.post('Profiler.start')
      })()),
    stop: async () => {
      if (!started) return
      await started
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      await writeFile(file, JSON.stringify(profile))
      log(`  CPU profile of the measured part written to ${file}`)
    },
  }
}

/** The server's resident memory now, in MiB (the generator is another process unless asked otherwise). */
function residentMiB(): number {
  return process.memoryUsage.rss() / 2 ** 20
}

function generate(spec: LoadSpec, generator: Generator, onPhase: (phase: 'warmup' | 'measure') => void) {
  if (generator === 'inline') return runLoad(spec, onPhase)
  return new Promise<LoadResult>((resolve, reject) => {
    const onMessage = (message: LoadMessage) => {
      if (message.type === 'phase') onPhase(message.phase)
      else if (message.type === 'result') resolve(message.result)
      else reject(new Error(`The load generator failed: ${message.message}`))
    }
    if (generator === 'worker') {
      const worker = new Worker(loadEntry, { workerData: spec })
      worker.on('message', onMessage)
      worker.once('error', reject)
      worker.once('exit', (code) => code !== 0 && reject(new Error(`The load worker exited with ${code}`)))
    } else {
      const child = fork(fileURLToPath(loadEntry), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      child.on('message', (message) => onMessage(message as LoadMessage))
      child.once('error', reject)
      child.once('exit', (code) => code !== 0 && reject(new Error(`The load process exited with ${code}`)))
      child.send(spec)
    }
  })
}

function log(line: string) {
  process.stderr.write(`${line}\n`)
}

function table(headings: string[], rows: string[][], alignLeft = 1): string {
  const widths = headings.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column].length)))
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column < alignLeft ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`
  return [
    line(headings),
    `|${widths.map((width, column) => (column < alignLeft ? ':' : '-') + '-'.repeat(width) + (column < alignLeft ? '-' : ':')).join('|')}|`,
    ...rows.map(line),
  ].join('\n')
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0))
const count = (value: number) => Math.round(value).toLocaleString('en-GB')
const percent = (value: number) => `${Math.round(value * 100)}%`

function report(
  results: Measured[],
  options: { seconds: number; connections: number; rate: number | undefined; generator: Generator },
) {
  const bare = results.find((result) => result.target === 'bare Fastify')
  const rows = results.map(({ target, load }) => [
    target,
    count(load.requestsPerSecond),
    ms(load.p50),
    ms(load.p95),
    ms(load.p99),
    count(load.errors),
    count(load.non2xx),
    bare ? `${((load.requestsPerSecond / bare.load.requestsPerSecond) * 100).toFixed(1)}%` : '–',
    bare ? `${(load.p95 / bare.load.p95).toFixed(1)}×` : '–',
  ])
  const lines = [
    '',
    `${options.connections} connections for ${options.seconds} s each, ` +
      (options.rate
        ? `each asking for ${options.rate === 1 ? 'a page a second' : `${options.rate} pages a second`}, the users out of step, `
        : 'each asking again as soon as answered, ') +
      `load generator: ${options.generator}, all on 127.0.0.1 ` +
      `(${navigator.hardwareConcurrency} cores shared by server and generator). Latency in ms.`,
    '',
    table(['target', 'req/s', 'p50', 'p95', 'p99', 'errors', 'non-2xx', 'req/s vs bare', 'p95 vs bare'], rows),
    '',
    `Where the CPU went while measuring, in cores (of ${navigator.hardwareConcurrency}):`,
    '',
    table(
      ['target', 'server loop busy', 'server thread', 'server process', 'generator', 'PostgreSQL', 'other processes'],
      results.map(({ target, serverLoopBusy, cpu }) => [
        target,
        percent(serverLoopBusy),
        cpu.serverThread.toFixed(2),
        cpu.serverProcess.toFixed(2),
        cpu.generator === null ? 'in server thread' : cpu.generator.toFixed(2),
        cpu.postgres.toFixed(2),
        cpu.other.toFixed(2),
      ]),
    ),
  ]
  for (const { target, load } of results.filter((result) => Object.keys(result.load.byKind).length > 1)) {
    lines.push(
      '',
      `${target}, by page:`,
      '',
      table(
        ['page', 'responses', 'p50', 'p95', 'p99', 'max', 'non-2xx'],
        Object.entries(load.byKind).map(([kind, summary]) => [
          kind,
          count(summary.responses),
          ms(summary.p50),
          ms(summary.p95),
          ms(summary.p99),
          ms(summary.max),
          count(summary.non2xx),
        ]),
      ),
    )
  }
  lines.push(
    '',
    'Measuring began once every connection had its first answer (a busy server accepts new connections slowly):',
    ...results.map(
      ({ target, load }) =>
        `  ${target}: ${load.allAnsweredAfter === null ? 'not every connection was answered within a minute' : `all answered ${load.allAnsweredAfter.toFixed(1)} s after opening`}`,
    ),
  )
  const disturbed = results.filter((result) => result.cpu.other > 0.2)
  if (disturbed.length)
    lines.push(
      '',
      `Warning: other processes on this machine used ${disturbed.map((result) => `${result.cpu.other.toFixed(1)} cores during ${result.target}`).join(', ')}; ` +
        'they competed for the cores, so those figures understate what Waymark does on a quiet machine.',
    )
  lines.push('', `Memory goal: the server's resident memory at the end within 10% of a minute in (run --seconds 600):`)
  for (const { target, memory } of results.filter((result) => result.target !== 'bare Fastify'))
    lines.push(
      memory
        ? `  ${target}: ${memory.afterOneMinute.toFixed(0)} MiB after a minute, ${memory.atEnd.toFixed(0)} MiB at the end ` +
            `(${((memory.atEnd / memory.afterOneMinute - 1) * 100).toFixed(1)}%): ${memory.atEnd <= memory.afterOneMinute * 1.1 ? 'met' : 'missed'}`
        : `  ${target}: not measured (the run measured for a minute or less)`,
    )
  lines.push('', `Goal: p95 under ${GOAL_P95_MS} ms with zero errors and zero non-2xx, embedded and on PostgreSQL.`)
  for (const { target, load } of results.filter((result) => result.target !== 'bare Fastify')) {
    const misses = [
      load.p95 >= GOAL_P95_MS ? `p95 ${ms(load.p95)} ms` : '',
      load.errors ? `${load.errors} errors` : '',
      load.non2xx
        ? `${load.non2xx} non-2xx (${Object.entries(load.statuses)
            .filter(([status]) => !status.startsWith('2'))
            .map(([status, n]) => `${n} × ${status}`)
            .join(', ')})`
        : '',
    ].filter(Boolean)
    lines.push(`  ${target}: ${misses.length ? `missed: ${misses.join(', ')}` : 'met'}`)
  }
  return lines.join('\n')
}

async function main(args: string[]): Promise<number> {
  const parsed = parseOptions(args, {
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string' },
    postgres: { type: 'string' },
    targets: { type: 'string' },
    generator: { type: 'string', default: 'process' },
    'embedded-storage': { type: 'string', default: 'disk' },
    'log-level': { type: 'string', default: 'silent' },
    pages: { type: 'string', default: 'dashboards' },
    json: { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
    'query-stats': { type: 'boolean', default: false },
  })
  if (!parsed.ok) {
    console.error(`${parsed.message}\n${USAGE}`)
    return 2
  }
  const values = parsed.values
  const seconds = Number(values.seconds)
  const warmupSeconds = Number(values.warmup)
  const connections = Number(values.connections)
  const rate = values.rate === undefined ? undefined : Number(values.rate)
  const generator = values.generator as Generator
  const storage = values['embedded-storage'] as 'disk' | 'memory'
  const logLevel = values['log-level'] as Config['logLevel']
  // Several mixes are measured one after the other on each target: `--pages api,dashboards` puts the API's
  // figures beside the pages' (npm run bench:api).
  const mixes = (values.pages ?? 'dashboards').split(',') as ('dashboards' | 'roll' | 'api')[]
  const postgresUrl = values.postgres ?? process.env.DATABASE_URL
  const targets = (values.targets ?? `bare,embedded${postgresUrl ? ',postgresql' : ''}`).split(',')
  const problems = [
    !(Number.isInteger(seconds) && seconds >= 1) && '--seconds must be a whole number of seconds, 1 or more',
    !(Number.isInteger(warmupSeconds) && warmupSeconds >= 0) && '--warmup must be a whole number of seconds',
    !(Number.isInteger(connections) && connections >= 1 && connections <= 500) && '--connections must be 1 to 500',
    rate !== undefined && !(Number.isInteger(rate) && rate >= 1) && '--rate must be a whole number of requests/s',
    !['process', 'worker', 'inline'].includes(generator) && '--generator must be process, worker or inline',
    !['disk', 'memory'].includes(storage) && '--embedded-storage must be disk or memory',
    mixes.some((mix) => !['dashboards', 'roll', 'api'].includes(mix)) &&
      '--pages is a comma-separated list of dashboards, roll and api',
    !['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel) && '--log-level is not a level',
    targets.some((target) => !['bare', 'embedded', 'postgresql'].includes(target)) &&
      '--targets is a comma-separated list of bare, embedded and postgresql',
    targets.includes('postgresql') && !postgresUrl && 'postgresql needs DATABASE_URL or --postgres URL',
  ].filter((problem): problem is string => typeof problem === 'string')
  if (problems.length) {
    console.error(`${problems.join('\n')}\n${USAGE}`)
    return 2
  }

  const results: Measured[] = []
  for (const kind of targets)
    for (const pages of kind === 'bare' ? (['dashboards'] as const) : mixes) {
      log(`${kind}${kind === 'bare' ? '' : `, ${pages}`}:`)
      const queries = values['query-stats'] && kind !== 'bare' ? queryStats() : undefined
      const target =
        kind === 'bare'
          ? await startBareFastify()
          : await startWaymark({
              engine: kind === 'embedded' ? 'embedded' : 'postgresql',
              postgresUrl,
              embeddedStorage: storage,
              users: connections,
              pages,
              logLevel,
              log,
              queryStats: queries,
            })
      // A signal mid-run still drops the throwaway database and the temporary directory.
      const onSignal = () => void target.close().finally(() => process.exit(130))
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      try {
        const spec: LoadSpec = {
          url: target.url,
          connections,
          warmupSeconds,
          seconds,
          rate,
          cookies: target.cookies,
          headers: target.headers,
          steps: target.steps,
          seed: 1,
        }
        const profileFile = values['cpu-profile']
        // One profile per measured target and mix: the first keeps the name given, the others are numbered.
        const profile = profileFile
          ? cpuProfileTo(
              results.length ? profileFile.replace(/(\.cpuprofile)?$/, `-${results.length + 1}$1`) : profileFile,
            )
          : undefined
        results.push(await measure(target, spec, generator, profile, queries))
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        await target.close()
      }
    }
  console.log(report(results, { seconds, connections, rate, generator }))
  if (values.json) console.log(JSON.stringify(results, null, 2))
  return 0
}

process.exitCode = await main(process.argv.slice(2))
