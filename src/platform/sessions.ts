import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Db } from '../db/database.ts'
import type { Audit } from './audit.ts'
import type { Clock } from './clock.ts'
import { isUuid } from './ids.ts'
import { isRole, type Actor } from './permissions.ts'
import { decoyPasswordHash, hashPassword, newPasswordProblem, verifyPassword } from './passwords.ts'
import { createSignInDelay, type Sleep } from './sign-in-delay.ts'
import { bindUseCases, type Bound } from './use-cases.ts'

export type SessionPolicy = { idleMinutes: number; absoluteHours: number }

export type SignInOutcome =
  | { signedIn: true; token: string; actor: Actor }
  /** `codeExpired`: the right code from a person's slip, after it ran out (only the code's holder learns it). */
  | { signedIn: false; codeExpired?: true }

/** How a staff session began: Waymark's own password, or the prison's identity provider. */
export type SignedInWith = 'password' | 'oidc'

/** Only a hash of the token is stored, so a copy of the database cannot be used to sign in as anyone. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export type Sessions = ReturnType<typeof createSessions>

/** Ends every sign-in session of these accounts of people in custody, in the caller's transaction; how many. */
export async function endPersonAccountSessions(db: Db, personAccountIds: readonly string[]): Promise<number> {
  if (personAccountIds.length === 0) return 0
  const rows = await db
    .deleteFrom('web_session')
    .where('person_account_id', 'in', personAccountIds)
    .returning('token_hash')
    .execute()
  return rows.length
}

/**
 * Issue 13: ends every sign-in session of a member of staff, in the caller's transaction (an account
 * disabled, or given a one-time password): their next request is signed out. How many ended.
 */
export async function endStaffSessions(db: Db, staffUserId: string): Promise<number> {
  const rows = await db.deleteFrom('web_session').where('staff_user_id', '=', staffUserId).returning('id').execute()
  return rows.length
}

/** Issue 13: when each of these accounts last signed in, from the audit trail's sign-ins; absent for never. */
export async function lastSignIns(db: Db, accountIds: readonly string[]): Promise<Map<string, Date>> {
  if (accountIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('audit_event')
    .select(['actor_id as accountId', (eb) => eb.fn.max('occurred_at').as('at')])
    .where('action', '=', 'sign-in.succeeded')
    .where('actor_id', 'in', accountIds)
    .groupBy('actor_id')
    .execute()
  return new Map(rows.map((row) => [row.accountId!, new Date(row.at)]))
}

/** What the sessions' steps are given; the sign-in delay is built once, with the sessions. */
type SessionDeps = {
  db: Db
  clock: Clock
  audit: Audit
  policy: SessionPolicy
  /** How the sign-in delay waits; tests pass one that moves their clock on instead. */
  sleep?: Sleep
  /** Issue 13: stores a member of staff's new password hash; the staff area owns the account. */
  setPasswordHash: (trx: Db, staffUserId: string, passwordHash: string) => Promise<void>
  signInDelay: ReturnType<typeof createSignInDelay>
}

/**
 * A member of staff as an actor at one of their prisons, or null for an account that is disabled, has no
 * role Waymark knows, or does not work there. Also how another system's write is made under the name of the
 * member of staff it says did it (issue 15).
 */
export async function staffActorAt(db: Db, staffUserId: string, establishmentCode: string): Promise<Actor | null> {
  const user = await selectStaffUser(db).where('u.id', '=', staffUserId).executeTakeFirst()
  return user ? staffActorFrom(user, establishmentCode) : null
}

/** What a member of staff's actor is made of, from `staff_user as u`. */
const staffUserColumns = [
  'u.id',
  'u.username',
  'u.display_name as displayName',
  'u.role',
  'u.is_active as isActive',
  'u.must_change_password as mustChangePassword',
  'u.manages_organisation_accounts as managesOrganisationAccounts',
] as const

/**
 * The prisons of the member of staff in `staff_user as u`, by code, in the same query as the account: each
 * request's sign-in check is one query, not three (issue 19).
 */
function establishmentsOfStaffUser(db: Db) {
  return jsonArrayFrom(
    db
      .selectFrom('staff_user_establishment as s')
      .innerJoin('establishment as e', 'e.code', 's.establishment_code')
      .select(['s.establishment_code as code', 'e.name'])
      .where(sql<boolean>`s.staff_user_id = u.id`)
      .orderBy('s.establishment_code'),
  ).as('establishments')
}

type OrNull<Row> = { [Column in keyof Row]: Row[Column] | null }

/** A member of staff's account and prisons, as their actor is made from it. */
function selectStaffUser(db: Db) {
  return db.selectFrom('staff_user as u').select([...staffUserColumns, establishmentsOfStaffUser(db)])
}

type StaffUserRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectStaffUser>['executeTakeFirst']>>>

/** The actor a member of staff is at one of their prisons, or null (disabled, an unknown role, not theirs). */
function staffActorFrom(user: StaffUserRow, establishmentCode: string): Actor | null {
  if (!user.isActive || !isRole(user.role)) return null
  const { establishments } = user
  const establishmentCodes = establishments.map((row) => row.code)
  if (!establishmentCodes.includes(establishmentCode)) return null
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    establishmentCode,
    establishmentName: establishments.find((row) => row.code === establishmentCode)?.name,
    establishmentCodes,
    establishments,
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
    ...(user.managesOrganisationAccounts && user.role === 'partner' ? { managesOrganisationAccounts: true } : {}),
  }
}

