import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { hashPassword } from '../platform/passwords.ts'
import { demoAccounts, demoEstablishments, demoPeople, type DemoAccount } from './estate.ts'
import { insertDemoStaff, seedStaffDemo } from './staff.ts'
import { seedDemoJourneys } from './journey.ts'
import { seedRegimeDemo } from './regime.ts'
import { seedAllocationDemo } from './allocation.ts'
import { seedKeyworkDemo } from './keywork.ts'
import { seedConcernsDemo } from './concerns.ts'
import { seedFamiliesDemo } from './families.ts'
import { seedCarePlanDemo } from './care-plans.ts'
import { seedAttendanceDemo } from './attendance.ts'
import { systemClock } from '../platform/clock.ts'
import { demoPersonAccounts, seedMyViewDemo } from './my-view.ts'
import { seedMeasuresDemo } from './measures.ts'
import { seedCostingDemo } from './costing.ts'
import { inBatches } from './batches.ts'

export const DEMO_PASSWORD = 'demo'

export class DemoRefused extends Error {}

export async function hasAnyEstablishment(db: Db): Promise<boolean> {
  const row = await db.selectFrom('establishment').select('code').limit(1).executeTakeFirst()
  return Boolean(row)
}

/**
 * Builds the demo estate in an empty database. With `reset`, the schema is dropped and rebuilt first:
 * the audit trail cannot be deleted row by row, by design, so a demo reset starts a new database.
 */
export async function seedDemoEstate(
  db: Db,
  options: {
    seed: number
    today: string
    peopleAtFirst?: number | undefined
    reset?: boolean
    environment: string
    /** Told as each step of the build ends, for bench/demo/run.ts to time the steps. */
    afterStep?: (step: string) => void
  },
): Promise<{ people: number; accounts: DemoAccount[] }> {
  if (options.environment === 'production')
    throw new DemoRefused('Waymark will not create demo accounts when NODE_ENV=production')
  if (options.reset) {
    await sql`drop schema public cascade; create schema public`.execute(db)
    await migrateToLatest(db)
  } else if (await hasAnyEstablishment(db)) {
    throw new DemoRefused('The database already holds establishments: use `waymark demo --reset` to rebuild it')
  }

  const people = demoPeople({ seed: options.seed, today: options.today, peopleAtFirst: options.peopleAtFirst })
  const accounts = demoAccounts()
  const passwordHash = await hashPassword(DEMO_PASSWORD)

  const passed = options.afterStep ?? (() => {})
  passed('before')
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('establishment')
      .values(
        demoEstablishments.map((e) => ({ code: e.code, name: e.name, function: e.function, is_in_wales: e.isInWales })),
      )
      .execute()
    const cellIds = new Map<string, number>()
    for (const establishment of demoEstablishments) {
      for (const wing of establishment.wings) {
        const { id: wingId } = await trx
          .insertInto('wing')
          .values({ establishment_code: establishment.code, code: wing.code, name: wing.name })
          .returning('id')
          .executeTakeFirstOrThrow()
        const cells = []
        for (let landing = 1; landing <= wing.landings; landing++)
          for (let number = 1; number <= wing.cellsPerLanding; number++)
            cells.push({
              wing_id: wingId,
              landing,
              label: `${wing.code}-${landing}-${String(number).padStart(3, '0')}`,
              capacity: 2,
            })
        const inserted = await trx.insertInto('cell').values(cells).returning(['id', 'label']).execute()
        for (const cell of inserted) cellIds.set(`${establishment.code}/${wing.code}/${cell.label}`, cell.id)
      }
    }
    await inBatches(people, 500, (batch) =>
      trx
        .insertInto('person')
        .values(
          batch.map((person) => ({
            prison_number: person.prisonNumber,
            first_name: person.firstName,
            last_name: person.lastName,
            date_of_birth: person.dateOfBirth,
            establishment_code: person.establishmentCode,
            cell_id: cellIds.get(`${person.establishmentCode}/${person.wingCode}/${person.cellLabel}`) ?? null,
            cohort: person.cohort,
            reception_on: person.receptionOn,
            sex: person.sex,
            ethnicity: person.ethnicity,
            religion: person.religion,
            disability: person.disability,
            sexual_orientation: person.sexualOrientation,
          })),
        )
        .execute(),
    )
    passed('estate')
    await insertDemoStaff(
      trx,
      accounts.map((account) => ({
        username: account.username,
        display_name: account.displayName,
        password_hash: passwordHash,
        role: account.role,
        establishmentCodes: account.establishmentCodes,
      })),
    )
    passed('insertDemoStaff')
    // Each area's demo is given what any of them needs, and told as it ends by its function's name.
    const areaOptions = {
      seed: options.seed,
      today: options.today,
      passwordHash,
      // Care plans are observed up to the moment the demo starts, so today's demo opens with no false alarms:
      // the moment they are built, not when the first area's demo began.
      get now() {
        return options.today === systemClock.today() ? systemClock.now() : new Date(`${options.today}T12:00:00Z`)
      },
    }
    const areaDemos: ((trx: Db, given: typeof areaOptions) => Promise<unknown>)[] = [
      seedStaffDemo,
      seedKeyworkDemo,
      seedDemoJourneys,
      seedConcernsDemo,
      // Issue 14: worries from families waiting to be matched, and each prison's line for them.
      seedFamiliesDemo,
      seedCarePlanDemo,
      // The regime's offer and everyone's wants, before the allocation demo solves them.
      seedRegimeDemo,
      // Each prison's offer and wants solved and accepted as its timetable (R5), before attendance is recorded.
      seedAllocationDemo,
      // A few weeks of registers, course endings and feedback for the accepted timetable (R7).
      seedAttendanceDemo,
      // C1: a few people at each prison with their own account, once they have a timetable and an officer.
      seedMyViewDemo,
      seedMeasuresDemo,
      seedCostingDemo,
    ]
    for (const seedArea of areaDemos) {
      await seedArea(trx, areaOptions)
      passed(seedArea.name)
    }
  })
  // The statistics gathered during the build count rows of a transaction not yet committed, and PostgreSQL
  // in PGlite never analyzes on its own: without these, every later start plans over empty tables.
  await sql`analyze`.execute(db)
  passed('analyze')
  return { people: people.length, accounts }
}

/** The lines printed at start so a newcomer can sign in straight away. */
export function describeDemoAccounts(accounts: DemoAccount[], baseUrl: string): string {
  const home = accounts.filter((account) => !/\.[a-z]{3}$/.test(account.username))
  const lines = [
    `Waymark is running at ${baseUrl}`,
    `Demo accounts (password "${DEMO_PASSWORD}") at ${demoEstablishments[0].name}:`,
    ...home.map((account) => `  ${account.username.padEnd(20)} ${account.role}`),
    `Other prisons: demo.<role>.${demoEstablishments
      .slice(1)
      .map((e) => e.code.toLowerCase())
      .join(
        ' | demo.<role>.',
      )} (for example demo.officer.${demoEstablishments[2].code.toLowerCase()} at ${demoEstablishments[2].name})`,
    `People in custody, at ${baseUrl}/my/sign-in: ${demoPersonAccounts.flatMap((prison) => prison.usernames).join(', ')}`,
  ]
  return lines.join('\n')
}
