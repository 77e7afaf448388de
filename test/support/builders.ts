import type { Db } from '../../src/db/database.ts'
import type { EstablishmentFunction } from '../../src/db/schema.ts'
import type { Actor, Role } from '../../src/platform/permissions.ts'
import { hashPassword, type PasswordHashCost } from '../../src/platform/passwords.ts'

let counter = 0
/** Unique within a test run, so tests sharing one database never collide. */
export function unique(prefix = ''): string {
  counter += 1
  return `${prefix}${process.pid % 1000}${counter}`
}

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
let establishmentCounter = 0
/** 'Z' and two letters, never 'ZZZ': tests name that one as the prison no one knows. */
export function uniqueEstablishmentCode(): string {
  establishmentCounter += 1
  // 575 would be 'ZZZ'. A lane that made enough prisons reached it, and the API client test's "unknown" prison existed.
  const n = (process.pid * 7 + establishmentCounter) % (24 * 24 - 1)
  return `Z${letters[Math.floor(n / 24)]}${letters[n % 24]}`
}

let prisonNumberCounter = 0
export function uniquePrisonNumber(): string {
  prisonNumberCounter += 1
  const n = (process.pid % 500) * 20 + prisonNumberCounter
  return `T${String(1000 + (n % 9000)).padStart(4, '0')}${letters[Math.floor(n / 9000) % 24]}${letters[(process.pid >> 3) % 24]}`
}

export async function givenEstablishment(
  db: Db,
  overrides: { code?: string; name?: string; function?: EstablishmentFunction } = {},
) {
  const code = overrides.code ?? uniqueEstablishmentCode()
  await db
    .insertInto('establishment')
    .values({ code, name: overrides.name ?? `HMP Test ${code}`, function: overrides.function ?? 'reception' })
    .execute()
  const wing = await db
    .insertInto('wing')
    .values({ establishment_code: code, code: 'A', name: 'A wing' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const cell = await db
    .insertInto('cell')
    .values({ wing_id: wing.id, landing: 1, label: 'A-1-001', capacity: 2 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { code, wingId: wing.id, cellId: cell.id }
}

export async function givenPerson(
  db: Db,
  establishmentCode: string,
  overrides: Partial<{
    prisonNumber: string
    firstName: string
    lastName: string
    dateOfBirth: string
    cellId: number | null
    cohort: string
    ethnicity: string | null
    receptionOn: string
  }> = {},
) {
  const prisonNumber = overrides.prisonNumber ?? uniquePrisonNumber()
  const row = await db
    .insertInto('person')
    .values({
      prison_number: prisonNumber,
      first_name: overrides.firstName ?? 'Test',
      last_name: overrides.lastName ?? `Person${prisonNumber}`,
      date_of_birth: overrides.dateOfBirth ?? '1990-04-17',
      establishment_code: establishmentCode,
      cell_id: overrides.cellId ?? null,
      cohort: overrides.cohort ?? 'mainstream',
      reception_on: overrides.receptionOn ?? '2026-10-01',
      sex: 'M',
      ethnicity: overrides.ethnicity ?? 'W1',
      religion: 'none',
      disability: 'no',
      sexual_orientation: 'heterosexual',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, prisonNumber }
}

export const TEST_PASSWORD = 'correct horse battery'

/**
 * What the accounts the tests make hash their password at: argon2id still, checked by the same code, at the
 * least memory and passes argon2 allows. Production's 19 MiB twice made every test sign-in cost tens of
 * milliseconds of a core (more than a page), and the suite signs in thousands of times; the accounts Waymark
 * itself makes, and the decoy, keep production's cost (src/platform/passwords.test.ts checks it).
 */
export const TEST_PASSWORD_HASH_COST: PasswordHashCost = { memoryKib: 8, passes: 1, parallelism: 1 }

let passwordHash: Promise<string> | undefined
/** The test password's hash, made once. */
export function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD, TEST_PASSWORD_HASH_COST)
  return passwordHash
}

/** A staff account with the test password. */
export async function givenStaffUser(
  db: Db,
  options: { role: Role; establishmentCodes: string[]; username?: string },
): Promise<Actor> {
  const username = options.username ?? unique(`test.${options.role}.`)
  const user = await db
    .insertInto('staff_user')
    .values({
      username,
      display_name: `Test ${options.role}`,
      password_hash: await testPasswordHash(),
      role: options.role,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('staff_user_establishment')
    .values(options.establishmentCodes.map((code) => ({ staff_user_id: user.id, establishment_code: code })))
    .execute()
  return {
    id: user.id,
    username,
    displayName: `Test ${options.role}`,
    role: options.role,
    establishmentCode: options.establishmentCodes[0],
    establishmentCodes: options.establishmentCodes,
  }
}

/**
 * A prison and a staff account at it for each role named, under the name the tests call them by:
 * `givenPrisonWithStaff(db, { lead: 'safercustody', officer: 'keyworker' })` is `{ code, wingId, cellId, lead,
 * officer }`, so a test reads `home.lead` and `receiving.officer`.
 */
export async function givenPrisonWithStaff<Name extends string>(
  db: Db,
  staff: Record<Name, Role>,
  overrides: { function?: EstablishmentFunction } = {},
) {
  const prison = await givenEstablishment(db, overrides)
  const accounts = {} as Record<Name, Actor>
  for (const [name, role] of Object.entries(staff) as [Name, Role][])
    accounts[name] = await givenStaffUser(db, { role, establishmentCodes: [prison.code] })
  return { ...prison, ...accounts }
}
