import { loadConfig } from '../config.ts'
import { systemClock } from '../platform/clock.ts'
import { DemoRefused, seedDemoEstate } from '../demo/seed.ts'
import { openMigratedDatabase } from './database.ts'
import { parseOptions } from './options.ts'

export async function demo(args: string[]): Promise<number> {
  const parsed = parseOptions(args, {
    reset: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    people: { type: 'string' },
  })
  if (!parsed.ok) {
    console.error(`${parsed.message}\nUsage: waymark demo [--reset] [--seed N] [--people N]`)
    return 2
  }
  const seed = Number(parsed.values.seed)
  const people = parsed.values.people === undefined ? undefined : Number(parsed.values.people)
  if (
    !Number.isInteger(seed) ||
    (people !== undefined && (!Number.isInteger(people) || people < 1 || people > 20_000))
  ) {
    console.error('--seed must be a whole number and --people a whole number from 1 to 20000')
    return 2
  }
  const config = loadConfig()
  if (config.environment === 'production') {
    console.error('Waymark will not create demo accounts when NODE_ENV=production')
    return 2
  }
  const handle = await openMigratedDatabase(config)
  try {
    const outcome = await seedDemoEstate(handle.db, {
      seed,
      today: systemClock.today(),
      peopleAtFirst: people,
      reset: parsed.values.reset,
      environment: config.environment,
    })
    console.log(
      `Built the demo estate: ${outcome.people} people, ${outcome.accounts.length} demo accounts (password "demo").`,
    )
    return 0
  } catch (error) {
    if (error instanceof DemoRefused) {
      console.error(error.message)
      return 2
    }
    throw error
  } finally {
    await handle.close()
  }
}
