import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { checkTimetable, parseProblem, parseTimetable, solve } from '../allocator/index.ts'
import type { CheckResult, Problem } from '../allocator/index.ts'
// From the review rules' own module: `rules.ts` also holds the people rules, which load zod (0.1 s to start).
import { boundShown, percentBelowBound } from '../areas/allocation/rules/review.ts'

const USAGE = `Usage:
  waymark allocate --in problem.json --out timetable.json [--time-ms N] [--seed N]
  waymark allocate --check problem.json timetable.json`

/** Exit codes scripts can rely on: 0 valid, 1 invalid timetable, 2 bad input. */
const VALID = 0
const INVALID = 1
const BAD_INPUT = 2

class BadInput extends Error {}

/**
 * A file's JSON. A UTF-8 byte-order mark, as Windows editors save, is dropped (JSON.parse reads it as a bad
 * token); a UTF-16 file or bytes that are not UTF-8 are named as such rather than as bad JSON.
 */
async function readJson(path: string, what: string): Promise<unknown> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch {
    throw new BadInput(`Cannot read the ${what} file ${path}`)
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new BadInput(`The ${what} file ${path} is UTF-16 text: save it as UTF-8 and try again`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new BadInput(`The ${what} file ${path} is not UTF-8 text: save it as UTF-8 and try again`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new BadInput(`The ${what} file ${path} is not valid JSON: ${(error as Error).message}`)
  }
}

async function readProblem(path: string): Promise<Problem> {
  const parsed = parseProblem(await readJson(path, 'problem'))
  if (!parsed.ok) throw new BadInput(`The problem file ${path} has errors:\n  ${parsed.errors.join('\n  ')}`)
  return parsed.value
}

function whole(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0) throw new BadInput(`${name} must be a whole number, not ${value}`)
  return number
}

function format(number: number): string {
  return Number.isInteger(number) ? String(number) : number.toFixed(2)
}

function report(result: CheckResult): string {
  const lines = [
    `Objective ${format(result.score.total)} (wants ${format(result.score.wants)}, continuity ${format(result.score.continuity)}, fairness ${format(result.score.fairness)})`,
    `People with no session: ${(100 * result.shareWithNoSession).toFixed(1)}%`,
    `Mean sessions by cohort: ${Object.entries(result.meanSessionsByCohort)
      .map(([cohort, mean]) => `${cohort} ${mean.toFixed(2)}`)
      .join(', ')}`,
  ]
  for (const [trait, means] of Object.entries(result.meanSessionsByTrait))
    lines.push(
      `Mean sessions by ${trait}: ${Object.entries(means)
        .map(([value, mean]) => `${value} ${mean.toFixed(2)}`)
        .join(', ')}`,
    )
  return lines.join('\n')
}

async function check(problemPath: string, timetablePath: string): Promise<number> {
  const problem = await readProblem(problemPath)
  const parsed = parseTimetable(await readJson(timetablePath, 'timetable'), problem)
  if (!parsed.ok) throw new BadInput(`The timetable file ${timetablePath} has errors:\n  ${parsed.errors.join('\n  ')}`)
  const result = checkTimetable(problem, parsed.value)
  for (const violation of result.violations) console.error(`Rule ${violation.rule}: ${violation.message}`)
  console.log(
    result.valid ? 'The timetable keeps all six rules.' : `The timetable breaks ${result.violations.length} rule(s).`,
  )
  console.log(report(result))
  return result.valid ? VALID : INVALID
}

/** How close the timetable comes to the best possible, from the bound the solver proved (issue 19). */
function boundLine(total: number, upperBound: number): string {
  const percent = percentBelowBound(total, upperBound)
  const closeness = percent === 0 ? 'The best timetable possible' : `Within ${percent}% of the best timetable possible`
  return `${closeness}: no timetable for this problem can score more than ${format(boundShown(upperBound))}`
}

async function solveToFile(problemPath: string, outPath: string, timeMs: number, seed: number): Promise<number> {
  const problem = await readProblem(problemPath)
  const { timetable, stats } = solve(problem, { timeMs, seed })
  const result = checkTimetable(problem, timetable)
  await writeFile(outPath, `${JSON.stringify(timetable, null, 2)}\n`)
  for (const violation of result.violations) console.error(`Rule ${violation.rule}: ${violation.message}`)
  // On stderr, as the review page says it: stdout's lines are a format scripts read.
  if (result.valid) console.error(boundLine(result.score.total, stats.upperBound))
  console.log(
    `Wrote ${timetable.assignments.length} allocations for ${problem.people.length} people to ${outPath} in ${stats.elapsedMs} ms`,
  )
  console.log(report(result))
  return result.valid ? VALID : INVALID
}

/**
 * `waymark allocate`: solve a problem file into a timetable file, or check and score any timetable.
 * Returns the exit code: 0 valid, 1 invalid timetable, 2 bad input (unreadable, malformed or inconsistent files,
 * or bad options).
 */
export async function allocate(args: string[]): Promise<number> {
  try {
    let parsed
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          in: { type: 'string' },
          out: { type: 'string' },
          check: { type: 'boolean' },
          'time-ms': { type: 'string' },
          seed: { type: 'string' },
          help: { type: 'boolean' },
        },
      })
    } catch (error) {
      throw new BadInput(`${(error as Error).message}\n${USAGE}`)
    }
    const { values, positionals } = parsed
    if (values.help) {
      console.log(USAGE)
      return VALID
    }
    if (values.check) {
      if (positionals.length !== 2) throw new BadInput(`--check takes a problem file and a timetable file\n${USAGE}`)
      return await check(positionals[0], positionals[1])
    }
    if (!values.in || !values.out || positionals.length > 0) throw new BadInput(USAGE)
    return await solveToFile(
      values.in,
      values.out,
      whole(values['time-ms'], '--time-ms', 1000),
      whole(values.seed, '--seed', 1),
    )
  } catch (error) {
    if (!(error instanceof BadInput)) throw error
    console.error(error.message)
    return BAD_INPUT
  }
}
