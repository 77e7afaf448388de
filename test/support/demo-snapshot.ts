import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { openPGlite, pgliteParsers, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { IsoDate } from '../../src/db/schema.ts'
import { seedDemoEstate } from '../../src/demo/seed.ts'

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
 */
export async function openDemoSnapshot(options: DemoSnapshotOptions): Promise<DatabaseHandle> {
  const file = path.join(tmpdir(), `waymark-demo-${snapshotKey(options)}.tar.gz`)
  const dump = await readFile(file).catch(() => undefined)
  if (dump) {
    const pglite = await PGlite.create({ loadDataDir: new Blob([dump]), parsers: pgliteParsers })
    const handle = openPGlite(pglite)
    await migrateToLatest(handle.db)
    return handle
  }
  const pglite = await PGlite.create({ parsers: pgliteParsers })
  const handle = openPGlite(pglite)
  try {
    await migrateToLatest(handle.db)
    await seedDemoEstate(handle.db, { ...options, environment: 'test' })
    const seeded = await pglite.dumpDataDir('gzip')
    // Written aside and renamed, so a journey file starting alongside never reads half a dump.
    const partial = `${file}.${process.pid}`
    await writeFile(partial, Buffer.from(await seeded.arrayBuffer()))
    await rename(partial, file)
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}

function snapshotKey(options: DemoSnapshotOptions): string {
  let pgliteDirectory = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (!existsSync(path.join(pgliteDirectory, 'package.json'))) pgliteDirectory = path.dirname(pgliteDirectory)
  const hash = createHash('sha256')
    .update(readFileSync(path.join(pgliteDirectory, 'package.json')))
    .update(JSON.stringify([options.seed, options.today, options.peopleAtFirst]))
  const sourceDirectory = path.resolve(import.meta.dirname, '../../src')
  for (const name of readdirSync(sourceDirectory, { recursive: true, encoding: 'utf8' }).sort())
    if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      hash.update(name).update(readFileSync(path.join(sourceDirectory, name)))
  return hash.digest('hex').slice(0, 16)
}
