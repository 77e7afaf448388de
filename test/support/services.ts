import { before } from 'node:test'
import { createServices, type Services } from '../../src/app.ts'
import { fixedClock, type Clock } from '../../src/platform/clock.ts'
import { describeOnEachEngine, type TestDatabase } from './database.ts'

/**
 * A service test's `describe` per engine: one database shared by its tests (see `describeOnEachEngine`), every
 * service built on it as app.ts builds them, and the clock they read, fixed at `now` and moved on only by a
 * test that says so. The database and the services are filled in when the block starts, so read them inside
 * hooks and tests:
 *
 *   describeServicesOnEachEngine('the care plan service', '2026-11-25T09:00:00Z', ({ database, services }) => {
 *     const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
 *     it('…', async () => { await services.carePlans.openCarePlan(prison.officer, …) })
 *   })
 */
export function describeServicesOnEachEngine(
  title: string,
  now: string,
  body: (the: { database: TestDatabase; services: Services; clock: ReturnType<typeof fixedClock> }) => void,
): void {
  describeOnEachEngine(title, (database) => {
    const clock = fixedClock(now)
    body({ database, services: servicesBefore(database, clock), clock })
  })
}

/**
 * Every service, built as app.ts builds them on the block's database and clock before its tests (after
 * `describeOnEachEngine` has opened the database); the object is filled in then.
 */
function servicesBefore(database: TestDatabase, clock: Clock): Services {
  const services = {} as Services
  before(() => {
    Object.assign(services, createServices({ db: database.db, clock }))
  })
  return services
}

/**
 * What every test of the block shares (a prison, its staff), arranged once before them by `given`, in the
 * order it is called among the block's other hooks. The object is filled in then, so read it inside hooks
 * and tests: `const prison = arrangedBefore(() => givenCarePlanPrison(database.db))`.
 */
export function arrangedBefore<Arranged extends object>(given: () => Promise<Arranged>): Arranged {
  const arranged = {} as Arranged
  before(async () => {
    Object.assign(arranged, await given())
  })
  return arranged
}