/** Issue 15: the member of staff a username names, as an actor at this prison, or null (as `staffActorAt`). */
export async function staffActorNamed(db: Db, username: string, establishmentCode: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('staff_user')
    .select('id')
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst()
  return user ? staffActorAt(db, user.id, establishmentCode) : null
}

/** C1: a person in custody as an actor: their own prison only, for as long as their account is open. */
async function loadPersonActor(deps: SessionDeps, personAccountId: string): Promise<Actor | null> {
  const { db } = deps
  const account = await db
    .selectFrom('person_account as a')
    .innerJoin('person_summary as p', 'p.id', 'a.person_id')
    .innerJoin('establishment as e', 'e.code', 'p.establishment_code')
    .select([
      'a.id',
      'a.username',
      'a.is_active as isActive',
      'a.must_choose_password as mustChoosePassword',
      'p.id as personId',
      'p.prison_number as prisonNumber',
      'p.first_name as firstName',
      'p.establishment_code as establishmentCode',
      'e.name as establishmentName',
    ])
    .where('a.id', '=', personAccountId)
    .executeTakeFirst()
  if (!account || !account.isActive) return null
  return {
    id: account.id,
    username: account.username,
    displayName: account.firstName,
    role: 'person',
    establishmentCode: account.establishmentCode,
    establishmentName: account.establishmentName,
    establishmentCodes: [account.establishmentCode],
    person: { id: account.personId, prisonNumber: account.prisonNumber },
    ...(account.mustChoosePassword ? { mustChangePassword: true } : {}),
  }
}

async function startSession(
  deps: SessionDeps,
  owner: { staffUserId: string } | { personAccountId: string },
  actor: Actor,
  signedInWith: SignedInWith = 'password',
  device = '',
) {
  const { db, clock, audit, policy } = deps
  const token = randomBytes(32).toString('base64url')
  const now = clock.now()
  // A session and the record of its sign-in are saved together: never a way in that the trail does not show.
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('web_session')
      .values({
        token_hash: hashToken(token),
        staff_user_id: 'staffUserId' in owner ? owner.staffUserId : null,
        person_account_id: 'personAccountId' in owner ? owner.personAccountId : null,
        establishment_code: actor.establishmentCode,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
        signed_in_with: signedInWith,
        device,
      })
      .execute()
    await audit.record(trx, actor, {
      action: 'sign-in.succeeded',
      ...(signedInWith === 'oidc' ? { details: { with: 'identity-provider' } } : {}),
    })
  })
  return token
}

