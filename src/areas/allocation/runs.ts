/** R5: allocation runs: started by a manager, built and solved by the server's worker, watched while they run. */
import { readCountedPage, type Page, type PageAsked } from '../../platform/pagination.ts'
import type { AllocationRunState } from '../../db/schema.ts'
import type { JobHandlers } from '../../platform/jobs.ts'
import type { Actor } from '../../platform/permissions.ts'
import { currentTimetable, solverFigures, verdictOf, type RunResult } from './rules.ts'
import { solveInWorker } from '../../allocator/solve-in-worker.ts'
import * as store from './store.ts'
import type { Outcome } from '../../platform/forms.ts'
import { DEFAULT_TIME_BUDGET_MS, problemFor, RUN_QUEUE, RUN_STOPPED_ERROR, type AllocationDeps } from './deps.ts'
import { reviewOf } from './review.ts'

/** How many runs the runs page lists to a page. */
const RUNS_PAGE_SIZE = 20
const underWay: readonly AllocationRunState[] = ['waiting', 'building', 'solving']

/**
 * R5: builds the problem, solves it in a worker thread within the run's budget and keeps the proposal. The
 * service hands it out too, for the demo and the benchmark: the same work as a job, without waiting for a worker.
 */
export async function runAllocation(deps: AllocationDeps, runId: string): Promise<void> {
  const { db, clock, notifications } = deps
  const run = await store.findRun(db, runId)
  if (!run || !underWay.includes(run.state)) return
  if (run.state !== 'waiting') {
    // Its job came back to the queue: the worker that took it up stopped renewing it (its process was
    // killed or crashed) while building or solving. Failing the run lets the manager start another at once;
    // solving it again could end this process the same way.
    await store.moveRun(db, runId, ['building', 'solving'], 'failed', {
      finishedAt: clock.now(),
      error: RUN_STOPPED_ERROR,
    })
    return
  }
  try {
    await store.moveRun(db, runId, underWay, 'building')
    const problem = await problemFor(deps, run.establishmentCode)
    await store.moveRun(db, runId, ['building'], 'solving', {
      problem: JSON.stringify(problem),
      solvingStartedAt: clock.now(),
    })
    const { timetable, stats } = await solveInWorker(problem, { timeMs: run.timeBudgetMs, seed: 1 })
    const result: RunResult = {
      proposal: verdictOf(problem, timetable),
      today: verdictOf(problem, currentTimetable(problem)),
      solver: solverFigures(stats),
    }
    await db.transaction().execute(async (trx) => {
      const moved = await store.moveRun(trx, runId, ['solving'], 'proposed', {
        timetable: JSON.stringify(timetable),
        result: JSON.stringify(result),
        finishedAt: clock.now(),
      })
      if (moved && run.requestedBy)
        await notifications.notify(trx, {
          recipientIds: [run.requestedBy],
          establishmentCode: run.establishmentCode,
          kind: 'allocation.run-finished',
          messageKey: 'allocation.notification.finished',
          href: `/allocation/runs/${runId}`,
        })
    })
  } catch (error) {
    await store.moveRun(db, runId, underWay, 'failed', {
      finishedAt: clock.now(),
      error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'failed',
    })
  }
}

/** The job handlers the server's worker runs: one allocation run per job. */
export function jobHandlers(deps: AllocationDeps): JobHandlers {
  return {
    [RUN_QUEUE]: async (payload) => {
      const { runId } = payload as { runId: string }
      await runAllocation(deps, runId)
    },
  }
}

/** R5: starts a run for the user's prison, unless one is under way there. Audited. */
export async function startRun(
  deps: AllocationDeps,
  actor: Actor,
  options: { timeBudgetMs?: number } = {},
): Promise<Outcome<{ runId: string }>> {
  const { db, clock, audit, jobs } = deps
  return db.transaction().execute(async (trx) => {
    const running = await store.runUnderWay(trx, actor.establishmentCode)
    if (running) return { field: 'start', messageKey: 'allocation.start.error.underWay', values: {} }
    const runId = await store.insertRun(trx, {
      establishmentCode: actor.establishmentCode,
      source: 'solver',
      state: 'waiting',
      timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
      requestedAt: clock.now(),
      requestedBy: actor.id,
    })
    await jobs.enqueue(trx, RUN_QUEUE, { runId }, { maxAttempts: 2 })
    await audit.record(trx, actor, { action: 'allocation-run.started', details: { runId } })
    return { runId }
  })
}

/**
 * The runs page: the runs at the user's prison, the latest first, 20 to a page (the latest 20 were all it showed,
 * and an older accepted run could not be opened), and the one under way, if any, whatever the page.
 */
export async function listRuns({ db }: AllocationDeps, actor: Actor, { page: asked }: PageAsked = {}) {
  const read = (page: Page) => store.listRuns(db, actor.establishmentCode, page)
  const [{ rows, total, page, pageCount }, running] = await Promise.all([
    readCountedPage(read, asked, RUNS_PAGE_SIZE),
    store.runUnderWay(db, actor.establishmentCode),
  ])
  return { runs: rows, underWay: running ?? null, total, page, pageCount }
}

/** R5: a run's progress while it runs, and the review of its proposal when it has one. */
export async function viewRun(deps: AllocationDeps, actor: Actor, runId: string) {
  const { clock } = deps
  const { run, review } = await reviewOf(deps, actor, runId)
  const now = clock.now().getTime()
  const progress =
    run.state === 'solving' && run.solvingStartedAt
      ? Math.min(99, Math.floor((100 * (now - run.solvingStartedAt.getTime())) / run.timeBudgetMs))
      : run.state === 'waiting' || run.state === 'building'
        ? 0
        : 100
  return {
    run,
    progress,
    isUnderWay: underWay.includes(run.state),
    stoppedBeforeFinishing: run.state === 'failed' && run.error === RUN_STOPPED_ERROR,
    review,
  }
}
