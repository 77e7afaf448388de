import { after, before, describe } from 'node:test'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openPGlite, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { IsoDate } from '../../src/db/schema.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'
import { DataFolderDump, newTestPGlite, pgliteVersion, type TestDatabase } from './database.ts'

export type DemoSnapshotOptions = { seed: number; today: IsoDate; peopleAtFirst: number }

/**
 * The demo estate for a browser journey, seeded once and kept as a dump of PGlite's data folder in the
 * temporary folder: each journey file then loads it in a second or two instead of seeding the whole estate
 * again (20 to 40 seconds on a busy machine), and every file starts from the same estate. The dump's name
 * is made from all the seed depends on: PGlite's version, the day, the seed and size, and every source
 * file under `src` (a change to any area, the demo or a migration makes a new one).
 *
 * What the demo seeds as of the moment it runs (care plan observations up to "now") is as of the moment
 * the dump was made, earlier the same day: journeys that check such timings seed afresh instead.
 *
 * Journey files run two at a time: the first to need a dump that is not there yet takes a lock and seeds,
 * and the others wait for its dump rather than seed the same estate alongside it on the same two cores.
 */
export async function openDemoSnapshot(options: DemoSnapshotOptions): Promise<DatabaseHandle> {
  // A plain tar (125 MB against 19 MB): unzipping it was a third of each load, and zipping it seconds of the seed.
  const file = path.join(tmpdir(), `waymark-demo-${snapshotKey(options)}.tar`)
  for (;;) {
    const dump = await readFile(file).catch(() => undefined)
    if (dump) return loadSnapshot(dump)
    const release = await takeLock(`${file}.lock`)
    if (!release) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      continue
    }
    try {
      // Another file may have finished its dump between our look and our lock.
      const made = await readFile(file).catch(() => undefined)
      return made ? await loadSnapshot(made) : await seedSnapshot(file, options)
    } finally {
      await release()
    }
  }
}

/**
 * A `describe` block whose tests read the demo estate as seeded, sharing one database loaded from the snapshot
 * (see `openDemoSnapshot`): each file that read the estate used to seed it afresh, 12 to 25 seconds of a
 * core each, where loading the dump takes one or two. PGlite only, as for the journeys. The database passed
 * in is filled in when the block starts, so read it inside the tests.
 */
export function describeOnDemoSnapshot(
  title: string,
  body: (database: TestDatabase) => void,
  demo: DemoSnapshotOptions,
): void {
  describe(`${title} on PGlite`, () => {
    const database = { name: 'PGlite' } as TestDatabase
    before(async () => {
      Object.assign(database, await openDemoSnapshot(demo), { name: 'PGlite' })
    })
    body(database)
    // Registered after the body's own, so that what the tests built on the database closes first.
    after(async () => {
      await database.close?.()
    })
  })
}

async function loadSnapshot(dump: Uint8Array<ArrayBuffer>): Promise<DatabaseHandle> {
  const pglite = await newTestPGlite(new DataFolderDump(dump))
  // Not migrated again: the dump is named after every source file, the migrations among them.
  return openPGlite(pglite)
}

async function seedSnapshot(file: string, options: DemoSnapshotOptions): Promise<DatabaseHandle> {
  // The migrated copy integration tests load, rather than a second initdb.
  const pglite = await newTestPGlite()
  const handle = openPGlite(pglite)
  try {
    await migrateToLatest(handle.db)
    await seedDemoEstate(handle.db, { ...options, environment: 'test' })
    const seeded = await pglite.dumpDataDir('none')
    // Written aside and renamed, so a journey file starting alongside never reads half a dump.
    const partial = `${file}.${process.pid}`
    await writeFile(partial, Buffer.from(await seeded.arrayBuffer()))
    await rename(partial, file)
    await removeOldSnapshots()
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}

/**
 * Any change under `src` or a new day makes a new dump, so the old ones would pile up in the temporary folder.
 * One written over a day ago is for source or a day gone by (or, at worst, is seeded once more).
 */
async function removeOldSnapshots(): Promise<void> {
  const dayAgo = Date.now() - 24 * 60 * 60_000
  for (const name of await readdir(tmpdir()))
    if (/^waymark-demo-[0-9a-f]{16}\.tar(\.gz)?$/.test(name)) {
      const file = path.join(tmpdir(), name)
      const written = await stat(file).then(
        (status) => status.mtimeMs,
        () => Date.now(),
      )
      if (written < dayAgo) await unlink(file).catch(() => undefined)
    }
}

/** A lock left by a file that died mid-seed is taken over once its process is gone, or after ten minutes. */
const staleLockMs = 10 * 60_000

/** The lock's release if this process now holds it; undefined while another live process does. */
async function takeLock(lock: string): Promise<(() => Promise<void>) | undefined> {
  try {
    const handle = await open(lock, 'wx')
    await handle.writeFile(String(process.pid))
    await handle.close()
    return () => unlink(lock).catch(() => undefined)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
  const since = await stat(lock).then(
    (status) => status.mtimeMs,
    () => Date.now(),
  )
  // An empty file is a lock being written this instant, not a dead one.
  const dead = (holder > 0 && !isAlive(holder)) || Date.now() - since > staleLockMs
  if (dead) await unlink(lock).catch(() => undefined)
  return undefined
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function snapshotKey(options: DemoSnapshotOptions): string {
  const hash = createHash('sha256')
    .update(pgliteVersion())
    .update(JSON.stringify([options.seed, options.today, options.peopleAtFirst]))
  const sourceDirectory = path.resolve(import.meta.dirname, '../../src')
  for (const name of readdirSync(sourceDirectory, { recursive: true, encoding: 'utf8' }).sort())
    if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      hash.update(name).update(readFileSync(path.join(sourceDirectory, name)))
  return hash.digest('hex').slice(0, 16)
}