/** C1: a person in custody signs in to their own view with their own account (never a staff account). */
async function checkPersonPassword(deps: SessionDeps, username: string, password: string): Promise<SignInOutcome> {
  const { db, clock, audit } = deps
  const account = await db
    .selectFrom('person_account')
    .select([
      'id',
      'password_hash as passwordHash',
      'is_active as isActive',
      'must_choose_password as mustChoosePassword',
      'code_expires_at as codeExpiresAt',
    ])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst()
  const passwordMatches = await verifyPassword(password, account?.passwordHash ?? (await decoyPasswordHash))
  // The right code from a slip that has run out: said to whoever typed it, and to no one else.
  const codeExpired = Boolean(
    account?.isActive &&
    passwordMatches &&
    account.mustChoosePassword &&
    account.codeExpiresAt &&
    new Date(account.codeExpiresAt).getTime() <= clock.now().getTime(),
  )
  const actor =
    account && account.isActive && passwordMatches && !codeExpired ? await loadPersonActor(deps, account.id) : null
  if (!account || !actor) {
    await audit.record(
      db,
      { id: null, username: username.trim().toLowerCase().slice(0, 64) },
      {
        action: 'sign-in.refused',
        details: { view: 'person', ...(codeExpired ? { reason: 'code-expired' } : {}) },
      },
    )
    return codeExpired ? { signedIn: false, codeExpired: true } : { signedIn: false }
  }
  return { signedIn: true, token: await startSession(deps, { personAccountId: account.id }, actor), actor }
}

async function signInStaff(
  deps: SessionDeps,
  username: string,
  password: string,
  device: string,
): Promise<SignInOutcome> {
  const { db, audit } = deps
  const user = await db
    .selectFrom('staff_user')
    .select(['id', 'username', 'password_hash as passwordHash', 'is_active as isActive'])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst()
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash))
  if (!user || !user.isActive || !passwordMatches) {
    await audit.record(
      db,
      { id: null, username: username.trim().toLowerCase().slice(0, 64) },
      { action: 'sign-in.refused' },
    )
    return { signedIn: false }
  }
  const home = await homePrisonOf(db, user.id)
  if (!home) return { signedIn: false }
  const actor = await staffActorAt(deps.db, user.id, home.code)
  if (!actor) return { signedIn: false }
  return { signedIn: true, token: await startSession(deps, { staffUserId: user.id }, actor, 'password', device), actor }
}

/** The prison a member of staff starts in: their home prison, or the first of theirs by code. */
function homePrisonOf(db: Db, staffUserId: string) {
  return db
    .selectFrom('staff_user_establishment')
    .select('establishment_code as code')
    .where('staff_user_id', '=', staffUserId)
    .orderBy('is_home', 'desc')
    .orderBy('establishment_code')
    .executeTakeFirst()
}

/**
 * Issue 13: the identity provider has proved who someone is; Waymark decides what they may do. The
 * username is matched to an active Waymark account, whose roles and prisons are Waymark's own. Refused,
 * and audited, for a username Waymark does not know or an account that is disabled or has no prison.
 */
async function signInStaffByIdentity(deps: SessionDeps, username: string, device = ''): Promise<SignInOutcome> {
  const { db, audit } = deps
  const name = username.trim().toLowerCase()
  const user = await db
    .selectFrom('staff_user')
    .select(['id', 'is_active as isActive'])
    .where('username', '=', name)
    .executeTakeFirst()
  const home = user?.isActive ? await homePrisonOf(db, user.id) : undefined
  const actor = user && home ? await staffActorAt(deps.db, user.id, home.code) : null
  if (!user || !actor) {
    await audit.record(
      db,
      { id: null, username: name.slice(0, 64) },
      {
        action: 'sign-in.refused',
        details: { with: 'identity-provider', reason: !user ? 'unknown-user' : 'no-active-account' },
      },
    )
    return { signedIn: false }
  }
  return { signedIn: true, token: await startSession(deps, { staffUserId: user.id }, actor, 'oidc', device), actor }
}

/** C1: a person in custody signs in to their own view with their own account (never a staff account). */
export async function signInPerson(deps: SessionDeps, username: string, password: string): Promise<SignInOutcome> {
  const { signInDelay } = deps
  return signInDelay.throttled('person', username, () => checkPersonPassword(deps, username, password))
}

export async function signIn(
  deps: SessionDeps,
  username: string,
  password: string,
  device = '',
): Promise<SignInOutcome> {
  const { signInDelay } = deps
  return signInDelay.throttled('staff', username, () => signInStaff(deps, username, password, device))
}

/**
 * Issue 13: a member of staff changes their own Waymark password: the current one first, then a new one
 * as NCSC advises. Every other session of theirs ends (a changed password is often a worry about who
 * else knows it); this one carries on. A refusal says which field and why. Audited.
 */
