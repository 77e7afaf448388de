import { after, before, beforeEach, mock } from 'node:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { openDatabase } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { givenDataDirectory } from '../../test/support/database.ts'

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
 * The tests of `waymark export` and `waymark import`, on an embedded database in a folder of their own
 * (`prefix` names the folder), arranged once by `arrange`. The commands read their configuration from the
 * environment, so DATA_DIR points there and DATABASE_URL is set aside while these tests run. Call it inside
 * a `describe`: it adds that describe's hooks.
 */
export function commandOnDatabaseOfItsOwn(
  prefix: string,
  arrange: (db: Kysely<Database>) => Promise<void>,
): CommandFixture {
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL }
  let dataDirectory = ''
  const fixture: CommandFixture = {
    folder: '',
    errors: [],
    output: [],
    async inDatabase(read) {
      const handle = await openDatabase({ dataDirectory })
      try {
        return await read(handle.db)
      } finally {
        await handle.close()
      }
    },
  }

  before(async () => {
    fixture.folder = await mkdtemp(path.join(tmpdir(), prefix))
    dataDirectory = path.join(fixture.folder, 'data')
    await givenDataDirectory(dataDirectory)
    await fixture.inDatabase(arrange)
    process.env.DATA_DIR = dataDirectory
    delete process.env.DATABASE_URL
  })
  after(async () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    await rm(fixture.folder, { recursive: true, force: true })
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
