import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { PGlite } from '@electric-sql/pglite'
import { parseOptions } from '../../src/cli/options.ts'
import { openDatabase, openPGlite, pgliteParsers, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

/**
 * npm run bench:embedded [-- --writes 300]
 *
 * What the sync of every commit costs on the embedded database: acknowledged writes a second in a data folder
 * as PGlite leaves it (the WAL in the page cache when the answer comes back) and as Waymark opens it (the WAL
 * synced to the disk first). Half the writes are single statements, half transactions of two. The figures are
 * the disk's: a laptop's SSD, a server's RAID with a write cache and a virtual machine's disk differ tenfold.
 *
 * A benchmark: it prints figures, it does not fail.
 */
const parsed = parseOptions(process.argv.slice(2), { writes: { type: 'string', default: '300' } })
if (!parsed.ok) throw new Error(parsed.message)
const writes = Math.min(Number(parsed.values.writes), 17_576)

async function writesPerSecond(open: (directory: string) => Promise<DatabaseHandle>): Promise<number> {
  const folder = await mkdtemp(path.join(tmpdir(), 'waymark-bench-embedded-'))
  const handle = await open(path.join(folder, 'data'))
  try {
    await migrateToLatest(handle.db)
    const started = performance.now()
    for (let write = 0; write < writes; write++) {
      const letter = (n: number) => String.fromCharCode(65 + (Math.floor(n) % 26))
      const code = `${letter(write / 676)}${letter(write / 26)}${letter(write)}`
      const establishment = { code, name: `HMP Bench ${write}`, function: 'reception' as const }
      if (write % 2) await handle.db.insertInto('establishment').values(establishment).execute()
      else
        await handle.db.transaction().execute(async (trx) => {
          await trx.insertInto('establishment').values(establishment).execute()
          await trx
            .insertInto('wing')
            .values({ establishment_code: establishment.code, code: 'A', name: 'A wing' })
            .execute()
        })
    }
    return writes / ((performance.now() - started) / 1000)
  } finally {
    await handle.close()
    await rm(folder, { recursive: true, force: true })
  }
}

const unsynced = await writesPerSecond(async (directory) =>
  openPGlite(await PGlite.create({ dataDir: directory, parsers: pgliteParsers })),
)
const synced = await writesPerSecond((directory) => openDatabase({ dataDirectory: directory }))
console.log(`${writes} acknowledged writes on the embedded database in ${tmpdir()}:`)
console.log(`  WAL left in the page cache (PGlite alone):   ${unsynced.toFixed(0)} writes/s`)
console.log(`  WAL synced before each answer (Waymark):     ${synced.toFixed(0)} writes/s`)
