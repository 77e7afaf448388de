import { openMigratedDatabase } from './database.ts'

export async function migrate(_args: string[]): Promise<number> {
  const handle = await openMigratedDatabase()
  await handle.close()
  console.log(`Database schema is up to date (${handle.kind}).`)
  return 0
}
