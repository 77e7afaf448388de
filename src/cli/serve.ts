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
import { rollSyncSettingsFrom } from '../areas/journey/service.ts'

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
  // Issue 15: the roll from NOMIS on a schedule, when ROLL_SYNC_URL is set; a setting set wrongly stops the start.
  const rollSync = rollSyncSettingsFrom(process.env)
  if (rollSync && 'problem' in rollSync) {
    console.error(rollSync.problem)
    return 2
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
  const work = backgroundWork(services)
  if (rollSync)
    work.sweeps.push(
      services.journey.rollSyncSweep(rollSync, {
        // Counts only: a log leaves Waymark, and a prison number is someone's.
        onReport: (report) =>
          app.log.info(
            { establishment: report.establishmentCode, counts: report.counts, refused: report.refused.length },
            'roll from NOMIS',
          ),
      }),
    )
  const worker = startWorker({
    jobs: services.jobs,
    ...work,
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
