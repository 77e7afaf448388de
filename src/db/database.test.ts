import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase } from './database.ts'

const databaseUrl = process.env.DATABASE_URL

describe('a PostgreSQL connection dropped by the server', { skip: databaseUrl ? false : 'no DATABASE_URL' }, () => {
  it('is reported and replaced, and does not end the process', async () => {
    const lost: Error[] = []
    const handle = await openDatabase({ databaseUrl, poolSize: 1, onIdleConnectionLost: (error) => lost.push(error) })
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      await admin.query('select pg_terminate_backend($1)', [rows[0].pid])
      await admin.end()
      for (let wait = 0; wait < 50 && lost.length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 20))

      assert.equal(lost.length, 1)
      assert.match(lost[0].message, /terminating connection/)
      const again = await sql<{ one: number }>`select 1 as one`.execute(handle.db)
      assert.equal(again.rows[0].one, 1)
      assert.deepEqual(uncaught, [])
    } finally {
      process.off('uncaughtException', onUncaught)
      await handle.close()
    }
  })
})
