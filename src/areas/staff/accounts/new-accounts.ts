/** Issue 13: a new account, with the access chosen and, where Waymark's own passwords are used, a one-time password. */
import type { FieldRefusal } from '../../../platform/forms.ts'
import { hashPassword, readableCode as oneTimePassword } from '../../../platform/passwords.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { choicesFor, scopeOf, type AccountsDeps } from './deps.ts'
import { checkNewAccount, type AccountForm } from './rules.ts'
import * as store from './store.ts'

/** What a new account may be given. */
export async function newAccountChoices(deps: AccountsDeps, actor: Actor) {
  return choicesFor(deps, actor, await scopeOf(deps, actor))
}

/**
 * Creates an account with the access chosen. Where Waymark's own passwords are used, the account gets a
 * one-time password, returned once to be shown to the administrator and changed at the first sign-in.
 */
export async function create(
  deps: AccountsDeps,
  actor: Actor,
  form: AccountForm,
): Promise<{ refusals: FieldRefusal[] } | { id: string; oneTimePassword: string | null }> {
  const { db, audit, localSignIn } = deps
  const scope = await scopeOf(deps, actor)
  // With sign-in through the identity provider only, the account has no password anyone knows.
  const password = localSignIn ? oneTimePassword() : null
  // Hashed before the transaction: argon2 takes a while, and the transaction holds the connection.
  const passwordHash = await hashPassword(password ?? `${oneTimePassword()}${oneTimePassword()}`)
  return db.transaction().execute(async (trx) => {
    const choices = await choicesFor(deps, actor, scope, trx)
    const wanted = (form.username ?? '').trim().toLowerCase()
    const taken = await store.isUsernameTaken(trx, wanted)
    const checked = checkNewAccount(form, { ...choices, usernameTaken: (username) => taken && username === wanted })
    if (!checked.values) return { refusals: checked.refusals }
    const values = checked.values
    const id = await store.insertAccount(trx, {
      username: values.username,
      displayName: values.displayName,
      role: values.role,
      organisationId: values.organisationId,
      passwordHash,
      mustChangePassword: password !== null,
      managesOrganisationAccounts: values.managesOrganisationAccounts,
    })
    await store.setPrisons(trx, id, values.establishmentCodes)
    await audit.record(trx, actor, {
      action: 'account.created',
      details: {
        accountId: id,
        role: values.role,
        prisons: values.establishmentCodes.join(' '),
        organisationId: values.organisationId,
        partnerLead: values.managesOrganisationAccounts,
      },
    })
    return { id, oneTimePassword: password }
  })
}
