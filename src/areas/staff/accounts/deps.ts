import { holdUntilCommit } from '../../../platform/locks.ts'
import type { Db } from '../../../db/database.ts'
import type { Audit } from '../../../platform/audit.ts'
import { Forbidden, NotFound } from '../../../platform/errors.ts'
import type { FieldRefusal } from '../../../platform/forms.ts'
import { isUuid } from '../../../platform/ids.ts'
import { isRole, type Actor, type StaffRole } from '../../../platform/permissions.ts'
import { listOrganisations } from '../store.ts'
import { grantableRoles, inScope, lastAdministratorRefusal, type AccountScope } from './rules.ts'
import * as store from './store.ts'

/** What every account use case is given: built once, in app.ts. */
export type AccountsDeps = { db: Db; audit: Audit; localSignIn: boolean }

export type AccountListQuery = {
  search?: string | undefined
  role?: string | undefined
  status?: 'active' | 'disabled' | undefined
  page?: number | undefined
}

export async function scopeOf(deps: AccountsDeps, actor: Actor, trx: Db = deps.db): Promise<AccountScope> {
  if (actor.role === 'admin') return { kind: 'prisons' }
  if (actor.role === 'partner') {
    const lead = await store.leadOf(trx, actor.id)
    if (lead?.managesOrganisationAccounts && lead.organisationId)
      return { kind: 'organisation', organisationId: lead.organisationId }
  }
  throw new Forbidden()
}

/** The roles the actor may give: a partner lead gives only a partner's. */
export const rolesFor = (actor: Actor, scope: AccountScope) =>
  grantableRoles(actor.role).filter((role) => scope.kind === 'prisons' || role === 'partner')

export async function choicesFor(deps: AccountsDeps, actor: Actor, scope: AccountScope, trx: Db = deps.db) {
  const organisations = (await listOrganisations(trx))
    .filter((organisation) => scope.kind === 'prisons' || organisation.id === scope.organisationId)
    .map((organisation) => ({ ...organisation, isPartner: organisation.kind !== 'prison-service' }))
  return {
    roles: rolesFor(actor, scope),
    prisons: actor.establishmentCodes,
    organisations,
    prisonNames: actor.establishments ?? actor.establishmentCodes.map((code) => ({ code, name: code })),
  }
}

export async function findOrThrow(
  deps: AccountsDeps,
  actor: Actor,
  scope: AccountScope,
  id: string,
  trx: Db = deps.db,
) {
  if (!isUuid(id)) throw new NotFound()
  const account = await store.findAccount(trx, actor.establishmentCodes, id)
  if (!account || !inScope(scope, account, actor.establishmentCodes)) throw new NotFound()
  return account
}

/** Why this account is not the actor's to change, or null when it is. */
export function lockedBecause(actor: Actor, account: store.AccountRow, roles: readonly StaffRole[]): string | null {
  if (account.id === actor.id) return 'accounts.locked.own'
  if (!roles.some((role) => role === account.role)) return 'accounts.locked.role'
  return null
}

/** An account the actor may change: Forbidden for their own, or one whose role they cannot give. */
export async function findChangeableOrThrow(
  deps: AccountsDeps,
  actor: Actor,
  scope: AccountScope,
  id: string,
  trx: Db,
) {
  const account = await findOrThrow(deps, actor, scope, id, trx)
  if (lockedBecause(actor, account, rolesFor(actor, scope))) throw new Forbidden()
  return account
}

const prisonName = (actor: Actor, code: string) => actor.establishments?.find((e) => e.code === code)?.name ?? code

/**
 * Holds every account's access until the transaction ends, taken before the account is read: two
 * administrators disabling each other at once would each count the other as still there and leave the prison
 * with none, and the same account disabled twice at once would be judged on how it was before the first.
 */
export async function holdAccess(trx: Db) {
  await holdUntilCommit(trx, 'account-access')
}

export async function lastAdministrator(
  trx: Db,
  actor: Actor,
  account: store.AccountRow,
  after: { role: StaffRole; isActive: boolean; establishmentCodes: readonly string[] },
): Promise<FieldRefusal | null> {
  if (!isRole(account.role)) return null
  const refusal = lastAdministratorRefusal(
    { role: account.role, isActive: account.isActive, establishmentCodes: account.establishmentCodes },
    after,
    await store.activeAdministratorsAt(trx, account.establishmentCodes),
  )
  return refusal && { ...refusal, values: { prison: prisonName(actor, String(refusal.values?.prison)) } }
}
