import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../../app.ts'
import { fixedClock } from '../../../platform/clock.ts'
import { Forbidden, NotFound } from '../../../platform/errors.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { createSessions } from '../../../platform/sessions.ts'
import { givenEstablishment, givenStaffUser } from '../../../../test/support/builders.ts'
import { testEngines, type TestDatabase } from '../../../../test/support/database.ts'
import { auditOfUser } from '../../../../test/support/measures-builders.ts'
import { auditTrailOf } from '../../../../test/support/audit-trail.ts'
import { setStaffPasswordHash } from '../service.ts'
import { createAccountsService, type AccountsService } from './service.ts'

for (const engine of testEngines()) {
  describe(`account administration on ${engine.name} (issue 13)`, () => {
    let database: TestDatabase
    let accounts: AccountsService
    let sessions: ReturnType<typeof createSessions>
    let here: string
    let there: string
    let admin: Actor
    let officer: Actor
    let partnerLead: Actor
    let openDoor: string
    let bridge: string

    before(async () => {
      database = await engine.open()
      const db = database.db
      const clock = fixedClock('2026-12-05T09:00:00Z')
      const services = createServices({ db, clock })
      here = (await givenEstablishment(db)).code
      there = (await givenEstablishment(db)).code
      accounts = createAccountsService({ db, audit: services.audit, localSignIn: true })
      sessions = createSessions({
        db,
        clock,
        audit: services.audit,
        policy: { idleMinutes: 60, absoluteHours: 12 },
        sleep: async () => {},
        setPasswordHash: setStaffPasswordHash,
      })
      admin = await givenStaffUser(db, { role: 'admin', establishmentCodes: [here] })
      officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [here] })
      ;[openDoor, bridge] = (
        await db
          .insertInto('organisation')
          .values([
            { name: `Open Door ${here}`, kind: 'charity' },
            { name: `Bridge ${here}`, kind: 'charity' },
          ])
          .returning('id')
          .execute()
      ).map((row) => row.id)
      partnerLead = await givenStaffUser(db, { role: 'partner', establishmentCodes: [here] })
      await db
        .updateTable('staff_user')
        .set({ organisation_id: openDoor, manages_organisation_accounts: true })
        .where('id', '=', partnerLead.id)
        .execute()
    })
    after(async () => database?.close())

    const newOfficer = (username: string) => ({
      username,
      displayName: 'Nia Roberts',
      role: 'officer',
      establishmentCodes: [here],
    })

    it('creates an account with a one-time password that must be changed at the first sign-in, audited', async () => {
      const created = await accounts.create(admin, newOfficer('nia.roberts.1'))
      assert.ok('id' in created && created.oneTimePassword)
      assert.match(created.oneTimePassword, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
      const signedIn = await sessions.signIn('nia.roberts.1', created.oneTimePassword)
      assert.ok(signedIn.signedIn)
      assert.equal(signedIn.actor.mustChangePassword, true)
      assert.equal(signedIn.actor.role, 'officer')
      const refused = await sessions.changeOwnPassword(signedIn.actor, signedIn.token, {
        current: created.oneTimePassword,
        next: 'copper kettle morning walk',
        confirm: 'copper kettle morning walk',
      })
      assert.equal(refused, null)
      const again = await sessions.signIn('nia.roberts.1', 'copper kettle morning walk')
      assert.ok(again.signedIn)
      assert.equal(again.actor.mustChangePassword, undefined)
      const audit = await auditOfUser(database.db, admin.id, 'account.created')
      assert.deepEqual(audit.at(-1)?.details, {
        accountId: created.id,
        role: 'officer',
        prisons: here,
        organisationId: null,
        partnerLead: false,
      })
      assert.doesNotMatch(JSON.stringify(audit), new RegExp(created.oneTimePassword))
    })

    it('refuses a username that is taken, and a prison the administrator does not hold, storing nothing', async () => {
      const before = await auditOfUser(database.db, admin.id, 'account.')
      const outcome = await accounts.create(admin, { ...newOfficer(officer.username), establishmentCodes: [there] })
      assert.ok('refusals' in outcome)
      assert.deepEqual(
        outcome.refusals.map((refusal) => refusal.messageKey),
        ['accounts.error.usernameTaken', 'accounts.error.notYourPrison'],
      )
      assert.equal((await auditOfUser(database.db, admin.id, 'account.')).length, before.length)
    })

    it('lists the accounts at the administrator’s prisons only, found by name, a page at a time', async () => {
      const elsewhere = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [there] })
      const view = await accounts.list(admin, {})
      assert.ok(view.accounts.some((account) => account.id === officer.id))
      assert.ok(!view.accounts.some((account) => account.id === elsewhere.id))
      const found = await accounts.list(admin, { search: 'NIA rob' })
      assert.deepEqual(
        found.accounts.map((account) => account.username),
        ['nia.roberts.1'],
      )
      assert.equal(found.accounts[0].lastSignIn?.toISOString(), '2026-12-05T09:00:00.000Z')
      await assert.rejects(accounts.view(admin, elsewhere.id), NotFound)
    })

    it('disables an account, ending its sessions at once, and enables it again', async () => {
      const created = await accounts.create(admin, newOfficer('leaver.1'))
      assert.ok('id' in created && created.oneTimePassword)
      const session = await sessions.signIn('leaver.1', created.oneTimePassword)
      assert.ok(session.signedIn)
      assert.deepEqual(await accounts.setEnabled(admin, created.id, false), { changed: true })
      assert.equal(await sessions.resolve(session.token), null)
      assert.equal((await sessions.signIn('leaver.1', created.oneTimePassword)).signedIn, false)
      assert.deepEqual(await accounts.setEnabled(admin, created.id, true), { changed: true })
      assert.deepEqual(await accounts.setEnabled(admin, created.id, true), { changed: false })
      assert.equal((await sessions.signIn('leaver.1', created.oneTimePassword)).signedIn, true)
      assert.deepEqual(
        (await auditOfUser(database.db, admin.id, 'account.')).slice(-2).map((entry) => entry.action),
        ['account.disabled', 'account.enabled'],
      )
    })

    it('gives a one-time password that ends the account’s sessions and must be changed', async () => {
      const session = await sessions.signIn('nia.roberts.1', 'copper kettle morning walk')
      assert.ok(session.signedIn)
      const { oneTimePassword } = await accounts.resetPassword(admin, session.actor.id)
      assert.equal(await sessions.resolve(session.token), null)
      assert.equal((await sessions.signIn('nia.roberts.1', 'copper kettle morning walk')).signedIn, false)
      const next = await sessions.signIn('nia.roberts.1', oneTimePassword)
      assert.ok(next.signedIn)
      assert.equal(next.actor.mustChangePassword, true)
    })

    it('never leaves a prison without an active administrator, and never changes the administrator’s own access', async () => {
      // The administrator at both prisons is the only one at the other: this prison's may not take that away.
      const both = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [here, there] })
      const outcome = await accounts.setEnabled(admin, both.id, false)
      assert.ok('refusal' in outcome)
      assert.equal(outcome.refusal.messageKey, 'accounts.error.lastAdministrator')
      assert.deepEqual(
        (await accounts.changeAccess(admin, both.id, { role: 'governor', establishmentCodes: [here] })).refusals.map(
          (entry) => entry.messageKey,
        ),
        ['accounts.error.lastAdministrator'],
      )
      // Taking only this prison from them leaves the other its administrator.
      assert.deepEqual(await accounts.changeAccess(admin, both.id, { role: 'admin', establishmentCodes: [] }), {
        refusals: [],
        changed: true,
      })
      assert.deepEqual(
        (await accounts.list({ ...admin, establishmentCodes: [there] }, { role: 'admin' })).accounts.map((a) => a.id),
        [both.id],
      )
      await assert.rejects(accounts.setEnabled(admin, admin.id, false), Forbidden)
      await assert.rejects(accounts.changeAccess(admin, admin.id, { role: 'officer' }), Forbidden)
    })

    it('leaves a prison an administrator when its two disable each other at once', async () => {
      const prison = (await givenEstablishment(database.db)).code
      const [first, second] = await Promise.all(
        [1, 2].map(() => givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison] })),
      )
      const answers = await Promise.all([
        accounts.setEnabled(first, second.id, false),
        accounts.setEnabled(second, first.id, false),
      ])
      const active = await database.db
        .selectFrom('staff_user')
        .select('id')
        .where('id', 'in', [first.id, second.id])
        .where('is_active', '=', true)
        .execute()
      assert.equal(active.length, 1, JSON.stringify(answers))
    })

    it('disables an account once when two administrators disable it at once', async () => {
      const prison = (await givenEstablishment(database.db)).code
      const [first, second, third] = await Promise.all(
        [1, 2, 3].map(() => givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison] })),
      )
      const answers = await Promise.all([first, second].map((by) => accounts.setEnabled(by, third.id, false)))
      assert.deepEqual(answers.map((answer) => JSON.stringify(answer)).sort(), [
        '{"changed":false}',
        '{"changed":true}',
      ])
    })

    it('changes nothing, and audits nothing, when the form asks for the access the account has already', async () => {
      const officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [here] })
      const same = { role: 'officer', establishmentCodes: [here] }
      assert.deepEqual(await accounts.changeAccess(admin, officer.id, same), { refusals: [], changed: false })
      const audited = await auditTrailOf(database.db, { actorId: admin.id })
      assert.ok(!audited.some((entry) => JSON.stringify(entry.details).includes(officer.id)))
      assert.deepEqual(await accounts.changeAccess(admin, officer.id, { ...same, role: 'keyworker' }), {
        refusals: [],
        changed: true,
      })
    })

    it('lets a partner lead add and manage only their own organisation’s partners, and nothing else', async () => {
      const choices = await accounts.newAccountChoices(partnerLead)
      assert.deepEqual(choices.roles, ['partner'])
      assert.deepEqual(
        choices.organisations.map((organisation) => organisation.id),
        [openDoor],
      )
      const refused = await accounts.create(partnerLead, {
        ...newOfficer('not.a.partner'),
        organisationId: bridge,
      })
      assert.ok('refusals' in refused)
      assert.deepEqual(
        refused.refusals.map((refusal) => refusal.messageKey),
        ['accounts.error.role', 'accounts.error.organisation'],
      )
      const added = await accounts.create(partnerLead, {
        username: 'open.door.worker',
        displayName: 'Sam Okafor',
        role: 'partner',
        organisationId: openDoor,
        establishmentCodes: [here],
      })
      assert.ok('id' in added)
      const view = await accounts.list(partnerLead, {})
      assert.deepEqual(
        view.accounts.map((account) => account.username).sort(),
        [partnerLead.username, 'open.door.worker'].sort(),
      )
      await assert.rejects(accounts.view(partnerLead, officer.id), NotFound)
      await assert.rejects(accounts.changeAccess(partnerLead, officer.id, { role: 'admin' }), NotFound)
      // A partner an administrator has not named is no lead.
      const worker = { ...partnerLead, id: added.id, username: 'open.door.worker' }
      await assert.rejects(accounts.list(worker, {}), Forbidden)
    })
  })
}
