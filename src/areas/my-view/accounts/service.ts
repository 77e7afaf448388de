import type { Db } from '../../../db/database.ts'
import { aboutPerson, type Audit } from '../../../platform/audit.ts'
import type { Clock } from '../../../platform/clock.ts'
import { NotFound } from '../../../platform/errors.ts'
import type { FieldRefusal, Outcome } from '../../../platform/forms.ts'
import { holdUntilCommit } from '../../../platform/locks.ts'
import { hashPassword, newPasswordProblem, PERSON_PASSWORD_MIN, readableCode } from '../../../platform/passwords.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { lastSignIns } from '../../../platform/sessions.ts'
import type { PeopleService } from '../../people/service.ts'
import * as store from './store.ts'

export type PersonAccountsService = ReturnType<typeof createPersonAccountsService>

/** The id of the form that gives a code, where a refusal leads. */
export const OWN_ACCOUNT_FORM = 'own-account'

type Issued = {
  person: Awaited<ReturnType<PeopleService['personHeader']>>
  username: string
  code: string
  expiresAt: Date
}

/** When the last code was given, as a page shows it and sends it back: what a new code would replace. */
export function issuedAsShown(account: { issuedAt: Date | string | null } | undefined | null): string {
  return account?.issuedAt ? new Date(account.issuedAt).toISOString() : 'none'
}

/** A slip's code works for a week: long enough to reach the person on the wing, short enough to lose little. */
export const CODE_DAYS = 7

/** Where a person's own account stands, in the words staff see. */
export type OwnAccountState = 'none' | 'waiting' | 'expired' | 'active' | 'closed'

/**
 * Issue 13: staff give a person in custody their own account (at reception, or from their record) with a
 * printed slip: their username and a one-time code that runs out after 7 days. At their first sign-in the
 * person chooses their own password. Staff give a new code when one is lost or runs out; a transfer keeps
 * the account and a release closes it (my-view's listeners), and issuing again opens it.
 */
export function createPersonAccountsService({
  db,
  clock,
  audit,
  people,
}: {
  db: Db
  clock: Clock
  audit: Audit
  people: Pick<PeopleService, 'personHeader'>
}) {
  function stateOf(account: Awaited<ReturnType<typeof store.ownAccountOf>>): OwnAccountState {
    if (!account) return 'none'
    if (!account.isActive) return 'closed'
    if (!account.mustChoosePassword) return 'active'
    return account.codeExpiresAt && new Date(account.codeExpiresAt).getTime() <= clock.now().getTime()
      ? 'expired'
      : 'waiting'
  }

  return {
    /** The person's own account, for the tab on their record. Audited as a view of the person's record. */
    async viewOwnAccount(actor: Actor, prisonNumber: string) {
      const person = await people.personHeader(actor, prisonNumber)
      const account = await store.ownAccountOf(db, person.id)
      const signedIn = account ? await lastSignIns(db, [account.id]) : new Map<string, Date>()
      await audit.record(db, actor, aboutPerson('person-account.viewed', person))
      return {
        person,
        account: account ?? null,
        state: stateOf(account),
        lastSignIn: account ? (signedIn.get(account.id) ?? null) : null,
      }
    },

    /**
     * Issues the account, or a new code for it: returned once for the slip, stored only as a hash. Any
     * earlier code stops working. Audited, never the code. `drawn` is when the last code was given as the
     * page showed it (`issuedAsShown`): a code given since, by a double click or by a colleague, is refused
     * rather than replaced, since its slip is being printed and this code would stop it working.
     */
    async issue(actor: Actor, prisonNumber: string, drawn?: string): Promise<Outcome<Issued>> {
      const person = await people.personHeader(actor, prisonNumber)
      const code = readableCode(2)
      // Hashed before the transaction: argon2 takes a while, and the transaction holds the connection.
      const codeHash = await hashPassword(code)
      const now = clock.now()
      const expiresAt = new Date(now.getTime() + CODE_DAYS * 86_400_000)
      return db.transaction().execute(async (trx): Promise<Outcome<Issued>> => {
        await holdUntilCommit(trx, `person-account:${person.id}`)
        const before = await store.ownAccountOf(trx, person.id)
        if (drawn !== undefined && drawn !== issuedAsShown(before))
          return { field: OWN_ACCOUNT_FORM, messageKey: 'ownAccount.error.givenMeanwhile' }
        const wanted = before?.username ?? person.prisonNumber.toLowerCase()
        const username = (await store.isUsernameTaken(trx, wanted, person.id)) ? `${wanted}.${readableCode(1)}` : wanted
        await store.issueAccount(trx, {
          personId: person.id,
          username,
          codeHash,
          expiresAt,
          issuedAt: now,
          issuedBy: actor.id,
        })
        await audit.record(
          trx,
          actor,
          aboutPerson(before ? 'person-account.code-reissued' : 'person-account.issued', person, {
            expiresAt: expiresAt.toISOString(),
            reopened: before ? !before.isActive : false,
          }),
        )
        return { person, username, code, expiresAt }
      })
    },

    /**
     * The person, signed in with their slip's code, chooses their own password: 8 characters or more, not a
     * common one, not their username. Refused beside the field, in their own view's words.
     */
    async choosePassword(
      actor: Actor,
      form: { newPassword: string; confirmPassword: string },
    ): Promise<FieldRefusal | null> {
      if (actor.role !== 'person' || !actor.person) throw new NotFound()
      const problem = await newPasswordProblem(form.newPassword, actor.username, PERSON_PASSWORD_MIN)
      if (problem)
        return {
          field: 'newPassword',
          messageKey: problem.replace('passwords.error.', 'my.password.error.'),
          values: { min: PERSON_PASSWORD_MIN },
        }
      if (form.confirmPassword !== form.newPassword)
        return { field: 'confirmPassword', messageKey: 'my.password.error.confirm' }
      const passwordHash = await hashPassword(form.newPassword)
      await db.transaction().execute(async (trx) => {
        await store.choosePassword(trx, actor.id, passwordHash)
        await audit.record(trx, actor, { action: 'person-account.password-chosen', personId: actor.person!.id })
      })
      return null
    },
  }
}
