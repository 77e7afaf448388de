import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { allocateFirstCome, checkTimetable, solve } from '../../src/allocator/index.ts'
import type { CheckResult, Problem, Timetable } from '../../src/allocator/index.ts'
import { generatePrison, nextWeek } from './generate.ts'
import { cbcAvailable, cbcMip, highsMip, lpBound } from './lp.ts'
import type { MipResult } from './lp.ts'

/**
 * The allocator's benchmark (issue 4): our solver against the LP bound, HiGHS and CBC, and the first-come
 * baseline, on generated prisons; then the national estate, one worker thread per prison.
 *   npm run bench:allocator -- --sizes 300,1500 --seeds 1 --mip-seconds 60 --skip-national [--skip-cli] [--rounds 3000]
 * Figures in time depend on what else the machine runs: each is printed with the load average, and the
 * solver's answer after a fixed number of rounds (the same on any machine) beside them.
 */

type NationalJob = { problem: Problem; timeMs: number }
type NationalAnswer = { timetable: Timetable; solveMs: number; upperBound: number }

if (!isMainThread && workerData === 'allocation worker') {
  // A long-lived worker takes one prison at a time, as the web app's job workers will.
  parentPort!.on('message', (job: NationalJob) => {
    const started = Date.now()
    const { timetable, stats } = solve(job.problem, { timeMs: job.timeMs, seed: 1 })
    const answer: NationalAnswer = { timetable, solveMs: Date.now() - started, upperBound: stats.upperBound }
    parentPort!.postMessage(answer)
  })
} else await main()

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '60,100,300,1500,5000' },
      seeds: { type: 'string', default: '1,2,3' },
      'time-ms': { type: 'string', default: '1000' },
      'mip-seconds': { type: 'string', default: '60' },
      'skip-mip': { type: 'boolean', default: false },
      'skip-cbc': { type: 'boolean', default: false },
      'skip-national': { type: 'boolean', default: false },
      'skip-cli': { type: 'boolean', default: false },
      'national-only': { type: 'boolean', default: false },
      prisons: { type: 'string', default: '120' },
      'national-people': { type: 'string', default: '88000' },
      rounds: { type: 'string', default: '3000' },
    },
  })
  const timeMs = Number(values['time-ms'])
  const mipSeconds = Number(values['mip-seconds'])
  const withCbc = !values['skip-cbc'] && cbcAvailable()
  if (!values['skip-cbc'] && !withCbc)
    console.log('Notice: cbc is not on PATH (Debian: apt-get install coinor-cbc); CBC is skipped.')
  console.log(
    `Allocator benchmark: solver budget ${timeMs} ms, MIP limit ${values['skip-mip'] ? 'skipped' : `${mipSeconds} s`}, ${availableParallelism()} cores, ${load()}`,
  )
  if (!values['national-only'])
    for (const people of values.sizes.split(',').map(Number))
      for (const seed of values.seeds.split(',').map(Number))
        await benchInstance(people, seed, {
          timeMs,
          mipSeconds,
          withMip: !values['skip-mip'],
          withCbc,
          withCli: !values['skip-cli'],
          rounds: Number(values.rounds),
        })
  if (!values['skip-national']) await benchNational(Number(values.prisons), Number(values['national-people']), timeMs)
}

/** The machine's load average over the last minute, which the figures in time depend on. */
function load(): string {
  return `load ${loadavg()[0].toFixed(1)}`
}

function percent(part: number, whole: number | undefined): string {
  return whole === undefined || !Number.isFinite(whole) || !Number.isFinite(part) || whole === 0
    ? '-'
    : `${((100 * part) / whole).toFixed(2)}%`
}

function equality(check: CheckResult): string {
  const cohorts = Object.entries(check.meanSessionsByCohort)
    .map(([cohort, mean]) => `${cohort} ${mean.toFixed(2)}`)
    .join(', ')
  const traits = Object.entries(check.meanSessionsByTrait)
    .map(
      ([trait, means]) =>
        `${trait} ${Object.entries(means)
          .map(([value, mean]) => `${value}:${mean.toFixed(1)}`)
          .join(' ')}`,
    )
    .join('; ')
  return `no session ${(100 * check.shareWithNoSession).toFixed(1)}% | by cohort: ${cohorts}\n    by trait: ${traits}`
}

/** Share of last week's allocations that are not in this week's timetable. */
function churn(previous: Timetable, next: Timetable): number {
  const kept = new Set(next.assignments.map(({ person, group }) => `${person}\n${group}`))
  const dropped = previous.assignments.filter(({ person, group }) => !kept.has(`${person}\n${group}`)).length
  return previous.assignments.length === 0 ? 0 : dropped / previous.assignments.length
}

