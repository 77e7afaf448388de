import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { fixedClock } from './clock.ts'
import { createHealth } from './health.ts'

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
      const health = createHealth({ db: database.db, clock: fixedClock('2026-11-25T10:00:00Z') })
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'UNKNOWN' })
    })

    it('reports the database up with how long ago it last answered', async () => {
      const clock = fixedClock('2026-11-25T10:00:00Z')
      const health = createHealth({ db: database.db, clock, staleAfterMs: 5 * 60_000 })
      await health.check()
      assert.deepEqual(health.report(), { status: 'UP', database: 'UP', databaseCheckedSecondsAgo: 0 })
      clock.advanceMinutes(2)
      assert.deepEqual(health.report(), { status: 'UP', database: 'UP', databaseCheckedSecondsAgo: 120 })
    })

    it('reports the database down when it has not answered for longer than the limit', async () => {
      const clock = fixedClock('2026-11-25T10:00:00Z')
      const health = createHealth({ db: database.db, clock, staleAfterMs: 5 * 60_000 })
      await health.check()
      clock.advanceMinutes(6)
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'DOWN', databaseCheckedSecondsAgo: 360 })
      await health.check()
      assert.equal(health.report().status, 'UP', 'and up again once it answers')
    })

    it('reports the database down as soon as a check fails', async () => {
      const failing = await engine.open()
      const clock = fixedClock('2026-11-25T10:00:00Z')
      const health = createHealth({ db: failing.db, clock })
      await health.check()
      assert.equal(health.report().status, 'UP')
      await failing.close()
      await health.check()
      assert.deepEqual(health.report(), { status: 'DOWN', database: 'DOWN', databaseCheckedSecondsAgo: 0 })
    })
  })
}
