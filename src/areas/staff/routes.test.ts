import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { fixedClock } from '../../platform/clock.ts'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenOrganisation, givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'

for (const engine of testEngines()) {
  describe(`staff and peer supporter pages on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let home: { code: string; wingId: number; cellId: number }
    let elsewhere: { code: string }
    const users: Record<string, string> = {}
    let officerId: string
    let outsiderId: string
    const clock = fixedClock('2026-11-25T09:00:00Z')

    before(async () => {
      database = await engine.open()
      const db = database.db
      app = await buildTestApp(db, { clock, config: { signInAttemptsPerMinute: 100 } })
      home = await givenEstablishment(db)
      elsewhere = await givenEstablishment(db)
      for (const role of ['safercustody', 'partner', 'activities', 'officer', 'governor', 'admin'] as const)
        users[role] = (await givenStaffUser(db, { role, establishmentCodes: [home.code] })).username
      const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [home.code] })
      officerId = officer.id
      await db.updateTable('staff_user').set({ display_name: 'Nia Bowen' }).where('id', '=', officerId).execute()
      await givenStaffStatus(db, officerId, { organisationId: await givenOrganisation(db, 'prison-service') })
      await givenTraining(db, officerId, 'safeguarding', '2023-11-01', '2025-11-01')
      outsiderId = (await givenStaffUser(db, { role: 'officer', establishmentCodes: [elsewhere.code] })).id
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    describe('/staff/settings', () => {
      it('lets the governor set how often supervision is due, saying what is wrong with a bad number', async () => {
        const governor = await signedInAs(app, users.governor)
        const list = await governor.get('/staff')
        assert.match(list.body, /due every 8 weeks/)
        assert.match(list.body, /href="\/staff\/settings"/)
        const page = await governor.get('/staff/settings')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /name="supervisionIntervalWeeks" type="text" value="8"/)
        const invalid = await governor.post(
          '/staff/settings',
          { supervisionIntervalWeeks: '30' },
          { from: '/staff/settings' },
        )
        assert.equal(invalid.statusCode, 400)
        assert.match(invalid.body, /href="#supervisionIntervalWeeks">Enter a whole number of weeks from 1 to 26/)
        assert.match(invalid.body, /value="30"/)
        const saved = await governor.post(
          '/staff/settings',
          { supervisionIntervalWeeks: '6' },
          { from: '/staff/settings' },
        )
        assert.equal(saved.statusCode, 303)
        assert.equal(saved.headers.location, '/staff/settings?done=saved')
        assert.match((await governor.get('/staff')).body, /due every 6 weeks/)
        const overdue = await governor.get('/staff?supervision=overdue')
        assert.match(overdue.body, /value="overdue" selected/)
        // The measures' ACCT training figure links here: the filter is kept on the page.
        const withoutAcct = await governor.get('/staff?without=acct')
        assert.equal(withoutAcct.statusCode, 200)
        assert.match(withoutAcct.body, /value="acct" selected/)
        // Back to the default, for the other tests of this prison.
        await governor.post('/staff/settings', { supervisionIntervalWeeks: '8' }, { from: '/staff/settings' })
      })

      it('is refused to the safer custody lead, who sees no link to it', async () => {
        const lead = await signedInAs(app, users.safercustody)
        assert.equal((await lead.get('/staff/settings')).statusCode, 403)
        assert.doesNotMatch((await lead.get('/staff')).body, /href="\/staff\/settings"/)
      })
    })

    describe('/organisations', () => {
      it('adds a partner organisation, keeping what was typed when the form is wrong', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const list = await lead.get('/organisations')
        assert.equal(list.statusCode, 200)
        assert.match(list.body, /<h1 class="govuk-heading-l">Organisations<\/h1>/)
        assert.match(list.body, /href="\/organisations\/new"/)
        const url = '/organisations/new'
        const invalid = await lead.post(
          url,
          { name: 'Open Door Wales', kind: '', services: 'Family visits' },
          { from: url },
        )
        assert.equal(invalid.statusCode, 400)
        assert.match(invalid.body, /<title>Error: /)
        assert.match(invalid.body, /href="#kind">Select the kind of organisation/)
        assert.match(invalid.body, /value="Open Door Wales"/)
        assert.match(invalid.body, /Family visits<\/textarea>/)
        const added = await lead.post(
          url,
          { name: 'Open Door Wales', kind: 'charity', services: 'Family visits' },
          { from: url },
        )
        assert.equal(added.statusCode, 303)
        assert.equal(added.headers.location, '/organisations?done=added')
        const after = await lead.get('/organisations?done=added')
        assert.match(after.body, /Organisation added/)
        assert.match(after.body, /Open Door Wales/)
      })

      it('lets an administrator change an organisation, and refuses a name already taken', async () => {
        const lead = await signedInAs(app, users.admin)
        await givenOrganisation(database.db, 'charity', 'Taken Name Trust')
        const id = await givenOrganisation(database.db, 'charity', 'Old Name Trust')
        const url = `/organisations/${id}`
        const form = await lead.get(url)
        assert.equal(form.statusCode, 200)
        assert.match(form.body, /value="Old Name Trust"/)
        const taken = await lead.post(url, { name: 'taken name trust', kind: 'charity', services: '' }, { from: url })
        assert.equal(taken.statusCode, 400)
        assert.match(taken.body, /There is already an organisation with this name/)
        const changed = await lead.post(
          url,
          { name: 'New Name Trust', kind: 'provider', services: 'Mentors' },
          { from: url },
        )
        assert.equal(changed.statusCode, 303)
        assert.match((await lead.get('/organisations')).body, /New Name Trust/)
        assert.equal((await lead.get('/organisations/not-an-id')).statusCode, 404)
      })

      it('keeps an organisation every prison shares from being renamed by one prison’s safer custody lead or governor', async () => {
        const id = await givenOrganisation(database.db, 'charity', 'Listening Ear Cymru')
        for (const role of ['safercustody', 'governor']) {
          const manager = await signedInAs(app, users[role])
          const list = await manager.get('/organisations')
          assert.match(list.body, /href="\/organisations\/new"/, `${role} still adds their prison’s partners`)
          assert.doesNotMatch(list.body, new RegExp(`href="/organisations/${id}"`), role)
          assert.equal((await manager.get(`/organisations/${id}`)).statusCode, 403, role)
          const renamed = await manager.post(
            `/organisations/${id}`,
            { name: 'Renamed by one prison', kind: 'charity', services: '' },
            { from: '/organisations' },
          )
          assert.equal(renamed.statusCode, 403, role)
        }
        const row = await database.db.selectFrom('organisation').select('name').where('id', '=', id).executeTakeFirst()
        assert.equal(row?.name, 'Listening Ear Cymru')
      })

      it('lets a partner worker neither see nor change the organisations', async () => {
        const partner = await signedInAs(app, users.partner)
        assert.equal((await partner.get('/organisations')).statusCode, 403)
        assert.equal((await partner.get('/organisations/new')).statusCode, 403)
      })
    })

    describe('GET /staff', () => {
      it('lists the staff of the prison with their training state, for the safer custody lead', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const page = await lead.get('/staff')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /<h1 class="govuk-heading-l">Staff and partner workers<\/h1>/)
        assert.match(page.body, new RegExp(`href="/staff/${officerId}">Nia Bowen</a>`))
        assert.match(page.body, /Expired/)
        assert.doesNotMatch(page.body, new RegExp(outsiderId))
      })

      it('filters to those with key training expired or missing', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const page = await lead.get('/staff?gap=expiring-soon')
        assert.equal(page.statusCode, 200)
        assert.doesNotMatch(page.body, /Nia Bowen/)
      })

      it('refuses a partner worker', async () => {
        const partner = await signedInAs(app, users.partner)
        assert.equal((await partner.get('/staff')).statusCode, 403)
        assert.equal((await partner.get(`/staff/${officerId}`)).statusCode, 403)
      })
    })

    describe('the forms', () => {
      it('open for the safer custody lead and are refused to an officer', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const officer = await signedInAs(app, users.officer)
        const forms: [string, string][] = [
          [`/staff/${officerId}/training/new`, 'Record training'],
          [`/staff/${officerId}/supervision/new`, 'Record supervision'],
          [`/staff/${officerId}/status`, 'Change status, organisation or caseload limit'],
        ]
        for (const [url, title] of forms) {
          const page = await lead.get(url)
          assert.equal(page.statusCode, 200, url)
          assert.match(page.body, new RegExp(`<h1 class="govuk-heading-l">${title}</h1>`))
          assert.equal((await officer.get(url)).statusCode, 403, url)
        }
        const addPage = await (await signedInAs(app, users.activities)).get('/peer-supporters/new')
        assert.equal(addPage.statusCode, 200)
        assert.match(addPage.body, /<h1 class="govuk-heading-l">Add a peer supporter<\/h1>/)
      })

      it('shows the staff member in Welsh after choosing Cymraeg', async () => {
        const lead = await signedInAs(app, users.safercustody)
        await lead.get('/language/cy?returnTo=/staff')
        const page = await lead.get(`/staff/${officerId}`)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /Hyfforddiant a chymwysterau/)
        assert.match(page.body, /Goruchwyliaeth/)
      })
    })

    describe('GET /staff/:staffUserId', () => {
      it('shows a staff member’s training and supervision', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const page = await lead.get(`/staff/${officerId}`)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /<h1 class="govuk-heading-l">Nia Bowen<\/h1>/)
        assert.match(page.body, /Safeguarding/)
        assert.match(page.body, /No supervision recorded/)
      })

      it('gives 404 for someone at another establishment, and for an address that is no id', async () => {
        const lead = await signedInAs(app, users.safercustody)
        assert.equal((await lead.get(`/staff/${outsiderId}`)).statusCode, 404)
        assert.equal((await lead.get(`/staff/${outsiderId}/training/new`)).statusCode, 404)
        assert.equal((await lead.get('/staff/not-an-id')).statusCode, 404)
      })
    })

    describe('POST /staff/:staffUserId/training/new', () => {
      it('keeps what was typed and says what is wrong', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const from = `/staff/${officerId}/training/new`
        const page = await lead.post(
          from,
          {
            course: 'safeguarding',
            'completedOn-day': '',
            'completedOn-month': '',
            'completedOn-year': '',
            'expiresOn-day': '31',
            'expiresOn-month': '2',
            'expiresOn-year': '2027',
            isJoint: 'yes',
          },
          { from },
        )
        assert.equal(page.statusCode, 400)
        assert.match(page.body, /<title>Error: /)
        assert.match(page.body, /There is a problem/)
        assert.match(page.body, /href="#completedOn-day">Enter the date the course was completed/)
        assert.match(page.body, /The expiry date must be a real date/)
        assert.match(page.body, /value="safeguarding" checked/)
        assert.match(page.body, /name="expiresOn-day" type="text" value="31"/)
        assert.match(page.body, /value="yes" checked/)
      })

      it('records the training and returns to the staff member, now current', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const from = `/staff/${officerId}/training/new`
        const response = await lead.post(
          from,
          {
            course: 'safeguarding',
            'completedOn-day': '20',
            'completedOn-month': '11',
            'completedOn-year': '2026',
            'expiresOn-day': '20',
            'expiresOn-month': '11',
            'expiresOn-year': '2029',
          },
          { from },
        )
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, `/staff/${officerId}?done=training`)
        const page = await lead.get(`/staff/${officerId}?done=training`)
        assert.match(page.body, /Training recorded/)
        assert.match(page.body, /20 November 2029/)
      })
    })

    describe('POST /staff/:staffUserId/status', () => {
      it('keeps the values and explains a reactivation date for someone active', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const from = `/staff/${officerId}/status`
        const page = await lead.post(
          from,
          {
            status: 'active',
            caseloadLimit: '40',
            'reactivationOn-day': '1',
            'reactivationOn-month': '12',
            'reactivationOn-year': '2026',
          },
          { from },
        )
        assert.equal(page.statusCode, 400)
        assert.match(page.body, /Leave the date blank for someone who is active/)
        assert.match(page.body, /Enter a caseload limit from 0 to 30, or leave it blank/)
        assert.match(page.body, /name="caseloadLimit" type="text" value="40"/)
      })
    })

    describe('POST /staff/:staffUserId/supervision/new', () => {
      it('records a session held today', async () => {
        const lead = await signedInAs(app, users.safercustody)
        const from = `/staff/${officerId}/supervision/new`
        const response = await lead.post(
          from,
          {
            kind: 'reflective-practice',
            supervisor: 'Dr Ffion Rees, Valley Health',
            'heldOn-day': '25',
            'heldOn-month': '11',
            'heldOn-year': '2026',
          },
          { from },
        )
        assert.equal(response.statusCode, 303)
        const page = await lead.get(`/staff/${officerId}`)
        assert.match(page.body, /Last held on 25 November 2026. Next due by 20 January 2027./)
      })
    })

    describe('peer supporters', () => {
      it('shows the list to an officer, without the add button', async () => {
        const officer = await signedInAs(app, users.officer)
        const page = await officer.get('/peer-supporters')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /<h1 class="govuk-heading-l">Peer supporters<\/h1>/)
        assert.doesNotMatch(page.body, /Add a peer supporter/)
        assert.equal((await officer.get('/peer-supporters/new')).statusCode, 403)
      })

      it('adds a Listener found by prison number, counts them per 100 people, and ends the role', async () => {
        const person = await givenPerson(database.db, home.code, {
          firstName: 'Owain',
          lastName: 'Lloyd',
          cellId: home.cellId,
        })
        const manager = await signedInAs(app, users.activities)
        const refused = await manager.post(
          '/peer-supporters/new',
          {
            prisonNumber: 'Z9999ZZ',
            scheme: 'listener',
            wingId: String(home.wingId),
            'startedOn-day': '1',
            'startedOn-month': '11',
            'startedOn-year': '2026',
          },
          { from: '/peer-supporters/new' },
        )
        assert.equal(refused.statusCode, 400)
        assert.match(refused.body, /No one with that prison number is in this prison/)
        assert.match(refused.body, /value="Z9999ZZ"/)

        const added = await manager.post(
          '/peer-supporters/new',
          {
            prisonNumber: person.prisonNumber.toLowerCase(),
            scheme: 'listener',
            wingId: String(home.wingId),
            'startedOn-day': '1',
            'startedOn-month': '11',
            'startedOn-year': '2026',
          },
          { from: '/peer-supporters/new' },
        )
        assert.equal(added.statusCode, 303)
        const list = await manager.get('/peer-supporters')
        assert.match(list.body, /Lloyd, Owain/)
        assert.match(list.body, /Peer supporters: 1. People on this wing: 1. Per 100 people: 100./)

        const id = /href="\/peer-supporters\/([0-9a-f-]+)\/end"/.exec(list.body)?.[1]
        assert.ok(id)
        const endPage = await manager.get(`/peer-supporters/${id}/end`)
        assert.equal(endPage.statusCode, 200)
        const ended = await manager.post(
          `/peer-supporters/${id}/end`,
          { 'endedOn-day': '25', 'endedOn-month': '11', 'endedOn-year': '2026' },
          { from: `/peer-supporters/${id}/end` },
        )
        assert.equal(ended.statusCode, 303)
        assert.doesNotMatch((await manager.get('/peer-supporters')).body, /Lloyd, Owain/)
        assert.equal((await manager.get(`/peer-supporters/${id}/end`)).statusCode, 404)

        const tab = await manager.get(`/people/${person.prisonNumber}/peer-support`)
        assert.equal(tab.statusCode, 200)
        assert.match(tab.body, /<h1 class="govuk-heading-l">Lloyd, Owain/)
        assert.match(tab.body, /Listener/)
        assert.match(tab.body, /25 November 2026/)
        const audit = await database.db
          .selectFrom('audit_event')
          .select('action')
          .where('person_id', '=', person.id)
          .orderBy('id')
          .execute()
        assert.deepEqual(
          audit.map((entry) => entry.action),
          ['peer-supporter.added', 'peer-supporter.ended', 'peer-support.viewed'],
        )
      })

      it('gives 404 for the peer support tab of a person in another establishment', async () => {
        const person = await givenPerson(database.db, elsewhere.code)
        const officer = await signedInAs(app, users.officer)
        assert.equal((await officer.get(`/people/${person.prisonNumber}/peer-support`)).statusCode, 404)
      })
    })
  })
}
