import { after, before, describe } from 'node:test'
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
  // Not migrated again: the copy is named after the migrations' source, so it is at the latest already.
  return { ...openPGlite(await newTestPGlite()), name: 'PGlite' }
}

/**
 * An in-memory PGlite for a test, loaded from a copy: the migrated one unless another is given (`emptyTemplate`
 * for a test of the migrations themselves). A new one runs initdb, 5 s on a busy machine; a copy loads in about 1 s.
 */
export async function newTestPGlite(from: Blob | Promise<Blob> = migratedTemplate()): Promise<PGlite> {
  return PGlite.create({
    loadDataDir: await from,
    parsers: pgliteParsers,
    startParams: [...PGlite.defaultStartParams, ...testStartParams],
  })
}

/**
 * PGlite starts with PostgreSQL's 128 MB of shared buffers, and setting them up was a third of every test
 * database's start (about 0.4 s of a core, in each of a hundred-odd files). A test database that outgrows
 * 32 MB reads its pages back from PGlite's files, which are in memory too.
 */
export const testStartParams = ['-c', 'shared_buffers=32MB']

/** A migrated embedded database in `directory`, as `waymark` commands open it with DATA_DIR set there. */
export async function givenDataDirectory(directory: string): Promise<void> {
  const pglite = await PGlite.create({ dataDir: directory, loadDataDir: await migratedTemplate() })
  await pglite.close()
}

/**
 * A dump of PGlite's data folder, for `loadDataDir`. PGlite reads the whole dump with `arrayBuffer()`, and Node's
 * own Blob hands its bytes over in 64 KB pieces joined again: that was half of each opening (the migrated template:
 * 730 ms an opening, 395 ms from this; the journeys' demo snapshot: 1,600 ms, 725 ms). Each reading is a copy of
 * its own, as a Blob's is, so no opening can change what the next one loads.
 */
export class DataFolderDump extends Blob {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    super()
    this.#bytes = bytes
  }

  override get size(): number {
    return this.#bytes.byteLength
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer)
  }
}

const templates = new Map<string, Promise<Blob>>()

/**
 * A dump of an in-memory PGlite that `prepare` has set up, made once under `name` in the temporary folder and
 * read from there by every later test file. Kept as a plain tar (44 MB against 5 MB for the migrated one):
 * unzipping it was a sixth of each test database's start.
 */
function templateDump(name: string, prepare: (handle: DatabaseHandle) => Promise<void>): Promise<Blob> {
  let template = templates.get(name)
  if (!template) {
    template = (async () => {
      const file = path.join(tmpdir(), `${name}.tar`)
      try {
        return new DataFolderDump(await readFile(file))
      } catch {
        const pglite = await PGlite.create({ parsers: pgliteParsers })
        const handle = openPGlite(pglite)
        await prepare(handle)
        const dump = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer())
        await handle.close()
        // Written aside and renamed, so a test file running alongside never reads half a copy.
        const partial = `${file}.${process.pid}`
        await writeFile(partial, dump)
        await rename(partial, file)
        return new DataFolderDump(dump)
      }
    })()
    templates.set(name, template)
  }
  return template
}

/** The migrated embedded database as a dump, made once per set of migrations and PGlite version. */
export function migratedTemplate(): Promise<Blob> {
  return templateDump(`waymark-test-pglite-${templateKey()}`, async (handle) => void (await migrateToLatest(handle.db)))
}

/** A new embedded database before any migration, as a dump: for the tests of a migration. */
export function emptyTemplate(): Promise<Blob> {
  return templateDump(`waymark-test-pglite-empty-${pgliteVersion()}`, async () => {})
}

/** The installed PGlite's version, in the name of each dump made with it. */
export function pgliteVersion(): string {
  let pgliteDirectory = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (!existsSync(path.join(pgliteDirectory, 'package.json'))) pgliteDirectory = path.dirname(pgliteDirectory)
  return (JSON.parse(readFileSync(path.join(pgliteDirectory, 'package.json'), 'utf8')) as { version: string }).version
}

let templateKeyOnce: string | undefined
/** Worked out once a process, rather than for each test database that asks for the template. */
function templateKey(): string {
  templateKeyOnce ??= migrationsKey()
  return templateKeyOnce
}

