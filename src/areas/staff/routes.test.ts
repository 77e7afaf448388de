import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenOrganisation, givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage, type Page } from '../../../test/support/page.ts'
import { followed, opened, sentBack } from '../../../test/support/page-steps.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

describePagesOnEachEngine(
  'staff and peer supporter pages',
  {
    clock: fixedClock('2026-11-25T09:00:00Z'),
    config: { signInAttemptsPerMinute: 100 },
    staff: ['safercustody', 'partner', 'activities', 'officer', 'governor', 'admin'],
  },
  (site) => {
    let elsewhere: { code: string }
    let officerId: string
    let outsiderId: string

    before(async () => {
      const db = site.db
      elsewhere = await givenEstablishment(db)
      const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [site.home.code] })
      officerId = officer.id
      await db.updateTable('staff_user').set({ display_name: 'Nia Bowen' }).where('id', '=', officerId).execute()
      await givenStaffStatus(db, officerId, { organisationId: await givenOrganisation(db, 'prison-service') })
      await givenTraining(db, officerId, 'safeguarding', '2023-11-01', '2025-11-01')
      outsiderId = (await givenStaffUser(db, { role: 'officer', establishmentCodes: [elsewhere.code] })).id
    })

    /** Sends the form at an address from its own page, as someone filling it in does. */
    const sendForm = (browser: Browser, url: string, answers: Record<string, string>) =>
      browser.post(url, answers, { from: url })

    /** Sends a form of Nia Bowen's staff record ('training/new', 'status'…). */
    const sendOfficerForm = (browser: Browser, form: string, answers: Record<string, string>) =>
      sendForm(browser, `/staff/${officerId}/${form}`, answers)

    const saveSupervisionInterval = (browser: Browser, weeks: string) =>
      sendForm(browser, '/staff/settings', { supervisionIntervalWeeks: weeks })

    /** A date as GOV.UK's date input sends it: the field's day, month and year boxes. */
    const dateBoxes = (field: string, [day, month, year]: [string, string, string]) => ({
      [`${field}-day`]: day,
      [`${field}-month`]: month,
      [`${field}-year`]: year,
    })

    describe('/staff/settings', () => {
      it('lets the governor set how often supervision is due, saying what is wrong with a bad number', async () => {
        const governor = await site.signedInAs('governor')
        const list = await opened(governor, '/staff')
        assert.match(list.text, /due every 8 weeks/)
        assert.equal(list.link('Change how often supervision is due'), '/staff/settings')
        assert.equal((await opened(governor, '/staff/settings')).valueOfField('supervisionIntervalWeeks'), '8')
        const invalid = await saveSupervisionInterval(governor, '30')
        const refused = sentBack(invalid)
        assert.deepEqual(refused.errors(), [
          { text: 'Enter a whole number of weeks from 1 to 26', href: '#supervisionIntervalWeeks' },
        ])
        assert.equal(refused.valueOfField('supervisionIntervalWeeks'), '30')
        const saved = await saveSupervisionInterval(governor, '6')
        assert.equal(saved.statusCode, 303)
        assert.equal(saved.headers.location, '/staff/settings')
        assert.match((await opened(governor, '/staff')).text, /due every 6 weeks/)
        const overdue = await governor.get('/staff?supervision=overdue')
        assert.equal(readPage(overdue.body).valueOf('Supervision'), 'overdue')
        // The measures' ACCT training figure links here: the filter is kept on the page.
        assert.equal((await opened(governor, '/staff?without=acct')).valueOf('Qualifications'), 'acct')
        // Back to the default, for the other tests of this prison.
        await saveSupervisionInterval(governor, '8')
      })

      it('is refused to the safer custody lead, who sees no link to it', async () => {
        const lead = await site.signedInAs('safercustody')
        assert.equal((await lead.get('/staff/settings')).statusCode, 403)
        assert.ok(!(await opened(lead, '/staff')).addresses().includes('/staff/settings'))
      })
    })

    describe('/organisations', () => {
      it('adds a partner organisation, keeping what was typed when the form is wrong', async () => {
        const lead = await site.signedInAs('safercustody')
        const list = await opened(lead, '/organisations')
        assert.equal(list.heading(), 'Organisations')
        assert.equal(list.link('Add an organisation'), '/organisations/new')
        const url = '/organisations/new'
        const invalid = await sendForm(lead, url, { name: 'Open Door Wales', kind: '', services: 'Family visits' })
        const refused = sentBack(invalid)
        assert.match(refused.title, /^Error: /)
        assert.deepEqual(refused.errors(), [{ text: 'Select the kind of organisation', href: '#kind' }])
        assert.equal(refused.valueOfField('name'), 'Open Door Wales')
        assert.equal(refused.valueOfField('services'), 'Family visits')
        const services = 'Family visits.\nMentors <b>on release</b> & after.'
        const added = await sendForm(lead, url, { name: 'Open Door Wales', kind: 'charity', services })
        assert.equal(added.statusCode, 303)
        assert.equal(added.headers.location, '/organisations')
        const after = await followed(lead, added)
        assert.match(after.banner(), /Organisation added/)
        assert.ok(after.table('Organisations').some(([name]) => name === 'Open Door Wales'))
        assert.ok(
          after.ownLines().includes(services),
          'its services in the lines they were written in, markup as typed',
        )
      })

      it('lets an administrator change an organisation, and refuses a name already taken', async () => {
        const lead = await site.signedInAs('admin')
        await givenOrganisation(site.db, 'charity', 'Taken Name Trust')
        const id = await givenOrganisation(site.db, 'charity', 'Old Name Trust')
        const url = `/organisations/${id}`
        assert.equal((await opened(lead, url)).valueOfField('name'), 'Old Name Trust')
        const taken = await sendForm(lead, url, { name: 'taken name trust', kind: 'charity', services: '' })
        assert.equal(sentBack(taken).fieldError('name'), 'There is already an organisation with this name')
        const changed = await sendForm(lead, url, { name: 'New Name Trust', kind: 'provider', services: 'Mentors' })
        assert.equal(changed.statusCode, 303)
        assert.ok(
          (await opened(lead, '/organisations')).table('Organisations').some(([name]) => name === 'New Name Trust'),
        )
        assert.equal((await lead.get('/organisations/not-an-id')).statusCode, 404)
      })

      it('keeps an organisation every prison shares from being renamed by one prison’s safer custody lead or governor', async () => {
        const id = await givenOrganisation(site.db, 'charity', 'Listening Ear Cymru')
        for (const role of ['safercustody', 'governor'] as const) {
          const manager = await site.signedInAs(role)
          const list = await opened(manager, '/organisations')
          assert.equal(
            list.link('Add an organisation'),
            '/organisations/new',
            `${role} still adds their prison’s partners`,
          )
          assert.ok(!list.addresses().includes(`/organisations/${id}`), role)
          assert.equal((await manager.get(`/organisations/${id}`)).statusCode, 403, role)
          const renamed = await manager.post(
            `/organisations/${id}`,
            { name: 'Renamed by one prison', kind: 'charity', services: '' },
            { from: '/organisations' },
          )
          assert.equal(renamed.statusCode, 403, role)
        }
        const row = await site.db.selectFrom('organisation').select('name').where('id', '=', id).executeTakeFirst()
        assert.equal(row?.name, 'Listening Ear Cymru')
      })

      it('lets a partner worker neither see nor change the organisations', async () => {
        const partner = await site.signedInAs('partner')
        assert.equal((await partner.get('/organisations')).statusCode, 403)
        assert.equal((await partner.get('/organisations/new')).statusCode, 403)
      })
    })

    describe('GET /staff', () => {
      it('lists the staff of the prison with their training state, for the safer custody lead', async () => {
        const lead = await site.signedInAs('safercustody')
        const read = await opened(lead, '/staff')
        assert.equal(read.heading(), 'Staff and partner workers')
        assert.equal(read.link('Nia Bowen'), `/staff/${officerId}`)
        const nia = read.table('Staff and partner workers').find(([name]) => name === 'Nia Bowen')
        assert.match(nia?.[4] ?? '', /^Expired/, 'her safeguarding has expired')
        assert.equal(read.mentions(outsiderId), false)
      })

      it('shows fifty to a page and finds someone by name, keeping the filters in the page links and the name in its box', async () => {
        const db = site.db
        const { code } = await givenEstablishment(db)
        const governor = await givenStaffUser(db, { role: 'governor', establishmentCodes: [code] })
        // Officer Aa, Officer Ab … Officer By: 51 names in the order the list sorts them.
        for (let n = 0; n < 51; n += 1) {
          const { id } = await givenStaffUser(db, { role: 'officer', establishmentCodes: [code] })
          const displayName = `Officer ${String.fromCharCode(65 + Math.floor(n / 26), 97 + (n % 26))}`
          await db.updateTable('staff_user').set({ display_name: displayName }).where('id', '=', id).execute()
        }
        const browser = await site.as(governor)
        const names = (page: Page) =>
          page
            .table('Staff and partner workers')
            .slice(1)
            .map(([name]) => name)

        // Nobody here has key training: the filter keeps all 52, in name order, the governor ("Test governor") last.
        const first = await opened(browser, '/staff?gap=expired-or-missing')
        assert.match(first.statuses()[0], /^52 people shown · 0 of 52 have all key training up to date/)
        assert.equal(names(first).length, 50)
        assert.equal(names(first)[0], 'Officer Aa')
        const second = await opened(browser, first.link('Next page'))
        assert.deepEqual(names(second), ['Officer By', 'Test governor'])
        assert.equal(second.link('Previous page'), '/staff?gap=expired-or-missing&page=1')
        assert.equal(second.title, 'Staff and partner workers (page 2 of 2) - Waymark')
        assert.equal(second.valueOf('Training'), 'expired-or-missing')

        const found = await opened(browser, '/staff?search=OFFICER+BC')
        assert.deepEqual(names(found), ['Officer Bc'])
        assert.equal(found.valueOf('Name'), 'OFFICER BC')
        assert.match(found.statuses()[0], /^1 person shown · 0 of 52/)
        assert.equal(found.mentions('Next page'), false)

        // A search that finds more than a page keeps the name in every page's link.
        const officers = await opened(browser, '/staff?search=+officer+')
        assert.equal(names(officers).length, 50)
        assert.equal(officers.link('Next page'), '/staff?search=officer&page=2')

        const nobody = await opened(browser, '/staff?search=Nia+Bowen')
        assert.match(nobody.text, /No one matches\. Try another name, or another filter\./)
      })

      it('filters to those with key training expired or missing', async () => {
        const lead = await site.signedInAs('safercustody')
        assert.equal((await opened(lead, '/staff?gap=expiring-soon')).mentions('Nia Bowen'), false)
      })

      it('refuses a partner worker', async () => {
        const partner = await site.signedInAs('partner')
        assert.equal((await partner.get('/staff')).statusCode, 403)
        assert.equal((await partner.get(`/staff/${officerId}`)).statusCode, 403)
      })
    })

    describe('the forms', () => {
      it('open for the safer custody lead and are refused to an officer', async () => {
        const lead = await site.signedInAs('safercustody')
        const officer = await site.signedInAs('officer')
        const forms: [string, string][] = [
          [`/staff/${officerId}/training/new`, 'Record training'],
          [`/staff/${officerId}/supervision/new`, 'Record supervision'],
          [`/staff/${officerId}/status`, 'Change status, organisation or caseload limit'],
        ]
        for (const [url, title] of forms) {
          assert.equal((await opened(lead, url)).heading(), title, url)
          assert.equal((await officer.get(url)).statusCode, 403, url)
        }
        const addPage = await opened(await site.signedInAs('activities'), '/peer-supporters/new')
        assert.equal(addPage.heading(), 'Add a peer supporter')
      })

      it('shows the staff member in Welsh after choosing Cymraeg', async () => {
        const lead = await site.signedInAs('safercustody')
        await lead.get('/language/cy?returnTo=/staff')
        const headings = (await opened(lead, `/staff/${officerId}`)).headings(2)
        assert.ok(headings.includes('Hyfforddiant a chymwysterau'), headings.join())
        assert.ok(headings.includes('Goruchwyliaeth'), headings.join())
      })
    })

    describe('GET /staff/:staffUserId', () => {
      it('shows a staff member’s training and supervision', async () => {
        const lead = await site.signedInAs('safercustody')
        const read = await opened(lead, `/staff/${officerId}`)
        assert.equal(read.heading(), 'Nia Bowen')
        assert.ok(read.table('Training and qualifications').some(([course]) => course === 'Safeguarding'))
        assert.match(read.text, /No supervision recorded/)
      })

      it('gives 404 for someone at another establishment, and for an address that is no id', async () => {
        const lead = await site.signedInAs('safercustody')
        assert.equal((await lead.get(`/staff/${outsiderId}`)).statusCode, 404)
        assert.equal((await lead.get(`/staff/${outsiderId}/training/new`)).statusCode, 404)
        assert.equal((await lead.get('/staff/not-an-id')).statusCode, 404)
      })
    })

    describe('POST /staff/:staffUserId/training/new', () => {
      it('keeps what was typed and says what is wrong', async () => {
        const lead = await site.signedInAs('safercustody')
        const page = await sendOfficerForm(lead, 'training/new', {
          course: 'safeguarding',
          ...dateBoxes('completedOn', ['', '', '']),
          ...dateBoxes('expiresOn', ['31', '2', '2027']),
          isJoint: 'yes',
        })
        const refused = sentBack(page)
        assert.match(refused.title, /^Error: /)
        assert.ok(refused.headings(2).includes('There is a problem'))
        assert.deepEqual(refused.errors(), [
          { text: 'Enter the date the course was completed', href: '#completedOn-day' },
          { text: 'The expiry date must be a real date', href: '#expiresOn-day' },
        ])
        assert.equal(refused.isChecked('Safeguarding'), true)
        assert.equal(refused.valueOfField('expiresOn-day'), '31')
        assert.equal(refused.isChecked('This was joint training'), true)
      })

      it('records the training and returns to the staff member, now current', async () => {
        const lead = await site.signedInAs('safercustody')
        const response = await sendOfficerForm(lead, 'training/new', {
          course: 'safeguarding',
          ...dateBoxes('completedOn', ['20', '11', '2026']),
          ...dateBoxes('expiresOn', ['20', '11', '2029']),
        })
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, `/staff/${officerId}`)
        const page = await followed(lead, response)
        assert.match(page.banner(), /Training recorded/)
        assert.ok(
          page
            .table('Training and qualifications')
            .some(
              ([course, state, , expires]) =>
                course === 'Safeguarding' && state === 'Current' && expires === '20 November 2029',
            ),
        )
      })
    })

    describe('POST /staff/:staffUserId/status', () => {
      it('keeps the values and explains a reactivation date for someone active', async () => {
        const lead = await site.signedInAs('safercustody')
        const page = await sendOfficerForm(lead, 'status', {
          status: 'active',
          caseloadLimit: '40',
          ...dateBoxes('reactivationOn', ['1', '12', '2026']),
        })
        const refused = sentBack(page)
        assert.deepEqual(refused.errorTexts(), [
          'Leave the date blank for someone who is active',
          'Enter a caseload limit from 0 to 30, or leave it blank',
        ])
        assert.equal(refused.valueOfField('caseloadLimit'), '40')
      })
    })

    describe('POST /staff/:staffUserId/supervision/new', () => {
      it('records a session held today', async () => {
        const lead = await site.signedInAs('safercustody')
        const response = await sendOfficerForm(lead, 'supervision/new', {
          kind: 'reflective-practice',
          supervisor: 'Dr Ffion Rees, Valley Health',
          ...dateBoxes('heldOn', ['25', '11', '2026']),
        })
        const page = await followed(lead, response)
        assert.match(page.text, /Last held on 25 November 2026\. Next due by 20 January 2027\./)
      })
    })

    describe('peer supporters', () => {
      it('shows the list to an officer, without the add button', async () => {
        const officer = await site.signedInAs('officer')
        const page = await opened(officer, '/peer-supporters')
        assert.equal(page.heading(), 'Peer supporters')
        assert.equal(page.mentions('Add a peer supporter'), false)
        assert.equal((await officer.get('/peer-supporters/new')).statusCode, 403)
      })

      it('adds a Listener found by prison number, counts them per 100 people, and ends the role', async () => {
        const person = await givenPerson(site.db, site.home.code, {
          firstName: 'Owain',
          lastName: 'Lloyd',
          cellId: site.home.cellId,
        })
        const manager = await site.signedInAs('activities')
        /** Adds a Listener on A wing from 1 November, naming them by the prison number typed. */
        const addListener = (prisonNumber: string) =>
          sendForm(manager, '/peer-supporters/new', {
            prisonNumber,
            scheme: 'listener',
            wingId: String(site.home.wingId),
            ...dateBoxes('startedOn', ['1', '11', '2026']),
          })
        const refused = await addListener('Z9999ZZ')
        assert.equal(sentBack(refused).fieldError('prisonNumber'), 'No one with that prison number is in this prison')
        assert.equal(readPage(refused.body).valueOfField('prisonNumber'), 'Z9999ZZ')

        const added = await addListener(person.prisonNumber.toLowerCase())
        assert.equal(added.statusCode, 303)
        const list = await opened(manager, '/peer-supporters')
        assert.ok(list.table('Peer supporters on A wing').some(([name]) => name === 'Lloyd, Owain'))
        assert.match(list.text, /Peer supporters: 1\. People on this wing: 1\. Per 100 people: 100\./)

        const id = /^\/peer-supporters\/([0-9a-f-]+)\/end$/.exec(list.link('End role for Owain Lloyd'))?.[1]
        assert.ok(id)
        await opened(manager, `/peer-supporters/${id}/end`)
        const ended = await sendForm(manager, `/peer-supporters/${id}/end`, dateBoxes('endedOn', ['25', '11', '2026']))
        assert.equal(ended.statusCode, 303)
        assert.equal((await opened(manager, '/peer-supporters')).mentions('Lloyd, Owain'), false)
        assert.equal((await manager.get(`/peer-supporters/${id}/end`)).statusCode, 404)

        const support = await opened(manager, `/people/${person.prisonNumber}/peer-support`)
        assert.match(support.heading(), /^Lloyd, Owain/)
        assert.ok(
          support
            .table('Peer support')
            .some(([role, , , ended]) => role === 'Listener' && ended === '25 November 2026'),
        )
        const audit = await auditTrailOf(site.db, { personId: person.id })
        assert.deepEqual(
          audit.map((entry) => entry.action),
          ['peer-supporter.added', 'peer-supporter.ended', 'peer-support.viewed'],
        )
      })

      it('gives 404 for the peer support tab of a person in another establishment', async () => {
        const person = await givenPerson(site.db, elsewhere.code)
        const officer = await site.signedInAs('officer')
        assert.equal((await officer.get(`/people/${person.prisonNumber}/peer-support`)).statusCode, 404)
      })
    })
  },
)
