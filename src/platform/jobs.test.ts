import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { fixedClock } from './clock.ts'
import { createJobs, startWorker, sweepHandlers, type JobHandlers, type Sweep } from './jobs.ts'

for (const engine of testEngines()) {
  describe(`the job queue on ${engine.name}`, () => {
    let database: TestDatabase
    const clock = fixedClock('2026-11-25T10:00:00Z')
    before(async () => {
      database = await engine.open()
    })
    after(async () => {
      await database.close()
    })
    // Each test starts from an empty queue; jobs are not an audit record, so they may be deleted.
    beforeEach(async () => {
      await database.db.deleteFrom('job').execute()
    })

    it('keeps a job only if the change that asked for it commits', async () => {
      const jobs = createJobs({ db: database.db, clock })
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await jobs.enqueue(trx, 'test:send', { id: 1 })
          throw new Error('the change failed')
        }),
      )
      await database.db.transaction().execute(async (trx) => jobs.enqueue(trx, 'test:send', { id: 2 }))
      const rows = await database.db.selectFrom('job').select('payload').execute()
      assert.deepEqual(
        rows.map((row) => row.payload),
        [{ id: 2 }],
      )
    })

    it('runs each job once when two workers work the queue at the same moment', async () => {
      const jobs = createJobs({ db: database.db, clock })
      for (let id = 0; id < 12; id++) await jobs.enqueue(database.db, 'test:send', { id })
      const ran: { worker: string; id: number }[] = []
      const handlersFor = (worker: string): JobHandlers => ({
        'test:send': async (payload) => {
          ran.push({ worker, id: (payload as { id: number }).id })
          await new Promise((resolve) => setTimeout(resolve, 2))
        },
      })
      const [first, second] = await Promise.all([
        jobs.work('worker-1', handlersFor('worker-1')),
        jobs.work('worker-2', handlersFor('worker-2')),
      ])
      assert.equal(first + second, 12)
      assert.deepEqual(
        ran.map((run) => run.id).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      )
      const states = await database.db.selectFrom('job').select('state').distinct().execute()
      assert.deepEqual(states, [{ state: 'done' }])
    })

    it('leaves a job for later until its time comes', async () => {
      const jobs = createJobs({ db: database.db, clock })
      await jobs.enqueue(database.db, 'test:send', {}, { runAt: new Date(clock.now().getTime() + 60_000) })
      assert.equal(await jobs.work('worker-1', { 'test:send': async () => {} }), 0)
      const later = fixedClock(new Date(clock.now().getTime() + 61_000))
      assert.equal(
        await createJobs({ db: database.db, clock: later }).work('worker-1', { 'test:send': async () => {} }),
        1,
      )
    })

    it('takes one job per singleton key while one waits, and another once it is done', async () => {
      const jobs = createJobs({ db: database.db, clock })
      assert.equal(typeof (await jobs.enqueue(database.db, 'test:send', {}, { singletonKey: 'k' })), 'number')
      assert.equal(await jobs.enqueue(database.db, 'test:send', {}, { singletonKey: 'k' }), undefined)
      await jobs.work('worker-1', { 'test:send': async () => {} })
      assert.equal(typeof (await jobs.enqueue(database.db, 'test:send', {}, { singletonKey: 'k' })), 'number')
    })

    it('tries a failing job again later, then marks it failed with the error and nothing more', async () => {
      const movable = fixedClock('2026-11-25T10:00:00Z')
      const jobs = createJobs({ db: database.db, clock: movable })
      await jobs.enqueue(database.db, 'test:send', {}, { maxAttempts: 2 })
      const failing: JobHandlers = {
        'test:send': async () => {
          throw new RangeError('group 7 is full')
        },
      }
      assert.equal(await jobs.work('worker-1', failing), 1)
      let job = await database.db.selectFrom('job').selectAll().executeTakeFirstOrThrow()
      assert.equal(job.state, 'waiting')
      assert.equal(job.last_error, 'RangeError: group 7 is full')
      assert.equal(await jobs.work('worker-1', failing), 0, 'not before its retry time')
      movable.advanceMinutes(1)
      assert.equal(await jobs.work('worker-1', failing), 1)
      job = await database.db.selectFrom('job').selectAll().executeTakeFirstOrThrow()
      assert.equal(job.state, 'failed')
      assert.equal(job.attempts, 2)
    })

    it('tells whoever runs the worker of a job that failed its last attempt, by its queue and id', async () => {
      const jobs = createJobs({ db: database.db, clock: fixedClock('2026-11-25T10:00:00Z') })
      await jobs.enqueue(database.db, 'test:listener', {}, { maxAttempts: 1 })
      const heard: unknown[] = []
      const worker = startWorker({
        jobs,
        handlers: {
          'test:listener': async () => {
            throw new RangeError('plan 7 is gone')
          },
        },
        sweeps: [],
        clock: fixedClock('2026-11-25T10:00:00Z'),
        pollMs: 60_000,
        onError: (error) => heard.push(error),
      })
      try {
        await worker.tick()
      } finally {
        await worker.stop()
      }
      const gaveUp = heard.filter((error) => error instanceof Error && error.name === 'JobGaveUp') as Error[]
      assert.equal(gaveUp.length, 1)
      assert.match(gaveUp[0].message, /on test:listener failed its last attempt \(1\) .*RangeError: plan 7 is gone$/)
    })

    it('takes back, within a minute, a job whose worker stopped renewing it because its process died', async () => {
      const movable = fixedClock('2026-11-25T10:00:00Z')
      const jobs = createJobs({ db: database.db, clock: movable })
      await jobs.enqueue(database.db, 'test:send', {})
      await database.db
        .updateTable('job')
        .set({ state: 'running', locked_by: 'dead-process', locked_at: movable.now(), attempts: 1 })
        .execute()
      assert.equal(await jobs.work('worker-1', { 'test:send': async () => {} }), 0, 'not while it may still be running')
      movable.advanceMinutes(1)
      assert.equal(await jobs.work('worker-1', { 'test:send': async () => {} }), 1)
      const job = await database.db.selectFrom('job').select(['state', 'attempts']).executeTakeFirstOrThrow()
      assert.deepEqual(job, { state: 'done', attempts: 2 })
    })

    it('gives up a job whose process died on its last attempt, so a job that ends its process is not run again', async () => {
      const movable = fixedClock('2026-11-25T10:00:00Z')
      const jobs = createJobs({ db: database.db, clock: movable })
      await jobs.enqueue(database.db, 'test:send', {}, { maxAttempts: 2 })
      await database.db
        .updateTable('job')
        .set({ state: 'running', locked_by: 'dead-process', locked_at: movable.now(), attempts: 2 })
        .execute()
      movable.advanceMinutes(1)
      const ran: string[] = []
      assert.equal(await jobs.work('worker-1', { 'test:send': async () => void ran.push('again') }), 0)
      assert.deepEqual(ran, [])
      const job = await database.db.selectFrom('job').select(['state', 'last_error']).executeTakeFirstOrThrow()
      assert.deepEqual(job, {
        state: 'failed',
        last_error: 'Stopped: the process working on it ended before it finished, on its last attempt',
      })
    })

    it('never takes a job from a live worker, however long past the lease its job runs', async () => {
      const movable = fixedClock('2026-11-25T10:00:00Z')
      const jobs = createJobs({ db: database.db, clock: movable, heartbeatMs: 5 })
      await jobs.enqueue(database.db, 'test:send', {})
      const ran: string[] = []
      const otherWorkerTook: number[] = []
      await jobs.work('worker-1', {
        'test:send': async () => {
          ran.push('worker-1')
          for (let minute = 0; minute < 12; minute++) {
            movable.advanceMinutes(1)
            // The live worker's heartbeat renews the lease to the new time before anyone else looks.
            const renewedAt = movable.now().getTime()
            // Up to 20 seconds: on a loaded machine (two test files and PostgreSQL on two cores) a 5 ms timer
            // can wait seconds, and the test is of the lease, not of the timer.
            for (let wait = 0; wait < 4000; wait++) {
              const job = await database.db.selectFrom('job').select('locked_at').executeTakeFirstOrThrow()
              if (job.locked_at && job.locked_at.getTime() >= renewedAt) break
              await new Promise((resolve) => setTimeout(resolve, 5))
            }
            otherWorkerTook.push(await jobs.work('worker-2', { 'test:send': async () => void ran.push('worker-2') }))
          }
        },
      })
      assert.deepEqual(otherWorkerTook, Array(12).fill(0))
      assert.deepEqual(ran, ['worker-1'])
    })

    it('keeps the lease where a later beat put it when an earlier beat lands after it', async () => {
      const jobs = createJobs({ db: database.db, clock: fixedClock('2026-11-25T10:02:00Z') })
      // The beat sent at 10:00 reached the database after the one sent at 10:02, on another connection.
      const lateBeat = createJobs({ db: database.db, clock: fixedClock('2026-11-25T10:00:00Z') })
      await jobs.enqueue(database.db, 'test:send', {})
      const leases: (Date | null)[] = []
      await jobs.work('worker-1', {
        'test:send': async (_payload, { jobId }) => {
          await jobs.renewLease(jobId, 'worker-1')
          await lateBeat.renewLease(jobId, 'worker-1')
          const job = await database.db.selectFrom('job').select('locked_at').executeTakeFirstOrThrow()
          leases.push(job.locked_at)
        },
      })
      assert.deepEqual(leases, [new Date('2026-11-25T10:02:00Z')])
    })

    it('runs a sweep once a period however many processes schedule it', async () => {
      const movable = fixedClock('2026-11-25T10:00:30Z')
      const runs: string[] = []
      const sweep: Sweep = {
        name: 'test-sweep',
        everySeconds: 60,
        run: async (now) => void runs.push(now.toISOString()),
      }
      const processes = [1, 2, 3].map((n) =>
        startWorker({
          jobs: createJobs({ db: database.db, clock: movable }),
          handlers: {},
          sweeps: [sweep],
          clock: movable,
          pollMs: 60_000,
          workerId: `process-${n}`,
          onError: (error) => assert.fail(error as Error),
        }),
      )
      try {
        await Promise.all(processes.map((process) => process.tick()))
        movable.advanceMinutes(1)
        await Promise.all(processes.map((process) => process.tick()))
        await Promise.all(processes.map((process) => process.tick()))
        movable.advanceMinutes(1)
        await Promise.all(processes.map((process) => process.tick()))
      } finally {
        await Promise.all(processes.map((process) => process.stop()))
      }
      assert.deepEqual(runs, ['2026-11-25T10:01:30.000Z', '2026-11-25T10:02:30.000Z'])
    })

    it('does not run a period again for a process that worked it out before another ran it', async () => {
      const sweep: Sweep = { name: 'late-sweep', everySeconds: 60, run: async () => {} }
      const handlers = sweepHandlers([sweep], fixedClock('2026-11-25T10:01:30Z'))
      const prompt = createJobs({ db: database.db, clock: fixedClock('2026-11-25T10:01:30Z') })
      // The slow process read the time (10:00:30, so the next period starts 10:01:00) and then waited.
      const slow = createJobs({ db: database.db, clock: fixedClock('2026-11-25T10:00:30Z') })
      await slow.scheduleSweeps([sweep])
      assert.equal(await prompt.work('process-1', handlers), 1, 'the 10:01 period runs')
      await slow.scheduleSweeps([sweep])
      assert.equal(await prompt.work('process-1', handlers), 0, 'and does not run again')
    })

    it('forgets finished jobs after a week', async () => {
      const movable = fixedClock('2026-11-25T10:00:00Z')
      const jobs = createJobs({ db: database.db, clock: movable })
      await jobs.enqueue(database.db, 'test:send', {})
      await jobs.work('worker-1', { 'test:send': async () => {} })
      movable.advanceMinutes(6 * 24 * 60)
      assert.equal(await jobs.forgetFinished(), 0)
      movable.advanceMinutes(2 * 24 * 60)
      assert.equal(await jobs.forgetFinished(), 1)
    })
  })
}
