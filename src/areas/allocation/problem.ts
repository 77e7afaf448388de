/** R5, R6: the allocator's problem for a prison, out as JSON for `waymark allocate`, and a timetable solved outside in. */
import { parseTimetable } from '../../allocator/index.ts'
import type { Db } from '../../db/database.ts'
import type { Actor } from '../../platform/permissions.ts'
import {
  currentTimetable,
  verdictOf,
  violationNamed,
  type KeptViolation,
  type ProblemOverrides,
  type RunResult,
} from './rules.ts'
import * as store from './store.ts'
import { groupLabels, problemFor, type AllocationDeps } from './deps.ts'

/**
 * R5, R6: the allocator's problem (format 1) for a prison as its records stand, with a scenario's
 * changes applied. Passes the allocator's `parseProblem`. Not audited: it holds prison numbers and
 * protected characteristics, so the callers that show or export it audit that.
 */
export async function allocationProblemFor(
  deps: AllocationDeps,
  establishmentCode: string,
  overrides: ProblemOverrides = {},
  trx: Db = deps.db,
) {
  return problemFor(deps, establishmentCode, overrides, trx)
}

/** R5: a run's problem or the prison's problem now, as the JSON `waymark allocate` reads. Audited. */
export async function exportProblem(deps: AllocationDeps, actor: Actor): Promise<string> {
  const { db, audit } = deps
  const problem = await problemFor(deps, actor.establishmentCode)
  await audit.record(db, actor, {
    action: 'allocation.problem-exported',
    details: { people: problem.people.length },
  })
  return `${JSON.stringify(problem, null, 2)}\n`
}

/**
 * Why an imported timetable is refused: what is wrong with the file, in the allocator's English (its reader is
 * the file format's), or the rules it breaks, each with its kind and values for a page to word in the reader's
 * language, its groups named as the prison knows them.
 */
/** Why a timetable was refused: the first reasons of each kind, and how many there are in all. */
export type ImportRefusal = { errors: string[]; violations: KeptViolation[]; reasonCount: number }

/**
 * R5: a timetable solved outside the app, checked against the prison's problem now. A valid one becomes a
 * proposal to review and accept like any run; an invalid one is refused with its reasons (the first 50 mistakes
 * in the file, or the first 20 broken rules) and how many there are. Audited.
 */
export async function importTimetable(
  deps: AllocationDeps,
  actor: Actor,
  text: string,
): Promise<{ runId: string } | ImportRefusal> {
  const { db, clock, audit } = deps
  let json: unknown
  try {
    json = JSON.parse(text) as unknown
  } catch (error) {
    return { errors: [`The timetable is not valid JSON: ${(error as Error).message}`], violations: [], reasonCount: 1 }
  }
  const problem = await problemFor(deps, actor.establishmentCode)
  const parsed = parseTimetable(json, problem)
  if (!parsed.ok) return { errors: parsed.errors.slice(0, 50), violations: [], reasonCount: parsed.errors.length }
  const proposal = verdictOf(problem, parsed.value)
  if (!proposal.valid) {
    const label = await groupLabels(deps, actor.establishmentCode)
    return {
      errors: [],
      violations: proposal.violations.map((violation) => violationNamed(violation, label)),
      reasonCount: proposal.violationCount,
    }
  }
  const result: RunResult = { proposal, today: verdictOf(problem, currentTimetable(problem)), solver: null }
  return db.transaction().execute(async (trx) => {
    const now = clock.now()
    const runId = await store.insertRun(trx, {
      establishmentCode: actor.establishmentCode,
      source: 'import',
      state: 'proposed',
      timeBudgetMs: 100,
      requestedAt: now,
      requestedBy: actor.id,
      finishedAt: now,
      problem: JSON.stringify(problem),
      timetable: JSON.stringify(parsed.value),
      result: JSON.stringify(result),
    })
    await audit.record(trx, actor, { action: 'allocation.timetable-imported', details: { runId } })
    return { runId }
  })
}
