import type { FieldRefusal } from '../../../platform/forms.ts'
import { hasPermission, roles, type Permission, type Role, type StaffRole } from '../../../platform/permissions.ts'

/**
 * Issue 13: who an administrator may manage. An administrator manages the accounts at the prisons they hold;
 * a partner lead manages only their own organisation's partner workers, at the prisons they hold themselves.
 */
export type AccountScope = { kind: 'prisons' } | { kind: 'organisation'; organisationId: string }

/** The permissions over who may do what: to give them is to give a say over others' access. */
const ACCESS_PERMISSIONS = ['accounts.manage', 'organisations.manage'] as const satisfies readonly Permission[]

/**
 * No one gives a power over access they do not hold: a role may be given only when every permission over
 * accounts and organisations it carries is one the giver holds too. The work a role does (recording an
 * observation, running the allocator) is not the administrator's own, but deciding who does it is. So an
 * administrator gives every role at their prisons, their own among them; no other role gives an
 * administrator's; a partner lead, limited to their own organisation, gives a partner's only.
 */
export function grantableRoles(giver: Role): StaffRole[] {
  return roles.filter((role) =>
    ACCESS_PERMISSIONS.every((permission) => !hasPermission(role, permission) || hasPermission(giver, permission)),
  )
}

/** Usernames are how people sign in, and what an identity provider's claim is matched to: lower case. */
const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/

export type AccountForm = {
  username?: string
  displayName?: string
  role?: string
  organisationId?: string
  establishmentCodes?: string | string[]
  managesOrganisationAccounts?: string
}

export type AccountChoices = {
  roles: readonly StaffRole[]
  /** The prisons the giver holds, which are the only ones they may give or take away. */
  prisons: readonly string[]
  /** The organisations that may be chosen, with whether each is a partner (not the prison service). */
  organisations: readonly { id: string; isPartner: boolean }[]
  /** For a new account: the usernames already taken. */
  usernameTaken?: (username: string) => boolean
}

export type AccountAccess = {
  role: StaffRole
  organisationId: string | null
  /** The prisons chosen among the giver's own; the account's other prisons are not the giver's to change. */
  establishmentCodes: string[]
  managesOrganisationAccounts: boolean
}

const listOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : [])

/**
 * What a new account or a change of access will hold, or every refusal beside its field. A partner belongs to
 * a partner organisation; at least one prison is chosen; only a partner may be a partner lead.
 */
export function checkAccess(
  form: AccountForm,
  choices: AccountChoices,
): { values: AccountAccess; refusals: [] } | { values: null; refusals: FieldRefusal[] } {
  const refusals: FieldRefusal[] = []
  const role = choices.roles.find((candidate) => candidate === form.role)
  if (!role) refusals.push({ field: 'role', messageKey: 'accounts.error.role' })
  const organisation = form.organisationId
    ? choices.organisations.find((candidate) => candidate.id === form.organisationId)
    : undefined
  if (form.organisationId && !organisation)
    refusals.push({ field: 'organisationId', messageKey: 'accounts.error.organisation' })
  else if (role === 'partner' && !organisation?.isPartner)
    refusals.push({ field: 'organisationId', messageKey: 'accounts.error.partnerOrganisation' })
  const chosen = listOf(form.establishmentCodes)
  const establishmentCodes = choices.prisons.filter((code) => chosen.includes(code))
  if (chosen.some((code) => !choices.prisons.includes(code)))
    refusals.push({ field: 'establishmentCodes', messageKey: 'accounts.error.notYourPrison' })
  const managesOrganisationAccounts = form.managesOrganisationAccounts === 'yes'
  if (managesOrganisationAccounts && role !== 'partner')
    refusals.push({ field: 'managesOrganisationAccounts', messageKey: 'accounts.error.leadNotPartner' })
  if (refusals.length > 0 || !role) return { values: null, refusals }
  return {
    values: { role, organisationId: organisation?.id ?? null, establishmentCodes, managesOrganisationAccounts },
    refusals: [],
  }
}

/** A new account: a username no one has, a name, and its access as above. */
export function checkNewAccount(
  form: AccountForm,
  choices: AccountChoices,
):
  | { values: AccountAccess & { username: string; displayName: string }; refusals: [] }
  | { values: null; refusals: FieldRefusal[] } {
  const refusals: FieldRefusal[] = []
  const username = (form.username ?? '').trim().toLowerCase()
  const displayName = (form.displayName ?? '').trim().replace(/\s+/g, ' ')
  if (!username) refusals.push({ field: 'username', messageKey: 'accounts.error.usernameMissing' })
  else if (!USERNAME.test(username)) refusals.push({ field: 'username', messageKey: 'accounts.error.usernameForm' })
  else if (choices.usernameTaken?.(username))
    refusals.push({ field: 'username', messageKey: 'accounts.error.usernameTaken' })
  if (!displayName) refusals.push({ field: 'displayName', messageKey: 'accounts.error.nameMissing' })
  else if (displayName.length > 100) refusals.push({ field: 'displayName', messageKey: 'accounts.error.nameLength' })
  const access = checkAccess(form, choices)
  if (access.values && access.values.establishmentCodes.length === 0)
    refusals.push({ field: 'establishmentCodes', messageKey: 'accounts.error.noPrison' })
  refusals.push(...access.refusals)
  if (refusals.length > 0 || !access.values) return { values: null, refusals }
  return { values: { ...access.values, username, displayName }, refusals: [] }
}

/** The prisons an account will hold after a change: the giver's choice among their own, and the rest kept. */
export function prisonsAfter(held: readonly string[], givers: readonly string[], chosen: readonly string[]): string[] {
  return [...new Set([...held.filter((code) => !givers.includes(code)), ...chosen])].sort()
}

/**
 * A prison is never left without an active administrator: refused when the change takes the role, the
 * prison or the account itself from the last one. `adminsAt` counts each prison's active administrators now.
 */
export function lastAdministratorRefusal(
  before: { role: StaffRole; isActive: boolean; establishmentCodes: readonly string[] },
  after: { role: StaffRole; isActive: boolean; establishmentCodes: readonly string[] },
  adminsAt: ReadonlyMap<string, number>,
): FieldRefusal | null {
  if (before.role !== 'admin' || !before.isActive) return null
  const left = before.establishmentCodes.filter(
    (code) => after.role !== 'admin' || !after.isActive || !after.establishmentCodes.includes(code),
  )
  const alone = left.find((code) => (adminsAt.get(code) ?? 0) <= 1)
  return alone ? { field: 'role', messageKey: 'accounts.error.lastAdministrator', values: { prison: alone } } : null
}

/** Whether an account is one this scope may manage. */
export function inScope(
  scope: AccountScope,
  account: { role: string; organisationId: string | null; establishmentCodes: readonly string[] },
  prisons: readonly string[],
): boolean {
  if (!account.establishmentCodes.some((code) => prisons.includes(code))) return false
  return scope.kind === 'prisons' || (account.role === 'partner' && account.organisationId === scope.organisationId)
}

/** Accounts a page at a time, as the MoJ pagination shows them. */
export const ACCOUNTS_PER_PAGE = 25
