import { hostname } from 'node:os'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Clock } from './clock.ts'

/** Does one job. Throwing fails the attempt; the job is tried again later until its attempts run out. */
export type JobHandler = (payload: unknown, context: { jobId: number; attempt: number }) => Promise<void>
export type JobHandlers = Record<string, JobHandler>

/**
 * A periodic check (overdue observations, unacted concerns). It runs once a period across all processes,
 * but a period can be missed or, after a crash, run late: write `run` so that it finds its work afresh each
 * time and marks what it has done in the same transaction, never relying on the last run's time.
 */
export type Sweep = { name: string; everySeconds: number; run: (now: Date) => Promise<void> }

export type Jobs = ReturnType<typeof createJobs>

/**
 * A claimed job is its worker's for this long after the worker last renewed it. A job not renewed in that
 * time belongs to a process that died (killed, or stopped by a crash) and goes back on the queue, so a
 * dead worker's job is taken up again within a minute, not left "running".
 */
export const LEASE_SECONDS = 30
/** A live worker renews the lease of the job it works this often, so a long job is never taken from it. */
const HEARTBEAT_MS = 10_000
const KEEP_FINISHED_DAYS = 7
const DIED_ERROR = 'Stopped: the process working on it ended before it finished, on its last attempt'

export function createJobs({ db, clock, heartbeatMs = HEARTBEAT_MS }: { db: Db; clock: Clock; heartbeatMs?: number }) {
  /** Claims due jobs for one worker. SKIP LOCKED lets other workers claim others at the same moment. */
  async function claim(workerId: string, queues: string[], limit: number) {
    if (queues.length === 0) return []
    const now = clock.now()
    const staleBefore = new Date(now.getTime() - LEASE_SECONDS * 1000)
    // A job whose process died on its last attempt is given up, not taken back: a job that ends the process
    // working it (out of memory, say) would otherwise end one process after another, every lease.
    await db
      .updateTable('job')
      .set({ state: 'failed', finished_at: now, locked_by: null, last_error: DIED_ERROR })
      .where('queue', 'in', queues)
      .where('state', '=', 'running')
      .where('locked_at', '<', staleBefore)
      .whereRef('attempts', '>=', 'max_attempts')
      .execute()
    const result = await sql<{ id: number; queue: string; payload: unknown; attempts: number; max_attempts: number }>`
      update job set state = 'running', locked_by = ${workerId}, locked_at = ${now}, attempts = attempts + 1
      where id in (
        select id from job
        where queue = any(${queues}::text[])
          and ((state = 'waiting' and run_at <= ${now})
            or (state = 'running' and locked_at < ${staleBefore} and attempts < max_attempts))
        order by run_at, id
        limit ${limit}
        for update skip locked
      )
      returning id, queue, payload, attempts, max_attempts`.execute(db)
    return result.rows
  }

  /**
   * Keeps the job its worker's while the handler runs; nothing if another worker has it by now. Beats go
   * out on a pool of connections, so an earlier one can land after a later one: the lease only ever moves
   * forward, or a late beat would shorten it and hand a live worker's job to another.
   */
  async function renewLease(jobId: number, workerId: string) {
    await db
      .updateTable('job')
      .set({ locked_at: sql<Date>`greatest(locked_at, ${clock.now()})` })
      .where('id', '=', jobId)
      .where('locked_by', '=', workerId)
      .where('state', '=', 'running')
      .execute()
  }

  const jobs = {
    renewLease,

    /**
     * Puts a job on the queue in the caller's transaction, so it exists only if the change that asked for it
     * commits. With a `singletonKey`, a job already waiting or running under that key makes this a no-op;
     * with `oncePerRunAt`, so does a job of the queue for the same time in any state, finished ones included.
     * Returns the new job's id, or undefined when the key or the time was taken.
     */
    async enqueue(
      trx: Db,
      queue: string,
      payload: Record<string, unknown> = {},
      options: { runAt?: Date; singletonKey?: string; maxAttempts?: number; oncePerRunAt?: boolean } = {},
    ): Promise<number | undefined> {
      const runAt = options.runAt ?? clock.now()
      const runAtFree = options.oncePerRunAt
        ? sql`not exists (select 1 from job where queue = ${queue} and run_at = ${runAt})`
        : sql`true`
      const inserted = await sql<{ id: number }>`
        insert into job (queue, payload, run_at, singleton_key, max_attempts, created_at)
        select ${queue}, ${JSON.stringify(payload)}::jsonb, ${runAt},
          ${options.singletonKey ?? null}, ${options.maxAttempts ?? 3}, ${clock.now()}
        where ${runAtFree}
        on conflict (singleton_key) where state in ('waiting', 'running') do nothing
        returning id`.execute(trx)
      return inserted.rows[0]?.id
    },

    /**
     * Works due jobs one at a time until none is left or `limit` have run. Returns how many ran. A handler's
     * error is kept as its name and message only: messages from our code name ids, never people.
     */
    async work(
      workerId: string,
      handlers: JobHandlers,
      limit = 50,
      onGaveUp: (failure: JobGaveUp) => void = () => {},
    ): Promise<number> {
      let done = 0
      while (done < limit) {
        const [job] = await claim(workerId, Object.keys(handlers), 1)
        if (!job) break
        done += 1
        // A renewal that fails (the database briefly gone) is tried again at the next beat; the lease is
        // three beats long, so one missed beat does not give the job away.
        const heartbeat = setInterval(() => void renewLease(job.id, workerId).catch(() => {}), heartbeatMs)
        try {
          await handlers[job.queue](job.payload, { jobId: job.id, attempt: job.attempts })
          await finishJob(db, clock.now(), job.id, workerId)
        } catch (error) {
          const lastError = await failAttempt(db, clock.now(), job, workerId, error)
          if (lastError !== null) onGaveUp(new JobGaveUp(job.queue, job.id, job.attempts, lastError))
        } finally {
          clearInterval(heartbeat)
        }
      }
      return done
    },

    /**
     * Enqueues each sweep for the start of its next period. Every process calls this; the singleton key
     * keeps one waiting, and a period that already has a job in any state is not enqueued again: a process
     * that worked the period out and then waited for a connection would otherwise enqueue, after another
     * process had run it, a period that is already over, and the sweep would run twice in it.
     */
    async scheduleSweeps(sweeps: readonly Sweep[]): Promise<void> {
      const now = clock.now().getTime()
      for (const sweep of sweeps) {
        const period = sweep.everySeconds * 1000
        const runAt = new Date(Math.ceil(now / period) * period)
        const queue = sweepQueue(sweep)
        await jobs.enqueue(db, queue, {}, { runAt, singletonKey: queue, maxAttempts: 1, oncePerRunAt: true })
      }
    },

    /** Finished jobs are kept a week for whoever looks into a problem, then dropped. */
    async forgetFinished(): Promise<number> {
      const before = new Date(clock.now().getTime() - KEEP_FINISHED_DAYS * 86_400_000)
      const result = await db
        .deleteFrom('job')
        .where('state', 'in', ['done', 'failed'])
        .where('finished_at', '<', before)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    /** What is waiting, running and failed per queue: for the health page and for tests. */
    async counts() {
      return db
        .selectFrom('job')
        .select(['queue', 'state', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy(['queue', 'state'])
        .orderBy('queue')
        .orderBy('state')
        .execute()
    },
  }
  return jobs
}

/** The job ran: done, and no longer its worker's. */
async function finishJob(db: Db, now: Date, jobId: number, workerId: string) {
  await db
    .updateTable('job')
    .set({ state: 'done', finished_at: now, locked_by: null, last_error: null })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .execute()
}

/**
 * A job that failed its last attempt: nothing will run it again, so whoever runs the worker must hear of it (an
 * event's listener that gave up has left an area without the change it was told of). Ids only, as the job's error.
 */
export class JobGaveUp extends Error {
  constructor(queue: string, jobId: number, attempts: number, lastError: string) {
    super(`Job ${jobId} on ${queue} failed its last attempt (${attempts}) and will not run again: ${lastError}`)
    this.name = 'JobGaveUp'
  }
}

/**
 * The job failed: tried again later, each time after a longer wait, until its attempts run out. Returns the error
 * as kept when that was its last attempt, else null.
 */
async function failAttempt(
  db: Db,
  now: Date,
  job: { id: number; attempts: number; max_attempts: number },
  workerId: string,
  error: unknown,
) {
  const lastError = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'failed'
  const retry = job.attempts < job.max_attempts
  await db
    .updateTable('job')
    .set({
      state: retry ? 'waiting' : 'failed',
      run_at: new Date(now.getTime() + job.attempts * job.attempts * 15_000),
      finished_at: retry ? null : now,
      locked_by: null,
      last_error: lastError,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute()
  return retry ? null : lastError
}

function sweepQueue(sweep: Sweep): string {
  return `sweep:${sweep.name}`
}

/** The handlers that run each sweep, keyed by its queue. */
export function sweepHandlers(sweeps: readonly Sweep[], clock: Clock): JobHandlers {
  return Object.fromEntries(sweeps.map((sweep) => [sweepQueue(sweep), () => sweep.run(clock.now())]))
}

export type Worker = { stop: () => Promise<void>; tick: () => Promise<number> }

/**
 * Works the queue in this process: every `pollMs` it schedules the sweeps and runs whatever is due. One
 * tick at a time; `stop` waits for the current one to finish so no job is left half done by a shutdown.
 */
export function startWorker({
  jobs,
  handlers,
  sweeps,
  clock,
  pollMs = 2000,
  workerId = `${hostname()}:${process.pid}`,
  onError,
}: {
  jobs: Jobs
  handlers: JobHandlers
  sweeps: readonly Sweep[]
  clock: Clock
  pollMs?: number
  workerId?: string
  onError: (error: unknown) => void
}): Worker {
  const allSweeps: Sweep[] = [
    ...sweeps,
    { name: 'platform:forget-finished-jobs', everySeconds: 3600, run: async () => void (await jobs.forgetFinished()) },
  ]
  const allHandlers: JobHandlers = { ...handlers, ...sweepHandlers(allSweeps, clock) }
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let current: Promise<number> = Promise.resolve(0)

  async function tick(): Promise<number> {
    await jobs.scheduleSweeps(allSweeps)
    return jobs.work(workerId, allHandlers, undefined, onError)
  }
  function loop() {
    if (stopped) return
    current = tick().catch((error: unknown) => {
      onError(error)
      return 0
    })
    void current.then(() => {
      if (!stopped) timer = setTimeout(loop, pollMs)
    })
  }
  loop()
  return {
    tick,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await current
    },
  }
}