export async function changeOwnPassword(
  deps: SessionDeps,
  actor: Actor,
  currentToken: string,
  input: { current: string; next: string; confirm: string },
): Promise<{ field: string; messageKey: string } | null> {
  const { db, audit, setPasswordHash } = deps
  const user = await db
    .selectFrom('staff_user')
    .select(['password_hash as passwordHash'])
    .where('id', '=', actor.id)
    .executeTakeFirst()
  if (!user || !(await verifyPassword(input.current, user.passwordHash)))
    return { field: 'currentPassword', messageKey: 'passwords.error.current' }
  const problem = await newPasswordProblem(input.next, actor.username)
  if (problem) return { field: 'newPassword', messageKey: problem }
  if (input.confirm !== input.next) return { field: 'confirmPassword', messageKey: 'passwords.error.confirm' }
  const passwordHash = await hashPassword(input.next)
  await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.id, passwordHash)
    const ended = await trx
      .deleteFrom('web_session')
      .where('staff_user_id', '=', actor.id)
      .where('token_hash', '!=', hashToken(currentToken))
      .returning('id')
      .execute()
    await audit.record(trx, actor, { action: 'password.changed', details: { otherSessionsEnded: ended.length } })
  })
  return null
}

/** Issue 13: a member of staff's own sessions, the newest first, this one marked. */
export async function ownSessions(deps: SessionDeps, actor: Actor, currentToken: string) {
  const { db, clock } = deps
  const rows = await db
    .selectFrom('web_session')
    .select([
      'id',
      'token_hash as tokenHash',
      'device',
      'created_at as createdAt',
      'last_seen_at as lastSeenAt',
      'signed_in_with as signedInWith',
    ])
    .where('staff_user_id', '=', actor.id)
    .where('expires_at', '>', clock.now())
    .orderBy('last_seen_at', 'desc')
    .execute()
  const current = hashToken(currentToken)
  return rows.map(({ tokenHash, ...row }) => ({ ...row, isThis: tokenHash === current }))
}

/**
 * Issue 13: ends one of the user's own sessions (a PC left signed in elsewhere): its next request is
 * signed out. False when it is not theirs or has ended already. Audited.
 */
export async function endOwnSession(deps: SessionDeps, actor: Actor, sessionId: string): Promise<boolean> {
  const { db, audit } = deps
  if (!isUuid(sessionId)) return false
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('web_session')
      .where('id', '=', sessionId)
      .where('staff_user_id', '=', actor.id)
      .returning('id')
      .executeTakeFirst()
    if (ended) await audit.record(trx, actor, { action: 'session.ended-by-owner', details: { sessionId } })
    return Boolean(ended)
  })
}

/** The actor for a session token, or null when it is unknown, idle too long or past its absolute end. */
export async function resolve(deps: SessionDeps, token: string): Promise<Actor | null> {
  return (await resolveForRequest(deps, token))?.actor ?? null
}

/**
 * Issue 19: what every request needs to know of its session, in one query where it can be: the actor (as
 * `resolve`), and how many of their notifications they have not read, for the header.
 */