function migrationsKey(): string {
  const databaseDirectory = path.resolve(import.meta.dirname, '../../src/db')
  const hash = createHash('sha256').update(pgliteVersion())
  for (const name of readdirSync(databaseDirectory, { recursive: true, encoding: 'utf8' }).sort())
    if (name.endsWith('.ts')) hash.update(name).update(readFileSync(path.join(databaseDirectory, name)))
  return hash.digest('hex').slice(0, 16)
}

/**
 * A database of its own for one test file, copied from a migrated one and dropped when the file closes it.
 * `url` reaches it from another process, such as a spawned server.
 */
export async function openPostgresForTest(databaseUrl: string): Promise<TestDatabase & { url: string }> {
  const name = `waymark_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    await admin.query(`create database ${name} template ${await migratedPostgresTemplate(admin, databaseUrl)}`)
  } finally {
    await admin.end()
  }
  let closing = false
  const url = databaseNamed(databaseUrl, name)
  const handle = await openDatabase({
    databaseUrl: committingWithoutWaitingForDisk(url),
    poolSize: 4,
    // The pool's close does not wait for its connections to end, and the drop below ends any still open.
    onIdleConnectionLost: (error) => {
      if (!closing) console.error(`PostgreSQL dropped an idle connection of a test database: ${error.message}`)
    },
  })
  // Not migrated again: the template is named after the migrations' source, so it is at the latest already.
  return {
    ...handle,
    name: 'PostgreSQL',
    url,
    close: async () => {
      closing = true
      await handle.close()
      const cleanup = new pg.Client({ connectionString: databaseUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

/**
 * Copying a migrated database takes a third of the time of migrating a new one. The migrated one is named
 * like the PGlite copy, from the migrations' source, and made once by whichever test file first needs it,
 * under an advisory lock (released by the server if that file dies) while the others wait; it is built
 * under another name and renamed, so a half-migrated one is never copied.
 */
async function migratedPostgresTemplate(admin: pg.Client, databaseUrl: string): Promise<string> {
  const template = `waymark_template_${templateKey()}`
  const made = async () =>
    ((await admin.query('select 1 from pg_database where datname = $1', [template])).rowCount ?? 0) > 0
  if (await made()) return template
  await admin.query('select pg_advisory_lock(hashtext($1))', [template])
  try {
    if (await made()) return template
    const building = `${template}_building`
    await admin.query(`drop database if exists ${building} with (force)`)
    await admin.query(`create database ${building}`)
    const handle = await openDatabase({ databaseUrl: databaseNamed(databaseUrl, building), poolSize: 1 })
    try {
      await migrateToLatest(handle.db)
    } finally {
      await handle.close()
    }
    await admin.query(`alter database ${building} rename to ${template}`)
    return template
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [template])
  }
}

/**
 * The test's own connections commit without waiting for the server to flush the commit to disk: a test
 * database is dropped when its file ends, and waiting for the disk was most of each write (9 ms against 1 ms a
 * commit, measured on a busy machine). What every other session sees, and when, is unchanged.
 */
function committingWithoutWaitingForDisk(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  url.searchParams.set('options', '-c synchronous_commit=off')
  return url.toString()
}

function databaseNamed(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * A `describe` block per engine with one database shared by its tests: opened (and set up) before them,
 * closed after them and after the block's own `after` hooks. The database passed in is filled in when the
 * block starts, so read it inside the tests.
 *
 *   describeOnEachEngine('the roll', (database) => { it('…', async () => { await database.db… }) })
 */
export function describeOnEachEngine(
  title: string,
  body: (database: TestDatabase, engine: { name: string; open: () => Promise<TestDatabase> }) => void,
  options: { firstEngineOnly?: boolean; setUp?: (database: TestDatabase) => Promise<unknown> } = {},
): void {
  const engines = testEngines()
  for (const engine of options.firstEngineOnly ? engines.slice(0, 1) : engines)
    describe(`${title} on ${engine.name}`, () => {
      const database = { name: engine.name } as TestDatabase
      before(async () => {
        Object.assign(database, await engine.open())
        await options.setUp?.(database)
      })
      body(database, engine)
      // Registered after the body's own, so that what the tests built on the database (an app) closes first.
      after(async () => {
        await database.close?.()
      })
    })
}
