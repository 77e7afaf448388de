import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { openDatabase, openPGlite, pgliteParsers, type DatabaseHandle } from '../../src/db/database.ts'
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

/**
 * A fresh PGlite runs initdb, which takes seconds; loading a copy of a migrated one takes about one. The
 * copy is kept in the temporary folder under a name made from the PGlite version and the migrations'
 * source, so a new migration or a new PGlite makes a new copy.
 */
async function openPGliteForTest(): Promise<TestDatabase> {
  const pglite = await PGlite.create({ loadDataDir: await migratedTemplate(), parsers: pgliteParsers })
  const handle = openPGlite(pglite)
  await migrateToLatest(handle.db)
  return { ...handle, name: 'PGlite' }
}

/** A migrated embedded database in `directory`, as `waymark` commands open it with DATA_DIR set there. */
export async function givenDataDirectory(directory: string): Promise<void> {
  const pglite = await PGlite.create({ dataDir: directory, loadDataDir: await migratedTemplate() })
  await pglite.close()
}

let template: Promise<Blob> | undefined
/** The migrated embedded database as a dump, made once per set of migrations and PGlite version. */
export function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(tmpdir(), `waymark-test-pglite-${templateKey()}.tar.gz`)
    try {
      return new Blob([await readFile(file)])
    } catch {
      const pglite = await PGlite.create({ parsers: pgliteParsers })
      const handle = openPGlite(pglite)
      await migrateToLatest(handle.db)
      const dump = await pglite.dumpDataDir('gzip')
      await handle.close()
      // Written aside and renamed, so a test file running alongside never reads half a copy.
      const partial = `${file}.${process.pid}`
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
      await rename(partial, file)
      return dump
    }
  })()
  return template
}

function templateKey(): string {
  let pgliteDirectory = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (!existsSync(path.join(pgliteDirectory, 'package.json'))) pgliteDirectory = path.dirname(pgliteDirectory)
  const pgliteVersion = (
    JSON.parse(readFileSync(path.join(pgliteDirectory, 'package.json'), 'utf8')) as { version: string }
  ).version
  const databaseDirectory = path.resolve(import.meta.dirname, '../../src/db')
  const hash = createHash('sha256').update(pgliteVersion)
  for (const name of readdirSync(databaseDirectory, { recursive: true, encoding: 'utf8' }).sort())
    if (name.endsWith('.ts')) hash.update(name).update(readFileSync(path.join(databaseDirectory, name)))
  return hash.digest('hex').slice(0, 16)
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
