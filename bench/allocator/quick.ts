import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { checkTimetable, solve } from '../../src/allocator/index.ts'
import type { Timetable } from '../../src/allocator/index.ts'
import { generatePrison, nextWeek } from './generate.ts'
import { cbcMip, lpBound } from './lp.ts'

/**
 * A quick loop for tuning the solver: objective against cached references (LP bound and CBC's best),
 * the solver's own work counters and churn, without re-solving the references on every run.
 *   node bench/allocator/quick.ts --sizes 300,1500 --seeds 1,2 [--refs] [--cbc-seconds 60]
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '60,100,300,1500' },
    seeds: { type: 'string', default: '1,2' },
    'time-ms': { type: 'string', default: '1000' },
    refs: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'cpu-clock': { type: 'boolean', default: false },
    'pricing-rounds': { type: 'string' },
    slack: { type: 'string' },
    'cbc-seconds': { type: 'string', default: '60' },
    'no-churn': { type: 'boolean', default: false },
    /** The solver's own seeds: each problem is solved once per seed (the search's luck, averaged). */
    'solver-seeds': { type: 'string', default: '1' },
    cache: { type: 'string', default: '/tmp/waymark-allocator-refs.json' },
  },
})
type Refs = Record<string, { lp?: number; cbc?: number; cbcOptimal?: boolean; cbcSeconds?: number }>
const refs: Refs = existsSync(values.cache) ? (JSON.parse(readFileSync(values.cache, 'utf8')) as Refs) : {}

function churn(previous: Timetable, next: Timetable): number {
  const kept = new Set(next.assignments.map(({ person, group }) => `${person}\n${group}`))
  const dropped = previous.assignments.filter(({ person, group }) => !kept.has(`${person}\n${group}`)).length
  return previous.assignments.length === 0 ? 0 : dropped / previous.assignments.length
}

const timeMs = Number(values['time-ms'])
const slack = values.slack === undefined ? undefined : Number(values.slack)
const pricingRounds = values['pricing-rounds'] === undefined ? undefined : Number(values['pricing-rounds'])
/** On a loaded machine, a budget of this process's CPU time compares work done rather than luck. */
const clock = values['cpu-clock']
  ? () => {
      const { user, system } = process.cpuUsage()
      return (user + system) / 1000
    }
  : undefined
const shares: number[] = []
for (const people of values.sizes.split(',').map(Number))
  for (const seed of values.seeds.split(',').map(Number))
    for (const solverSeed of values['solver-seeds'].split(',').map(Number)) {
      const key = `${people}/${seed}`
      const label = solverSeed === 1 ? key : `${key}#${solverSeed}`
      const problem = generatePrison({ people, seed })
      const ref = (refs[key] ??= {})
      if (values.refs) {
        if (ref.lp === undefined) ref.lp = (await lpBound(problem)).objective
        const cbcSeconds = Number(values['cbc-seconds'])
        if (cbcSeconds > 0 && (ref.cbc === undefined || (!ref.cbcOptimal && (ref.cbcSeconds ?? 0) < cbcSeconds))) {
          const result = await cbcMip(problem, cbcSeconds)
          if (Number.isFinite(result.objective) && !(result.objective < (ref.cbc ?? -Infinity))) {
            ref.cbc = result.objective
            ref.cbcOptimal = result.optimal
          }
          ref.cbcSeconds = cbcSeconds
        }
        writeFileSync(values.cache, JSON.stringify(refs, null, 1))
      }
      const maxRounds = values.rounds === undefined ? undefined : Number(values.rounds)
      const cpu = process.cpuUsage()
      const { timetable, stats } = solve(problem, { timeMs, seed: solverSeed, maxRounds, clock, pricingRounds, slack })
      const cpuMs = Math.round((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000)
      const check = checkTimetable(problem, timetable)
      let churnText = ''
      if (!values['no-churn']) {
        const following = nextWeek(problem, timetable.assignments, seed)
        const next = solve(following, { timeMs, seed: solverSeed, maxRounds, clock, pricingRounds, slack })
        const nextCheck = checkTimetable(following, next.timetable)
        churnText = ` churn ${(100 * churn(timetable, next.timetable)).toFixed(2)}%${nextCheck.valid ? '' : ' NEXT INVALID'}`
      }
      if (ref.lp !== undefined) shares.push(check.score.total / ref.lp)
      const pct = (whole: number | undefined, part = check.score.total) =>
        whole === undefined ? '-' : `${((100 * part) / whole).toFixed(2)}%`
      console.log(
        `${label.padEnd(10)} ${check.score.total.toFixed(1).padStart(9)} ${check.valid ? 'valid' : 'INVALID'} LP ${pct(ref.lp)} CBC${ref.cbcOptimal ? '*' : ''} ${pct(ref.cbc)}` +
          ` | of bound ${pct(stats.upperBound)}, bound/LP ${pct(ref.lp, stats.upperBound)} (${stats.boundMs} ms)` +
          ` | ${stats.elapsedMs} ms (cpu ${cpuMs}) by ${stats.stoppedBy}, built ${stats.constructed.toFixed(1)}, local ${stats.afterLocalSearch.toFixed(1)}, rounds ${stats.rounds} (${stats.improvingRounds} up)${churnText}`,
      )
    }
console.log(`mean share of LP ${((100 * shares.reduce((a, b) => a + b, 0)) / Math.max(1, shares.length)).toFixed(3)}%`)
