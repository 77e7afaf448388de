import { loadConfig, type Config } from '../config.ts'
import { openDatabase, type DatabaseHandle } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'

/** Opens the configured database and brings its schema up to date, as every command that touches data does. */
export async function openMigratedDatabase(config: Config = loadConfig()): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory })
  try {
    await migrateToLatest(handle.db)
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}
