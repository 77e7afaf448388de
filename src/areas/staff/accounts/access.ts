/** Issue 13: an account's access changed, the account disabled or enabled, or given a one-time password. */
import { NotFound } from '../../../platform/errors.ts'
import type { FieldRefusal } from '../../../platform/forms.ts'
import { hashPassword, readableCode as oneTimePassword } from '../../../platform/passwords.ts'
import { isRole, type Actor } from '../../../platform/permissions.ts'
import { endStaffSessions } from '../../../platform/sessions.ts'
import { choicesFor, findChangeableOrThrow, holdAccess, lastAdministrator, scopeOf, type AccountsDeps } from './deps.ts'
import { checkAccess, prisonsAfter, type AccountForm } from './rules.ts'
import * as store from './store.ts'

/**
 * Changes an account's role, organisation, prisons (among the actor's own) and partner lead. Audited. `changed` is
 * false when the form asked for the access the account has already: nothing is written, and the page says so.
 */
export async function changeAccess(
  deps: AccountsDeps,
  actor: Actor,
  id: string,
  form: AccountForm,
): Promise<{ refusals: FieldRefusal[]; changed: boolean }> {
  const { db, audit } = deps
  const scope = await scopeOf(deps, actor)
  return db.transaction().execute(async (trx) => {
    await holdAccess(trx)
    const account = await findChangeableOrThrow(deps, actor, scope, id, trx)
    const choices = await choicesFor(deps, actor, scope, trx)
    const checked = checkAccess(form, choices)
    const refused = (refusals: FieldRefusal[]) => ({ refusals, changed: false })
    if (!checked.values) return refused(checked.refusals)
    const values = checked.values
    const establishmentCodes = prisonsAfter(account.establishmentCodes, choices.prisons, values.establishmentCodes)
    if (establishmentCodes.length === 0)
      return refused([{ field: 'establishmentCodes', messageKey: 'accounts.error.noPrison' }])
    const same =
      values.role === account.role &&
      values.organisationId === account.organisationId &&
      values.managesOrganisationAccounts === account.managesOrganisationAccounts &&
      [...establishmentCodes].sort().join(' ') === [...account.establishmentCodes].sort().join(' ')
    if (same) return { refusals: [], changed: false }
    const last = await lastAdministrator(trx, actor, account, {
      role: values.role,
      isActive: account.isActive,
      establishmentCodes,
    })
    if (last) return refused([last])
    await store.updateAccess(trx, id, values)
    await store.setPrisons(trx, id, establishmentCodes)
    // Less access takes effect at the next request; a changed role is best met by signing in afresh.
    const sessionsEnded = values.role !== account.role ? await endStaffSessions(trx, id) : 0
    await audit.record(trx, actor, {
      action: 'account.access-changed',
      details: {
        accountId: id,
        fromRole: account.role,
        toRole: values.role,
        fromPrisons: account.establishmentCodes.join(' '),
        toPrisons: establishmentCodes.join(' '),
        fromOrganisationId: account.organisationId,
        toOrganisationId: values.organisationId,
        fromPartnerLead: account.managesOrganisationAccounts,
        toPartnerLead: values.managesOrganisationAccounts,
        sessionsEnded,
      },
    })
    return { refusals: [], changed: true }
  })
}

/** Disables an account, ending its sessions at once, or enables it again. Audited. */
export async function setEnabled(
  deps: AccountsDeps,
  actor: Actor,
  id: string,
  enabled: boolean,
): Promise<{ refusal: FieldRefusal } | { changed: boolean }> {
  const { db, audit } = deps
  const scope = await scopeOf(deps, actor)
  return db.transaction().execute(async (trx) => {
    await holdAccess(trx)
    const account = await findChangeableOrThrow(deps, actor, scope, id, trx)
    // Sent twice (a second tab, a button pressed again): it is already so, and the page says that instead.
    if (account.isActive === enabled) return { changed: false }
    if (!enabled && isRole(account.role)) {
      const last = await lastAdministrator(trx, actor, account, {
        role: account.role,
        isActive: false,
        establishmentCodes: account.establishmentCodes,
      })
      if (last) return { refusal: last }
    }
    await store.setActive(trx, id, enabled)
    const sessionsEnded = enabled ? 0 : await endStaffSessions(trx, id)
    await audit.record(trx, actor, {
      action: enabled ? 'account.enabled' : 'account.disabled',
      details: { accountId: id, ...(enabled ? {} : { sessionsEnded }) },
    })
    return { changed: true }
  })
}

/**
 * Gives an account a one-time password, returned once, which its holder must change at their next sign-in;
 * their sessions end (whoever forgot a password may not be the only one using it). Audited, never the
 * password itself.
 */
export async function resetPassword(
  deps: AccountsDeps,
  actor: Actor,
  id: string,
): Promise<{ oneTimePassword: string }> {
  const { db, audit, localSignIn } = deps
  if (!localSignIn) throw new NotFound()
  const scope = await scopeOf(deps, actor)
  const password = oneTimePassword()
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    await findChangeableOrThrow(deps, actor, scope, id, trx)
    await store.setPasswordHash(trx, id, passwordHash, 'one-time')
    const sessionsEnded = await endStaffSessions(trx, id)
    await audit.record(trx, actor, { action: 'account.password-reset', details: { accountId: id, sessionsEnded } })
    return { oneTimePassword: password }
  })
}
