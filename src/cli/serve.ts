import { backgroundWork, buildApp, createServices } from '../app.ts'
import { startWorker } from '../platform/jobs.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { MigrationError } from '../db/migrate.ts'
import { DataDirectoryInUse } from '../db/data-directory-lock.ts'
import { systemClock } from '../platform/clock.ts'
import { demoAccounts } from '../demo/estate.ts'
import { describeDemoAccounts } from '../demo/seed.ts'
import { buildDemoOnFirstStart } from '../demo/first-start.ts'
import { openMigratedDatabase } from './database.ts'

/**
 * Starts Waymark. On an empty embedded database outside production it first builds the demo estate, so
 * `npm start` on a fresh clone gives a prison to sign in to.
 */
export async function serve(_args: string[]): Promise<number> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      return 2
    }
    throw error
  }
  const started = Date.now()
  let handle
  try {
    handle = await openMigratedDatabase(config)
  } catch (error) {
    if (error instanceof DataDirectoryInUse) {
      console.error(error.message)
      return 2
    }
    console.error(
      error instanceof MigrationError ? error.message : `Cannot open the database: ${(error as Error).message}`,
    )
    return 1
  }
  const isDemo = config.environment !== 'production'
  if (isDemo)
    await buildDemoOnFirstStart(handle.db, {
      dataDirectory: handle.kind === 'embedded' ? config.dataDirectory : undefined,
      today: systemClock.today(),
      environment: config.environment,
    })
  const services = createServices({
    db: handle.db,
    clock: systemClock,
    publicSite: { addressSecret: config.cookieSecret, publicUrl: config.publicUrl },
  })
  const app = await buildApp({ db: handle.db, config, services })
  // Every web process also works the job queue: jobs are claimed with SKIP LOCKED, so running several
  // processes shares the work and never does a job twice.
  const worker = startWorker({
    jobs: services.jobs,
    ...backgroundWork(services),
    clock: systemClock,
    onError: (error) =>
      app.log.error(
        { err: { type: (error as Error).name, message: (error as Error).message } },
        'background work failed',
      ),
  })
  const close = async () => {
    await worker.stop()
    await app.close()
    await handle.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void close())
  process.once('SIGTERM', () => void close())
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const baseUrl = `http://${config.host}:${port}`
  if (isDemo) console.log(describeDemoAccounts(demoAccounts(), baseUrl))
  else console.log(`Waymark is running at ${baseUrl}`)
  console.log(`Started in ${((Date.now() - started) / 1000).toFixed(1)} s on the ${handle.kind} database.`)
  return new Promise<number>(() => {})
}
