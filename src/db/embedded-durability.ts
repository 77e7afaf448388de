import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'

/**
 * PGlite runs its PostgreSQL with fsync off (`-F`), and its file system under Node (emscripten's NODEFS)
 * has no fsync to call: a commit's WAL is written to the page cache and answered, and a power cut loses it.
 * So after every commit Waymark syncs the WAL written since the last one itself, through Node's fs on the
 * real files, before the answer goes back.
 *
 * PostgreSQL writes data files only at a checkpoint, and single-user PostgreSQL checkpoints only when it
 * starts after a crash and when it stops, never while it runs; the whole folder is synced after each (see
 * `syncDataDirectory`), so the WAL from the last checkpoint on is all a restart needs.
 */
export class WalSync {
  #pglite: PGlite
  #walDirectory: string
  #segmentSize: bigint
  #syncedUpTo: bigint

  private constructor(pglite: PGlite, walDirectory: string, segmentSize: bigint, writtenUpTo: bigint) {
    this.#pglite = pglite
    this.#walDirectory = walDirectory
    this.#segmentSize = segmentSize
    this.#syncedUpTo = writtenUpTo
  }

  /** For PGlite opened on `dataDirectory`, whose files up to now are synced (`syncDataDirectory`). */
  static async start(pglite: PGlite, dataDirectory: string): Promise<WalSync> {
    const { rows } = await pglite.query<{ segment_size: string }>(
      "select setting as segment_size from pg_settings where name = 'wal_segment_size'",
    )
    const written = await writtenUpTo(pglite)
    return new WalSync(pglite, path.join(dataDirectory, 'pg_wal'), BigInt(rows[0].segment_size), written.lsn)
  }

  /** Puts the WAL written since the last call on the disk: call after a commit, before answering. */
  async flush(): Promise<void> {
    const written = await writtenUpTo(this.#pglite)
    if (written.lsn <= this.#syncedUpTo) return
    const timeline = written.file.slice(0, 8)
    const first = segmentOf(this.#syncedUpTo, this.#segmentSize)
    const last = segmentOf(written.lsn, this.#segmentSize)
    for (let segment = first; segment <= last; segment++)
      await syncFile(path.join(this.#walDirectory, segmentFileName(timeline, segment, this.#segmentSize)), 'data')
    // A commit that reached a new segment also needs the segment's name in the folder on the disk.
    if (last > first) await syncFile(this.#walDirectory, 'all')
    this.#syncedUpTo = written.lsn
  }
}

async function writtenUpTo(pglite: PGlite): Promise<{ lsn: bigint; file: string }> {
  // pg_current_wal_lsn is where the WAL has been written to the operating system, so it covers every commit
  // answered so far.
  const { rows } = await pglite.query<{ lsn: string; file: string }>(
    'select pg_current_wal_lsn()::text as lsn, pg_walfile_name(pg_current_wal_lsn()) as file',
  )
  const [high, low] = rows[0].lsn.split('/')
  return { lsn: (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`), file: rows[0].file }
}

/** The segment holding the byte before `lsn`, as pg_walfile_name counts. */
function segmentOf(lsn: bigint, segmentSize: bigint): bigint {
  return lsn === 0n ? 0n : (lsn - 1n) / segmentSize
}

function segmentFileName(timeline: string, segment: bigint, segmentSize: bigint): string {
  const perId = 0x100000000n / segmentSize
  const hex = (value: bigint) => value.toString(16).toUpperCase().padStart(8, '0')
  return `${timeline}${hex(segment / perId)}${hex(segment % perId)}`
}

async function syncFile(file: string, what: 'data' | 'all'): Promise<void> {
  const handle = await open(file, 'r')
  try {
    if (what === 'data') await handle.datasync()
    else await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Syncs every file and folder under `directory`, as `initdb --sync-only` does: after PGlite has opened the
 * folder (a start after a crash ends with a checkpoint) and after it has closed it (a shutdown checkpoint).
 */
export function syncDataDirectory(directory: string): void {
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) syncPath(path.join(entry.parentPath, entry.name))
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true }))
    if (entry.isDirectory()) syncPath(path.join(entry.parentPath, entry.name))
  syncPath(directory)
}

/** Syncs a folder's own entries (a file made or removed in it), not the files in it. */
export function syncFolderEntries(directory: string): void {
  syncPath(directory)
}

function syncPath(file: string): void {
  let descriptor
  try {
    descriptor = openSync(file, 'r')
  } catch (error) {
    // A file PGlite removed while the folder was listed has nothing left to sync.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    fsyncSync(descriptor)
  } finally {
    closeSync(descriptor)
  }
}
