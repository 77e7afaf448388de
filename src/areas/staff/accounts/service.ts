import type { Db } from '../../../db/database.ts'
import type { Audit } from '../../../platform/audit.ts'
import { Forbidden, NotFound } from '../../../platform/errors.ts'
import type { FieldRefusal } from '../../../platform/forms.ts'
import { hashPassword, readableCode as oneTimePassword } from '../../../platform/passwords.ts'
import { isRole, type Actor, type StaffRole } from '../../../platform/permissions.ts'
import { endStaffSessions, lastSignIns } from '../../../platform/sessions.ts'
import { listOrganisations } from '../store.ts'
import {
  ACCOUNTS_PER_PAGE,
  checkAccess,
  checkNewAccount,
  grantableRoles,
  inScope,
  lastAdministratorRefusal,
  prisonsAfter,
  type AccountForm,
  type AccountScope,
} from './rules.ts'
import * as store from './store.ts'
import { isUuid } from '../../../platform/ids.ts'

export type AccountsService = ReturnType<typeof createAccountsService>

export type AccountListQuery = {
  search?: string | undefined
  role?: string | undefined
  status?: 'active' | 'disabled' | undefined
  page?: number | undefined
}

/**
 * Issue 13: a prison administers its own accounts. An administrator creates them, gives and takes away roles
 * and prisons, disables and enables them and gives one-time passwords, at the prisons they hold and never
 * beyond what they hold themselves; a partner lead does the same for their own organisation's partners.
 * Every change is audited with who made it.
 */
