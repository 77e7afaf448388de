import { after, before } from 'node:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
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
