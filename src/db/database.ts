import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PGlite, types } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type Driver, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'
import { PGliteConnection, PGliteDialect, PGliteDriver } from './pglite-dialect.ts'
import { openInThread } from './embedded-thread.ts'
import { namingPreparedStatements } from './prepared-statements.ts'
import { lockDataDirectory } from './data-directory-lock.ts'
import { syncDataDirectory, syncFolderEntries, WalSync } from './embedded-durability.ts'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>

export type DatabaseHandle = {
  db: Db
  kind: 'embedded' | 'postgresql'
  close: () => Promise<void>
}

// Dates stay 'YYYY-MM-DD' strings on both engines: a date of birth has no time zone to drift through.
const DATE_OID = 1082
pg.types.setTypeParser(DATE_OID, (value) => value)
pg.types.setTypeParser(20, (value) => Number(value))
// Numeric columns hold weights and shares, never money to the penny: a number is what every caller wants.
const NUMERIC_OID = 1700
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value))

/** Opens the embedded database in `dataDirectory` (or in memory), or PostgreSQL when `databaseUrl` is set. */
export async function openDatabase(options: {
  databaseUrl?: string | undefined
  dataDirectory?: string | undefined
  poolSize?: number
  onIdleConnectionLost?: (error: Error) => void
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 })
    // An idle connection the server drops (a restart, a failover, an administrator) is an 'error' event on
    // the pool; unheard, it ends the process. The pool replaces the connection on the next query.
    pool.on('error', (error) => (options.onIdleConnectionLost ?? reportLostConnection)(error))
    // A connection lent out has no pool listener, and the server can end it between two queries of a
    // transaction: that is an 'error' event too, and it ended the process. Heard here, it needs nothing more:
    // the next query on the connection fails and reaches its request (a 503), and the pool drops the
    // connection when it comes back, for a new one.
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingPreparedStatements(pool) }) })
    return { db, kind: 'postgresql', close: () => db.destroy() }
  }
  if (options.dataDirectory) return openDataDirectory(options.dataDirectory)
  return openPGlite(await PGlite.create({ parsers: pgliteParsers }))
}

function reportLostConnection(error: Error): void {
  console.error(`PostgreSQL dropped an idle connection (${error.message}); the next query opens another.`)
}

/** The same value types as the PostgreSQL driver gives; pass them to any other `PGlite.create`. */
export const pgliteParsers = {
  [types.DATE]: (value: string) => value,
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => Number(value),
}

/**
 * A PGlite the caller made, in this thread, with nothing synced after its commits: in memory, loaded from a dump,
 * or a folder measured without its syncs (bench:embedded). Waymark's data folder goes through `openDatabase`,
 * which syncs each commit and runs PGlite in a thread of its own.
 */
export function openPGlite(pglite: PGlite): DatabaseHandle {
  return embeddedHandle(new PGliteDriver(new PGliteConnection(pglite, undefined)), () => pglite.close())
}

/** Kysely over an embedded driver; closing ends Kysely's use of it first, then the database under it. */
function embeddedHandle(driver: Driver, closeDatabase: () => Promise<void>): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(driver) })
  return {
    db,
    kind: 'embedded',
    close: async () => {
      await db.destroy()
      await closeDatabase()
    },
  }
}

/**
 * The embedded database in a folder: taken for this process alone (a second process is refused, naming the
 * first), and synced so that an answered commit survives a power cut (see WalSync). PGlite runs in a thread of
 * its own (`openInThread`), so that pages are built on one core while their statements run on the other.
 */
async function openDataDirectory(directory: string): Promise<DatabaseHandle> {
  mkdirSync(directory, { recursive: true })
  const lock = lockDataDirectory(directory)
  let thread: Awaited<ReturnType<typeof openInThread>>
  try {
    thread = await openInThread(directory, pgliteParsers)
  } catch (error) {
    lock.release()
    throw error
  }
  return embeddedHandle(thread.driver, async () => {
    await thread.close()
    lock.release()
  })
}

/**
 * PGlite on a data folder, in the thread that calls it (the embedded database's own, `embedded-thread-worker.ts`;
 * the folder's lock is the process's, taken before): a creation cut short is redone, the folder is synced once
 * opened, and `afterCommit` syncs the WAL each commit wrote. `close` closes PGlite and syncs the folder again.
 */
export async function openEmbeddedFolder(
  directory: string,
): Promise<{ pglite: PGlite; afterCommit: () => Promise<void>; close: () => Promise<void> }> {
  let pglite: PGlite | undefined
  try {
    const creating = path.join(directory, creatingMarker)
    if (existsSync(creating)) removeHalfCreatedDatabase(directory)
    const fresh = !existsSync(path.join(directory, 'PG_VERSION'))
    // The marker is made and removed durably: one lost in a power cut mid-creation would leave a half-made database
    // that never opens, and one that came back after its removal would have the next start delete acknowledged data.
    if (fresh) {
      writeFileSync(creating, '')
      syncFolderEntries(directory)
    }
    pglite = await PGlite.create({ dataDir: directory, parsers: pgliteParsers })
    syncDataDirectory(directory)
    if (fresh) {
      unlinkSync(creating)
      syncFolderEntries(directory)
    }
    const walSync = await WalSync.start(pglite, directory)
    const opened = pglite
    return {
      pglite: opened,
      afterCommit: () => walSync.flush(),
      close: async () => {
        await opened.close()
        syncDataDirectory(directory)
      },
    }
  } catch (error) {
    await pglite?.close()
    throw error
  }
}

/** Present while PGlite creates a new database in the folder (initdb), so a creation cut short is redone. */
const creatingMarker = 'waymark-creating-database'

/**
 * PGlite writes a new database into the folder file by file and takes any folder with a PG_VERSION for a
 * database, so a process killed while it creates one could leave half a database that never opens. Only
 * what initdb makes is removed: DATA_DIR may point at a folder that held other files before.
 */
function removeHalfCreatedDatabase(directory: string): void {
  const madeByInitdb = /^(PG_VERSION|base|global|pg_\w+|postgresql(\.auto)?\.conf|pg_hba\.conf|pg_ident\.conf)$/
  for (const name of readdirSync(directory))
    if (madeByInitdb.test(name)) rmSync(path.join(directory, name), { recursive: true, force: true })
}