async function benchInstance(
  people: number,
  seed: number,
  options: {
    timeMs: number
    mipSeconds: number
    withMip: boolean
    withCbc: boolean
    withCli: boolean
    rounds: number
  },
): Promise<void> {
  const problem: Problem = generatePrison({ people, seed })
  const groups = problem.activities.reduce((sum, activity) => sum + activity.groups.length, 0)
  console.log(`\n== ${people} people, seed ${seed}: ${problem.activities.length} activities, ${groups} groups`)

  const loadAtSolve = load()
  let started = Date.now()
  const { timetable, stats } = solve(problem, { timeMs: options.timeMs, seed: 1 })
  const solveMs = Date.now() - started
  // The same answer on any machine, however busy: a round limit ends the search, not the clock (10 minutes).
  const fixed = solve(problem, { timeMs: 600_000, seed: 1, maxRounds: options.rounds })
  const fixedObjective = checkTimetable(problem, fixed.timetable).score.total
  const check = checkTimetable(problem, timetable)
  started = Date.now()
  const baselineTimetable = allocateFirstCome(problem)
  const baselineMs = Date.now() - started
  const baseline = checkTimetable(problem, baselineTimetable)

  const lp = await lpBound(problem).catch((error: Error) => ({ objective: NaN, seconds: 0, status: error.message }))
  let highs: MipResult | undefined
  let cbc: MipResult | undefined
  if (options.withMip) highs = await highsMip(problem, options.mipSeconds).catch(() => undefined)
  if (options.withCbc) cbc = await cbcMip(problem, options.mipSeconds).catch(() => undefined)
  const found = (result: MipResult | undefined) =>
    result && Number.isFinite(result.objective) ? result.objective : -Infinity
  const bestMip = Math.max(found(highs), found(cbc))
  const exact = highs?.optimal ? highs.objective : cbc?.optimal ? cbc.objective : undefined

  const following = nextWeek(problem, timetable.assignments, seed)
  const { timetable: nextTimetable } = solve(following, { timeMs: options.timeMs, seed: 1 })
  const fixedFollowing = nextWeek(problem, fixed.timetable.assignments, seed)
  const fixedNext = solve(fixedFollowing, { timeMs: 600_000, seed: 1, maxRounds: options.rounds })

  const objective = check.score.total
  console.log(
    `  ours      ${objective.toFixed(1)} in ${solveMs} ms (${check.valid ? 'valid' : 'INVALID'}; stopped by ${stats.stoppedBy}, ${stats.rounds} rounds; ${loadAtSolve})` +
      ` | LP bound ${lp.objective.toFixed(1)} (${lp.seconds.toFixed(1)} s): ${percent(objective, lp.objective)}` +
      `${people === 1500 ? ' (goal: 95.5% in 1 s)' : ''}`,
  )
  console.log(
    `  ours      ${fixedObjective.toFixed(1)} after ${fixed.stats.rounds} rounds, stopped by ${fixed.stats.stoppedBy === 'patience' ? 'rounds or patience' : 'time'} (any machine): ${percent(fixedObjective, lp.objective)} of LP`,
  )
  const mipLine = (name: string, result: MipResult | undefined) =>
    result && Number.isFinite(result.objective)
      ? `  ${name.padEnd(9)} ${result.objective.toFixed(1)} in ${result.seconds.toFixed(1)} s${result.optimal ? ' (optimal)' : ` (bound ${result.bound.toFixed(1)})`}: ${percent(result.objective, lp.objective)} of LP`
      : `  ${name.padEnd(9)} no integer solution${result ? ` in ${result.seconds.toFixed(1)} s` : ''}`
  console.log(
    `  bound     ${stats.upperBound.toFixed(1)} proven in ${stats.boundMs} ms: ours is within ${percent(stats.upperBound - objective, stats.upperBound)} of the best possible` +
      ` | its gap to the LP bound ${percent(stats.upperBound - lp.objective, lp.objective)} of LP (below 0: tighter than LP)`,
  )
  if (options.withMip) console.log(mipLine('HiGHS MIP', highs))
  if (options.withCbc) console.log(mipLine('CBC', cbc))
  console.log(
    `  ours vs   best MIP ${percent(objective, Number.isFinite(bestMip) ? bestMip : undefined)}, exact optimum ${percent(objective, exact)}` +
      `${people === 300 ? ' (goal: 100% of CBC after 10 minutes, --mip-seconds 600)' : ''}`,
  )
  console.log(
    `  baseline  ${baseline.score.total.toFixed(1)} in ${baselineMs} ms: ${percent(baseline.score.total, lp.objective)} of LP; ours is ${percent(objective - baseline.score.total, baseline.score.total)} above`,
  )
  console.log(
    `  churn     ${(100 * churn(timetable, nextTimetable)).toFixed(2)}% of allocations change after 1% of people and wants change (goal: at most 5%);` +
      ` ${(100 * churn(fixed.timetable, fixedNext.timetable)).toFixed(2)}% after ${options.rounds} rounds`,
  )
  if (options.withCli)
    console.log(
      `  waymark allocate: ${cliMs(problem, options.timeMs)} ms, the whole process (goal: under 1,500 ms; ${load()})`,
    )
  console.log(`  ours:     ${equality(check)}`)
  console.log(`  baseline: ${equality(baseline)}`)
}

