import { before } from 'node:test'
import { createServices, type Services } from '../../src/app.ts'
import type { Clock } from '../../src/platform/clock.ts'
import type { TestDatabase } from './database.ts'

/**
 * Every service of a service test, built as app.ts builds them on the block's database and clock, before its
 * tests (after `describeOnEachEngine` has opened the database). Like the database, the object is filled in
 * when the block starts, so read it inside hooks and tests:
 *
 *   describeOnEachEngine('the care plan service', (database) => {
 *     const clock = fixedClock('2026-11-25T09:00:00Z')
 *     const services = servicesBefore(database, clock)
 *     it('…', async () => { await services.carePlans.openCarePlan(…) })
 *   })
 */
export function servicesBefore(database: TestDatabase, clock: Clock): Services {
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