export function createAccountsService({ db, audit, localSignIn }: { db: Db; audit: Audit; localSignIn: boolean }) {
  async function scopeOf(actor: Actor, trx: Db = db): Promise<AccountScope> {
    if (actor.role === 'admin') return { kind: 'prisons' }
    if (actor.role === 'partner') {
      const lead = await store.leadOf(trx, actor.id)
      if (lead?.managesOrganisationAccounts && lead.organisationId)
        return { kind: 'organisation', organisationId: lead.organisationId }
    }
    throw new Forbidden()
  }

  /** The roles the actor may give: a partner lead gives only a partner's. */
  const rolesFor = (actor: Actor, scope: AccountScope) =>
    grantableRoles(actor.role).filter((role) => scope.kind === 'prisons' || role === 'partner')

  async function choicesFor(actor: Actor, scope: AccountScope, trx: Db = db) {
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

  async function findOrThrow(actor: Actor, scope: AccountScope, id: string, trx: Db = db) {
    if (!isUuid(id)) throw new NotFound()
    const account = await store.findAccount(trx, actor.establishmentCodes, id)
    if (!account || !inScope(scope, account, actor.establishmentCodes)) throw new NotFound()
    return account
  }

  /** Why this account is not the actor's to change, or null when it is. */
  function lockedBecause(actor: Actor, account: store.AccountRow, roles: readonly StaffRole[]): string | null {
    if (account.id === actor.id) return 'accounts.locked.own'
    if (!roles.some((role) => role === account.role)) return 'accounts.locked.role'
    return null
  }

  /** An account the actor may change: Forbidden for their own, or one whose role they cannot give. */
  async function findChangeableOrThrow(actor: Actor, scope: AccountScope, id: string, trx: Db) {
    const account = await findOrThrow(actor, scope, id, trx)
    if (lockedBecause(actor, account, rolesFor(actor, scope))) throw new Forbidden()
    return account
  }

  const prisonName = (actor: Actor, code: string) => actor.establishments?.find((e) => e.code === code)?.name ?? code

  async function lastAdministrator(
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

  return {
    /** The accounts at the actor's prisons (or of their organisation), filtered, a page at a time. */
    async list(actor: Actor, query: AccountListQuery) {
      const scope = await scopeOf(actor)
      const filter = {
        establishmentCodes: actor.establishmentCodes,
        ...(scope.kind === 'organisation' ? { organisationId: scope.organisationId, partnersOnly: true } : {}),
        search: query.search?.trim() || undefined,
        role: query.role && isRole(query.role) ? query.role : undefined,
        status: query.status,
      }
      const total = await store.countAccounts(db, filter)
      const pages = Math.max(1, Math.ceil(total / ACCOUNTS_PER_PAGE))
      const page = Math.min(Math.max(1, query.page ?? 1), pages)
      const rows = await store.listAccounts(db, filter, {
        offset: (page - 1) * ACCOUNTS_PER_PAGE,
        size: ACCOUNTS_PER_PAGE,
      })
      const signedIn = await lastSignIns(
        db,
        rows.map((row) => row.id),
      )
      return {
        scope,
        accounts: rows.map((row) => ({ ...row, lastSignIn: signedIn.get(row.id) ?? null })),
        total,
        page,
        pages,
        perPage: ACCOUNTS_PER_PAGE,
        roles: rolesFor(actor, scope),
      }
    },

    /** What a new account may be given. */
    async newAccountChoices(actor: Actor) {
      return choicesFor(actor, await scopeOf(actor))
    },

    /**
     * Creates an account with the access chosen. Where Waymark's own passwords are used, the account gets a
     * one-time password, returned once to be shown to the administrator and changed at the first sign-in.
     */
    async create(
      actor: Actor,
      form: AccountForm,
    ): Promise<{ refusals: FieldRefusal[] } | { id: string; oneTimePassword: string | null }> {
      const scope = await scopeOf(actor)
      // With sign-in through the identity provider only, the account has no password anyone knows.
      const password = localSignIn ? oneTimePassword() : null
      // Hashed before the transaction: argon2 takes a while, and the transaction holds the connection.
      const passwordHash = await hashPassword(password ?? `${oneTimePassword()}${oneTimePassword()}`)
      return db.transaction().execute(async (trx) => {
        const choices = await choicesFor(actor, scope, trx)
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
    },

    /** One account, its last sign-in, and whether the actor may change it (and if not, why not). */
    async view(actor: Actor, id: string) {
      const scope = await scopeOf(actor)
      const account = await findOrThrow(actor, scope, id)
      const choices = await choicesFor(actor, scope)
      const signedIn = await lastSignIns(db, [account.id])
      return {
        account,
        lastSignIn: signedIn.get(account.id) ?? null,
        lockedBecause: lockedBecause(actor, account, choices.roles),
        choices,
        localSignIn,
      }
    },

    /** Changes an account's role, organisation, prisons (among the actor's own) and partner lead. Audited. */
    async changeAccess(actor: Actor, id: string, form: AccountForm): Promise<FieldRefusal[]> {
      const scope = await scopeOf(actor)
      return db.transaction().execute(async (trx) => {
        const account = await findChangeableOrThrow(actor, scope, id, trx)
        const choices = await choicesFor(actor, scope, trx)
        const checked = checkAccess(form, choices)
        if (!checked.values) return checked.refusals
        const values = checked.values
        const establishmentCodes = prisonsAfter(account.establishmentCodes, choices.prisons, values.establishmentCodes)
        if (establishmentCodes.length === 0)
          return [{ field: 'establishmentCodes', messageKey: 'accounts.error.noPrison' }]
        const last = await lastAdministrator(trx, actor, account, {
          role: values.role,
          isActive: account.isActive,
          establishmentCodes,
        })
        if (last) return [last]
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
        return []
      })
    },

    /** Disables an account, ending its sessions at once, or enables it again. Audited. */
    async setEnabled(
      actor: Actor,
      id: string,
      enabled: boolean,
    ): Promise<{ refusal: FieldRefusal } | { changed: boolean }> {
      const scope = await scopeOf(actor)
      return db.transaction().execute(async (trx) => {
        const account = await findChangeableOrThrow(actor, scope, id, trx)
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
    },

    /**
     * Gives an account a one-time password, returned once, which its holder must change at their next sign-in;
     * their sessions end (whoever forgot a password may not be the only one using it). Audited, never the
     * password itself.
     */
    async resetPassword(actor: Actor, id: string): Promise<{ oneTimePassword: string }> {
      if (!localSignIn) throw new NotFound()
      const scope = await scopeOf(actor)
      const password = oneTimePassword()
      const passwordHash = await hashPassword(password)
      return db.transaction().execute(async (trx) => {
        await findChangeableOrThrow(actor, scope, id, trx)
        await store.setOneTimePassword(trx, id, passwordHash)
        const sessionsEnded = await endStaffSessions(trx, id)
        await audit.record(trx, actor, { action: 'account.password-reset', details: { accountId: id, sessionsEnded } })
        return { oneTimePassword: password }
      })
    },
  }
}
