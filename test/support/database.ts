import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

export type TestDatabase = DatabaseHandle & { name: string }

/**
 * The databases every integration test runs on: the embedded PGlite always, and PostgreSQL as well when
 * DATABASE_URL is set (`.ci/run` sets it when the server answers). Use with `describe` per engine:
 *
 *   for (const engine of testEngines()) describe(`roll on ${engine.name}`, () => { ... engine.open() ... })
 */
export function testEngines(): { name: string; open: () => Promise<TestDatabase> }[] {
  const engines = [{ name: 'PGlite', open: openPGliteForTest }]
  if (process.env.DATABASE_URL)
    engines.push({ name: 'PostgreSQL', open: () => openPostgresForTest(process.env.DATABASE_URL!) })
  return engines
}

async function openPGliteForTest(): Promise<TestDatabase> {
  const handle = await openDatabase({})
  await migrateToLatest(handle.db)
  return { ...handle, name: 'PGlite' }
}

/** A database of its own for one test file, dropped when the file closes it. */
async function openPostgresForTest(databaseUrl: string): Promise<TestDatabase> {
  const name = `waymark_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 })
  await migrateToLatest(handle.db)
  return {
    ...handle,
    name: 'PostgreSQL',
    close: async () => {
      await handle.close()
      const cleanup = new pg.Client({ connectionString: databaseUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
