/**
 * The allocator: turns a prison's regime offer and every person's assessed needs into weekly timetables.
 * A pure library: problem in, timetable out; no database, no HTTP, no clock beyond the solver's budget.
 * Formats and rules: design/ALLOCATION.md.
 *
 * @example
 * import { parseProblem, solve, checkTimetable } from '../allocator/index.ts'
 * const parsed = parseProblem(json)
 * if (parsed.ok) {
 *   const { timetable, stats } = solve(parsed.value, { timeMs: 1000, seed: 1 })
 *   const { valid, score } = checkTimetable(parsed.value, timetable)
 *   // No timetable for this problem can score more than stats.upperBound (proven: see bound.ts).
 *   const within = 1 - score.total / stats.upperBound
 * }
 */
export { DEFAULT_SLOTS, parseProblem, parseTimetable } from './problem.ts'
export type { Activity, ActivityAllocation, ActivityGroup, ParseResult, Person, Problem, Timetable } from './problem.ts'
export { checkTimetable, findViolations, ruleOfKind, scoreTimetable } from './checker.ts'
export type {
  CheckResult,
  EqualityReport,
  RuleNumber,
  Score,
  Violation,
  ViolationKind,
  ViolationValues,
} from './checker.ts'
export { solve } from './solver.ts'
export type { SolveOptions, SolveResult, SolveStats } from './solver.ts'
export { allocateFirstCome } from './baseline.ts'
export { seededRandom } from './random.ts'
export type { Random } from './random.ts'
