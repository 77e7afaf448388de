import { sql } from 'kysely'
import type { Db } from '../../../db/database.ts'

export type AccountRow = {
  id: string
  username: string
  displayName: string
  role: string
  isActive: boolean
  mustChangePassword: boolean
  managesOrganisationAccounts: boolean
  organisationId: string | null
  organisationName: string | null
  establishmentCodes: string[]
  /** The same prisons by name, for the account's own page. */
  prisonNames: string[]
}

export type AccountFilter = {
  /** The prisons whose accounts are listed: those with at least one of them. */
  establishmentCodes: readonly string[]
  /** A partner lead's own organisation's partners only. */
  organisationId?: string | undefined
  partnersOnly?: boolean
  role?: string | undefined
  status?: 'active' | 'disabled' | undefined
  /** Part of a name or username, in any capitals. */
  search?: string | undefined
}

function accounts(db: Db, filter: AccountFilter) {
  let query = db
    .selectFrom('staff_user as s')
    .leftJoin('organisation as o', 'o.id', 's.organisation_id')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_user_establishment as e')
          .select('e.staff_user_id')
          .whereRef('e.staff_user_id', '=', 's.id')
          .where('e.establishment_code', 'in', filter.establishmentCodes.length ? filter.establishmentCodes : ['']),
      ),
    )
  if (filter.organisationId) query = query.where('s.organisation_id', '=', filter.organisationId)
  if (filter.partnersOnly) query = query.where('s.role', '=', 'partner')
  if (filter.role) query = query.where('s.role', '=', filter.role)
  if (filter.status) query = query.where('s.is_active', '=', filter.status === 'active')
  if (filter.search) {
    const like = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`
    query = query.where((eb) => eb.or([eb(sql`lower(s.display_name)`, 'like', like), eb('s.username', 'like', like)]))
  }
  return query
}

async function withPrisons(
  db: Db,
  rows: Omit<AccountRow, 'establishmentCodes' | 'prisonNames'>[],
): Promise<AccountRow[]> {
  if (rows.length === 0) return []
  const prisons = await db
    .selectFrom('staff_user_establishment as a')
    .innerJoin('establishment as e', 'e.code', 'a.establishment_code')
    .select(['a.staff_user_id as id', 'a.establishment_code as code', 'e.name'])
    .where(
      'a.staff_user_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('a.establishment_code')
    .execute()
  return rows.map((row) => {
    const held = prisons.filter((prison) => prison.id === row.id)
    return { ...row, establishmentCodes: held.map((prison) => prison.code), prisonNames: held.map((p) => p.name) }
  })
}

const accountColumns = [
  's.id',
  's.username',
  's.display_name as displayName',
  's.role',
  's.is_active as isActive',
  's.must_change_password as mustChangePassword',
  's.manages_organisation_accounts as managesOrganisationAccounts',
  's.organisation_id as organisationId',
  'o.name as organisationName',
] as const

/** How many accounts the filter finds. */
export async function countAccounts(db: Db, filter: AccountFilter): Promise<number> {
  const row = await accounts(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** One page of the accounts the filter finds, by name. */
export async function listAccounts(db: Db, filter: AccountFilter, page: { offset: number; size: number }) {
  const rows = await accounts(db, filter)
    .select(accountColumns)
    .orderBy('s.display_name')
    .orderBy('s.username')
    .offset(page.offset)
    .limit(page.size)
    .execute()
  return withPrisons(db, rows)
}

/** One account with a prison among these, or undefined. */
export async function findAccount(db: Db, establishmentCodes: readonly string[], id: string) {
  const row = await accounts(db, { establishmentCodes })
    .select(accountColumns)
    .where('s.id', '=', id)
    .executeTakeFirst()
  return row ? (await withPrisons(db, [row]))[0] : undefined
}

export async function isUsernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('staff_user').select('id').where('username', '=', username).executeTakeFirst()
  return Boolean(row)
}

/** The organisation a member of staff belongs to, and whether they are a partner lead. */
export async function leadOf(db: Db, staffUserId: string) {
  return db
    .selectFrom('staff_user')
    .select(['organisation_id as organisationId', 'manages_organisation_accounts as managesOrganisationAccounts'])
    .where('id', '=', staffUserId)
    .executeTakeFirst()
}

/** How many active administrators each of these prisons has. */
export async function activeAdministratorsAt(db: Db, establishmentCodes: readonly string[]) {
  if (establishmentCodes.length === 0) return new Map<string, number>()
  const rows = await db
    .selectFrom('staff_user_establishment as e')
    .innerJoin('staff_user as s', 's.id', 'e.staff_user_id')
    .select(['e.establishment_code as code', (eb) => eb.fn.countAll<string>().as('count')])
    .where('s.role', '=', 'admin')
    .where('s.is_active', '=', true)
    .where('e.establishment_code', 'in', establishmentCodes)
    .groupBy('e.establishment_code')
    .execute()
  return new Map(rows.map((row) => [row.code, Number(row.count)]))
}

export async function insertAccount(
  db: Db,
  account: {
    username: string
    displayName: string
    role: string
    organisationId: string | null
    passwordHash: string
    mustChangePassword: boolean
    managesOrganisationAccounts: boolean
  },
): Promise<string> {
  const row = await db
    .insertInto('staff_user')
    .values({
      username: account.username,
      display_name: account.displayName,
      role: account.role,
      organisation_id: account.organisationId,
      password_hash: account.passwordHash,
      must_change_password: account.mustChangePassword,
      manages_organisation_accounts: account.managesOrganisationAccounts,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateAccess(
  db: Db,
  id: string,
  access: { role: string; organisationId: string | null; managesOrganisationAccounts: boolean },
) {
  await db
    .updateTable('staff_user')
    .set({
      role: access.role,
      organisation_id: access.organisationId,
      manages_organisation_accounts: access.managesOrganisationAccounts,
    })
    .where('id', '=', id)
    .execute()
}

/** Sets the account's prisons to these, keeping its home prison where it still holds it. */
export async function setPrisons(db: Db, id: string, establishmentCodes: readonly string[]) {
  const held = await db
    .selectFrom('staff_user_establishment')
    .select(['establishment_code as code', 'is_home as isHome'])
    .where('staff_user_id', '=', id)
    .execute()
  const gone = held.filter((row) => !establishmentCodes.includes(row.code)).map((row) => row.code)
  if (gone.length > 0)
    await db
      .deleteFrom('staff_user_establishment')
      .where('staff_user_id', '=', id)
      .where('establishment_code', 'in', gone)
      .execute()
  const added = establishmentCodes.filter((code) => !held.some((row) => row.code === code))
  const homeKept = held.some((row) => row.isHome && establishmentCodes.includes(row.code))
  if (added.length > 0)
    await db
      .insertInto('staff_user_establishment')
      .values(
        added.map((code, index) => ({
          staff_user_id: id,
          establishment_code: code,
          is_home: !homeKept && index === 0 && !held.some((row) => establishmentCodes.includes(row.code)),
        })),
      )
      .execute()
}

export async function setActive(db: Db, id: string, isActive: boolean) {
  await db.updateTable('staff_user').set({ is_active: isActive }).where('id', '=', id).execute()
}

/**
 * Issue 13: an account's new password, already hashed, in the caller's transaction: one the member of staff
 * chose, or a one-time password an administrator gives, which must be changed at the next sign-in.
 */
export async function setPasswordHash(db: Db, id: string, passwordHash: string, kind: 'chosen' | 'one-time') {
  await db
    .updateTable('staff_user')
    .set({ password_hash: passwordHash, must_change_password: kind === 'one-time' })
    .where('id', '=', id)
    .execute()
}
