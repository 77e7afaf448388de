/** Issue 13: the accounts an administrator (or a partner lead) looks after, and one of them. */
import type { Actor } from '../../../platform/permissions.ts'
import { lastSignIns } from '../../../platform/sessions.ts'
import { isRole } from '../../../platform/permissions.ts'
import { pageOf } from '../../../platform/pagination.ts'
import {
  choicesFor,
  findOrThrow,
  lockedBecause,
  rolesFor,
  scopeOf,
  type AccountListQuery,
  type AccountsDeps,
} from './deps.ts'
import { ACCOUNTS_PER_PAGE } from './rules.ts'
import * as store from './store.ts'

/** The accounts at the actor's prisons (or of their organisation), filtered, a page at a time. */
export async function list(deps: AccountsDeps, actor: Actor, query: AccountListQuery) {
  const { db } = deps
  const scope = await scopeOf(deps, actor)
  const filter = {
    establishmentCodes: actor.establishmentCodes,
    ...(scope.kind === 'organisation' ? { organisationId: scope.organisationId, partnersOnly: true } : {}),
    search: query.search?.trim() || undefined,
    role: query.role && isRole(query.role) ? query.role : undefined,
    status: query.status,
  }
  const total = await store.countAccounts(db, filter)
  const { page, pageCount, offset } = pageOf(total, query.page, ACCOUNTS_PER_PAGE)
  const rows = await store.listAccounts(db, filter, { offset, size: ACCOUNTS_PER_PAGE })
  const signedIn = await lastSignIns(
    db,
    rows.map((row) => row.id),
  )
  return {
    scope,
    accounts: rows.map((row) => ({ ...row, lastSignIn: signedIn.get(row.id) ?? null })),
    total,
    page,
    pageCount,
    perPage: ACCOUNTS_PER_PAGE,
    roles: rolesFor(actor, scope),
  }
}

/** One account, its last sign-in, and whether the actor may change it (and if not, why not). */
export async function view(deps: AccountsDeps, actor: Actor, id: string) {
  const { db, localSignIn } = deps
  const scope = await scopeOf(deps, actor)
  const account = await findOrThrow(deps, actor, scope, id)
  const choices = await choicesFor(deps, actor, scope)
  const signedIn = await lastSignIns(db, [account.id])
  return {
    account,
    lastSignIn: signedIn.get(account.id) ?? null,
    lockedBecause: lockedBecause(actor, account, choices.roles),
    choices,
    localSignIn,
  }
}