/** Wall time of `waymark allocate` on the problem, from starting Node to the timetable written. */
function cliMs(problem: Problem, timeMs: number): number {
  const folder = mkdtempSync(join(tmpdir(), 'waymark-allocate-'))
  try {
    writeFileSync(join(folder, 'problem.json'), JSON.stringify(problem))
    const waymark = new URL('../../bin/waymark.js', import.meta.url).pathname
    const args = ['allocate', '--in', join(folder, 'problem.json'), '--out', join(folder, 'timetable.json')]
    const started = Date.now()
    execFileSync(process.execPath, [waymark, ...args, '--time-ms', String(timeMs)], { stdio: 'ignore' })
    return Date.now() - started
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Prison sizes from 300 to about 1,500 that add up to the estate's population. */
function prisonSizes(prisons: number, total: number): number[] {
  const raw = Array.from({ length: prisons }, (_, i) => 300 + ((i * 7919) % 1200))
  const scale = total / raw.reduce((sum, size) => sum + size, 0)
  const sizes = raw.map((size) => Math.max(60, Math.round(size * scale)))
  sizes[0] += total - sizes.reduce((sum, size) => sum + size, 0)
  return sizes
}

async function benchNational(prisons: number, total: number, timeMs: number): Promise<void> {
  const threads = Math.max(1, availableParallelism())
  const sizes = prisonSizes(prisons, total)
  // Every prison gets the same share of the minute: the estate's wall time is the sum over cores.
  const perPrisonMs = Math.max(100, Math.min(timeMs, Math.floor((54_000 * threads) / prisons) - 100))
  console.log(
    `\n== National: ${prisons} prisons, ${total} people, one prison per worker thread at a time, ${threads} threads, ${perPrisonMs} ms budget each`,
  )
  // Problems come from the database in production, so generating them is not part of the run's time.
  const problems = sizes.map((people, index) =>
    generatePrison({ people, seed: index + 1, prefix: `P${String(index).padStart(3, '0')}` }),
  )
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(import.meta.url), { workerData: 'allocation worker' }),
  )
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))))
  const started = Date.now()
  const answers: NationalAnswer[] = new Array<NationalAnswer>(problems.length)
  let next = 0
  const runOn = async (worker: Worker): Promise<void> => {
    while (next < problems.length) {
      const index = next++
      const job: NationalJob = { problem: problems[index], timeMs: perPrisonMs }
      answers[index] = await new Promise<NationalAnswer>((resolve, reject) => {
        const onError = (error: Error) => reject(error)
        worker.once('error', onError)
        worker.once('message', (answer: NationalAnswer) => {
          worker.off('error', onError)
          resolve(answer)
        })
        worker.postMessage(job)
      })
    }
  }
  await Promise.all(workers.map(runOn))
  const seconds = (Date.now() - started) / 1000
  await Promise.all(workers.map((worker) => worker.terminate()))
  const checks = answers.map((answer, index) => checkTimetable(problems[index], answer.timetable))
  const objective = checks.reduce((sum, check) => sum + check.score.total, 0)
  const baseline = problems.reduce(
    (sum, problem) => sum + checkTimetable(problem, allocateFirstCome(problem)).score.total,
    0,
  )
  const solveSeconds = answers.reduce((sum, answer) => sum + answer.solveMs, 0) / 1000
  const withNone = checks.reduce(
    (sum, check, index) => sum + check.shareWithNoSession * problems[index].people.length,
    0,
  )
  console.log(
    `  ${answers.length} prisons, ${checks.filter((check) => check.valid).length} valid, ${seconds.toFixed(1)} s wall from the first ` +
      `worker started to the last timetable back (goal: under 60 s; ${load()}; ${solveSeconds.toFixed(1)} s of solving across threads)`,
  )
  console.log(
    `  objective ${objective.toFixed(0)}; baseline ${baseline.toFixed(0)}; ours is ${percent(objective - baseline, baseline)} above; ` +
      `no session ${((100 * withNone) / total).toFixed(1)}%`,
  )
  const upperBound = answers.reduce((sum, answer) => sum + answer.upperBound, 0)
  console.log(
    `  bound     ${upperBound.toFixed(0)} over the estate: ours is within ${percent(upperBound - objective, upperBound)} of the best possible`,
  )
}
