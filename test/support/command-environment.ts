import { after, before, beforeEach, mock } from 'node:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { openDatabase } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'
import { givenDataDirectory } from './database.ts'

/**
 * A `waymark` command's own embedded database for a test file: a migrated one in a folder of its own, with
 * DATA_DIR pointing there and DATABASE_URL set aside (a command reads its configuration from the environment),
 * both put back and the folder removed after the file's tests. Filled in before them: read it inside hooks.
 */
export function commandDataDirectory(prefix: string): { folder: string; dataDirectory: string } {
  const place = { folder: '', dataDirectory: '' }
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL }
  before(async () => {
    place.folder = await mkdtemp(path.join(tmpdir(), prefix))
    place.dataDirectory = path.join(place.folder, 'data')
    await givenDataDirectory(place.dataDirectory)
    process.env.DATA_DIR = place.dataDirectory
    delete process.env.DATABASE_URL
  })
  after(async () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    await rm(place.folder, { recursive: true, force: true })
  })
  return place
}

/** What the tests of a `waymark` command see: its folder, and what it wrote to the console in this test. */
export type CommandFixture = {
  /** The command's folder, made before the first test: its database is in `data` below it. */
  folder: string
  /** Lines written to stderr (console.error), where the commands say what they did and what went wrong. */
  errors: string[]
  /** Lines written to stdout (console.log). */
  output: string[]
  /** Reads the command's database, opened and closed around `read` as the command itself does. */
  inDatabase<T>(read: (db: Kysely<Database>) => Promise<T>): Promise<T>
}

/**
 * The tests of a `waymark` command on its own database (`commandDataDirectory`), arranged once by `arrange`,
 * with what it writes to the console collected test by test. Call it inside a `describe`: it adds that
 * describe's hooks.
 */
export function commandOnDatabaseOfItsOwn(
  prefix: string,
  arrange: (db: Kysely<Database>) => Promise<void> = async () => {},
): CommandFixture {
  const place = commandDataDirectory(prefix)
  const fixture: CommandFixture = {
    folder: '',
    errors: [],
    output: [],
    async inDatabase(read) {
      const handle = await openDatabase({ dataDirectory: place.dataDirectory })
      try {
        return await read(handle.db)
      } finally {
        await handle.close()
      }
    },
  }
  before(async () => {
    fixture.folder = place.folder
    await fixture.inDatabase(arrange)
  })
  beforeEach(() => {
    // Emptied rather than replaced, so a test file may hold on to the arrays themselves.
    fixture.errors.length = 0
    fixture.output.length = 0
    mock.method(console, 'error', (line: string) => void fixture.errors.push(line))
    mock.method(console, 'log', (line: string) => void fixture.output.push(line))
  })
  return fixture
}
