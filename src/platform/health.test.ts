import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { createHealth } from './health.ts'

/** A clock for the age of a check that moves only when the test says. */
function stopwatch() {
  let elapsed = 0
  return {
    elapsedMs: () => elapsed,
    advanceMinutes: (minutes: number) => void (elapsed += minutes * 60_000),
  }
}

for (const engine of testEngines()) {
  describe(`the health check on ${engine.name}`, () => {
    let database: TestDatabase
    before(async () => {
      database = await engine.open()
    })
    after(async () => {
      await database.close()
    })

    it('says nothing is known, and so down, before the database has answered once', () => {
      const health = createHealth({ db: database.db })
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'UNKNOWN' })
    })

    it('reports the database up with how long ago it last answered', async () => {
      const time = stopwatch()
      const health = createHealth({ db: database.db, elapsedMs: time.elapsedMs, staleAfterMs: 5 * 60_000 })
      await health.check()
      assert.deepEqual(health.report(), { status: 'UP', database: 'UP', databaseCheckedSecondsAgo: 0 })
      time.advanceMinutes(2)
      assert.deepEqual(health.report(), { status: 'UP', database: 'UP', databaseCheckedSecondsAgo: 120 })
    })

    it('reports the database down when it has not answered for longer than the limit', async () => {
      const time = stopwatch()
      const health = createHealth({ db: database.db, elapsedMs: time.elapsedMs, staleAfterMs: 5 * 60_000 })
      await health.check()
      time.advanceMinutes(6)
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'DOWN', databaseCheckedSecondsAgo: 360 })
      await health.check()
      assert.equal(health.report().status, 'UP', 'and up again once it answers')
    })

    it('reports the database down as soon as a check fails', async () => {
      const failing = await engine.open()
      const health = createHealth({ db: failing.db, elapsedMs: stopwatch().elapsedMs })
      await health.check()
      assert.equal(health.report().status, 'UP')
      await failing.close()
      await health.check()
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'DOWN', databaseCheckedSecondsAgo: 0 })
    })
  })
}
