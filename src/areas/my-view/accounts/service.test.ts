import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { NotFound } from '../../../platform/errors.ts'
import { isRefusal } from '../../../platform/forms.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { createSessions } from '../../../platform/sessions.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
} from '../../../../test/support/builders.ts'
import { auditActions } from '../../../../test/support/care-plan-builders.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../../test/support/services.ts'
import { setStaffPasswordHash } from '../../staff/service.ts'
import { issuedAsShown, OWN_ACCOUNT_FORM } from './service.ts'

/** Issue 13: a person in custody's own account, issued by staff with a slip. */
describeServicesOnEachEngine('a person’s own account, issued with a slip', '2026-12-05T09:00:00Z', (the) => {
  const { database, services, clock } = the
  const prison = arrangedBefore(() => givenPrisonWithStaff(database.db, { officer: 'officer' }))
  let sessions: ReturnType<typeof createSessions>

  before(() => {
    sessions = createSessions({
      db: database.db,
      clock,
      audit: services.audit,
      policy: { idleMinutes: 60 * 24 * 30, absoluteHours: 24 * 30 },
      sleep: async () => {},
      setPasswordHash: setStaffPasswordHash,
    })
  })

  /** A code given from no page (as a script would): never refused. */
  const issued = async (actor: Actor, prisonNumber: string) => {
    const outcome = await services.personAccounts.issue(actor, prisonNumber)
    assert.ok(!isRefusal(outcome), 'given')
    return outcome
  }

  /** The person's own account's entries in the audit trail, in order. */
  const audited = async (personId: string) =>
    (await auditActions(database.db, personId)).filter((action) => action.startsWith('person-account.'))

  it('issues an account whose slip code signs the person in once, to choose their own password', async () => {
    const person = await givenPerson(database.db, prison.code)
    assert.equal((await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).state, 'none')
    const slip = await issued(prison.officer, person.prisonNumber)
    assert.equal(slip.username, person.prisonNumber.toLowerCase())
    assert.match(slip.code, /^[a-z2-9]{4}-[a-z2-9]{4}$/)
    assert.equal(slip.expiresAt.toISOString(), '2026-12-12T09:00:00.000Z')
    assert.equal((await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).state, 'waiting')

    const signedIn = await sessions.signInPerson(slip.username, slip.code)
    assert.ok(signedIn.signedIn)
    assert.equal(signedIn.actor.mustChangePassword, true)
    assert.deepEqual(
      await services.personAccounts.choosePassword(signedIn.actor, { newPassword: 'abc', confirmPassword: 'abc' }),
      { field: 'newPassword', messageKey: 'my.password.error.tooShort', values: { min: 8 } },
    )
    assert.equal(
      (
        await services.personAccounts.choosePassword(signedIn.actor, {
          newPassword: 'password',
          confirmPassword: 'password',
        })
      )?.messageKey,
      'my.password.error.common',
    )
    assert.equal(
      await services.personAccounts.choosePassword(signedIn.actor, {
        newPassword: 'blue river cake',
        confirmPassword: 'blue river cake',
      }),
      null,
    )
    assert.deepEqual(await sessions.signInPerson(slip.username, slip.code), { signedIn: false })
    const own = await sessions.signInPerson(slip.username, 'blue river cake')
    assert.ok(own.signedIn)
    assert.equal(own.actor.mustChangePassword, undefined)
    assert.equal((await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).state, 'active')
    assert.deepEqual(
      (await audited(person.id)).filter((action) => action !== 'person-account.viewed'),
      ['person-account.issued', 'person-account.password-chosen'],
    )
  })

  it('refuses a code after its 7 days, saying so only to whoever holds it, and a new code works where the old one does not', async () => {
    const person = await givenPerson(database.db, prison.code)
    const first = await issued(prison.officer, person.prisonNumber)
    clock.advanceMinutes(7 * 24 * 60)
    assert.deepEqual(await sessions.signInPerson(first.username, first.code), { signedIn: false, codeExpired: true })
    assert.deepEqual(await sessions.signInPerson(first.username, 'wrong-code'), { signedIn: false })
    assert.equal((await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).state, 'expired')
    const second = await issued(prison.officer, person.prisonNumber)
    assert.equal(second.username, first.username)
    assert.deepEqual(await sessions.signInPerson(first.username, first.code), { signedIn: false })
    assert.equal((await sessions.signInPerson(second.username, second.code)).signedIn, true)
    assert.ok((await audited(person.id)).includes('person-account.code-reissued'))
  })

  it('gives staff at another prison no sight of the account, and never the code again', async () => {
    const person = await givenPerson(database.db, prison.code)
    const slip = await issued(prison.officer, person.prisonNumber)
    const elsewhere = await givenStaffUser(database.db, {
      role: 'officer',
      establishmentCodes: [(await givenEstablishment(database.db)).code],
    })
    await assert.rejects(services.personAccounts.viewOwnAccount(elsewhere, person.prisonNumber), NotFound)
    await assert.rejects(services.personAccounts.issue(elsewhere, person.prisonNumber), NotFound)
    const view = await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)
    assert.ok(!JSON.stringify(view).includes(slip.code))
    assert.deepEqual(Object.keys(view.account ?? {}).sort(), [
      'codeExpiresAt',
      'id',
      'isActive',
      'issuedAt',
      'mustChoosePassword',
      'username',
    ])
  })

  it('opens a closed account again with a new code (a person back in custody keeps their one account)', async () => {
    const person = await givenPerson(database.db, prison.code)
    const slip = await issued(prison.officer, person.prisonNumber)
    await database.db
      .updateTable('person_account')
      .set({ is_active: false })
      .where('person_id', '=', person.id)
      .execute()
    assert.equal((await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).state, 'closed')
    assert.deepEqual(await sessions.signInPerson(slip.username, slip.code), { signedIn: false })
    const again = await issued(prison.officer, person.prisonNumber)
    assert.equal((await sessions.signInPerson(again.username, again.code)).signedIn, true)
  })

  it('gives a code once from a page pressed twice, or by two members of staff from one drawing of it', async () => {
    const person = await givenPerson(database.db, prison.code)
    const colleague = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [prison.code] })
    const drawn = issuedAsShown(
      (await services.personAccounts.viewOwnAccount(prison.officer, person.prisonNumber)).account,
    )
    assert.equal(drawn, 'none')
    const both = await Promise.all([
      services.personAccounts.issue(prison.officer, person.prisonNumber, drawn),
      services.personAccounts.issue(colleague, person.prisonNumber, drawn),
    ])
    const given = both.filter((outcome) => !isRefusal(outcome))
    assert.equal(given.length, 1, 'one code given')
    assert.deepEqual(
      both.filter((outcome) => isRefusal(outcome)),
      [{ field: OWN_ACCOUNT_FORM, messageKey: 'ownAccount.error.givenMeanwhile' }],
    )
    // The one given is the one that works: its slip is not spent by a second code.
    const slip = given[0]
    assert.ok(!isRefusal(slip))
    assert.ok((await sessions.signInPerson(slip.username, slip.code)).signedIn)
    assert.deepEqual(await audited(person.id), ['person-account.viewed', 'person-account.issued'])

    // From the page as it stands now, another code is given: the last one's slip is lost.
    const now = issuedAsShown((await services.personAccounts.viewOwnAccount(colleague, person.prisonNumber)).account)
    assert.notEqual(now, 'none')
    clock.advanceMinutes(1)
    assert.ok(!isRefusal(await services.personAccounts.issue(colleague, person.prisonNumber, now)))
    // A page drawn before that is refused again.
    assert.ok(isRefusal(await services.personAccounts.issue(prison.officer, person.prisonNumber, now)))
  })
})