export async function resolveForRequest(
  deps: SessionDeps,
  token: string,
): Promise<{ actor: Actor; unreadNotifications: number } | null> {
  const { db, clock, policy } = deps
  const tokenHash = hashToken(token)
  const session = await db
    .selectFrom('web_session as w')
    .leftJoin('staff_user as u', 'u.id', 'w.staff_user_id')
    .select([
      'w.staff_user_id as staffUserId',
      'w.person_account_id as personAccountId',
      'w.establishment_code as establishmentCode',
      'w.last_seen_at as lastSeenAt',
      'w.expires_at as expiresAt',
      ...staffUserColumns,
      establishmentsOfStaffUser(db),
      (eb) =>
        eb
          .selectFrom('notification as n')
          .select(eb.fn.countAll<number>().as('count'))
          .where(sql<boolean>`n.recipient_id = coalesce(w.staff_user_id, w.person_account_id)`)
          .where('n.read_at', 'is', null)
          .as('unreadNotifications'),
    ])
    .where('w.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!session) return null
  const now = clock.now()
  const idleUntil = new Date(session.lastSeenAt).getTime() + policy.idleMinutes * 60_000
  if (now.getTime() >= new Date(session.expiresAt).getTime() || now.getTime() >= idleUntil) {
    await db.deleteFrom('web_session').where('token_hash', '=', tokenHash).execute()
    return null
  }
  // Touch at most once a minute: a page of requests should not be a page of writes.
  if (now.getTime() - new Date(session.lastSeenAt).getTime() > 60_000)
    await db.updateTable('web_session').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute()
  const actor = session.personAccountId ? await loadPersonActor(deps, session.personAccountId) : staffActorOf(session)
  return actor ? { actor, unreadNotifications: Number(session.unreadNotifications ?? 0) } : null
}

/** The member of staff a session belongs to, from its row joined to their account; null for a person's session. */
function staffActorOf(
  session: OrNull<Omit<StaffUserRow, 'establishments'>> &
    Pick<StaffUserRow, 'establishments'> & { staffUserId: string | null; establishmentCode: string },
): Actor | null {
  const { id, username, displayName, role, isActive, mustChangePassword, managesOrganisationAccounts } = session
  if (!session.staffUserId || id === null || username === null || displayName === null || role === null) return null
  return staffActorFrom(
    {
      id,
      username,
      displayName,
      role,
      isActive: isActive ?? false,
      mustChangePassword: mustChangePassword ?? false,
      managesOrganisationAccounts: managesOrganisationAccounts ?? false,
      establishments: session.establishments,
    },
    session.establishmentCode,
  )
}

export async function switchEstablishment(
  deps: SessionDeps,
  token: string,
  actor: Actor,
  establishmentCode: string,
): Promise<boolean> {
  const { db, audit } = deps
  if (!actor.establishmentCodes.includes(establishmentCode)) return false
  // Where someone works decides what they see: the switch and its record are saved together.
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('web_session')
      .set({ establishment_code: establishmentCode })
      .where('token_hash', '=', hashToken(token))
      .execute()
    await audit.record(trx, { ...actor, establishmentCode }, { action: 'establishment.switched' })
  })
  return true
}

/** Ends the session; says how it began, so a session begun at the identity provider can end there too. */
export async function signOut(deps: SessionDeps, token: string, actor: Actor): Promise<SignedInWith | null> {
  const { db, audit } = deps
  // Ended before it is recorded, and whether or not the record is written: a shared wing PC must never stay
  // signed in because the audit trail could not be written.
  const ended = await db
    .deleteFrom('web_session')
    .where('token_hash', '=', hashToken(token))
    .returning('signed_in_with as signedInWith')
    .executeTakeFirst()
  await audit.record(db, actor, { action: 'sign-out' })
  return ended?.signedInWith ?? null
}

const sessionUseCases = {
  signInPerson,
  signIn,
  changeOwnPassword,
  ownSessions,
  endOwnSession,
  /** Issue 13: a member of staff whom the prison's identity provider has vouched for. */
  signInByIdentity: signInStaffByIdentity,
  resolve,
  resolveForRequest,
  switchEstablishment,
  signOut,
}

/** Sign-in sessions (web sessions), held in the database so any web process can serve any request. */
export function createSessions(deps: Omit<SessionDeps, 'signInDelay'>): Bound<SessionDeps, typeof sessionUseCases> {
  const { db, clock, sleep } = deps
  return bindUseCases({ ...deps, signInDelay: createSignInDelay({ db, clock, sleep }) }, sessionUseCases)
}

/**
 * The device a session began on, in words a person recognises ("Edge on Windows"), from its User-Agent.
 * Only the browser's and the system's names are kept: never versions or the rest of the header.
 */
export function deviceOf(userAgent: string | undefined): string {
  if (!userAgent) return ''
  const browsers: [RegExp, string][] = [
    [/Edg\//, 'Edge'],
    [/Firefox\//, 'Firefox'],
    [/(Chrome|Chromium)\//, 'Chrome'],
    [/Safari\//, 'Safari'],
  ]
  const systems: [RegExp, string][] = [
    [/Windows/, 'Windows'],
    [/iPhone|iPad/, 'iOS'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Android/, 'Android'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ]
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1]
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1]
  return [browser, system].filter(Boolean).join(' on ')
}
