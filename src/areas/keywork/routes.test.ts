import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenStaffStatus } from '../../../test/support/staff-builders.ts'
import {
  allocateFromTab,
  dedicatedOfficerTab,
  givenKeyWorker,
  givenPersonAllocatedTo,
  keyWorkPagesOptions,
  keyWorkTab,
  rowsAbout,
} from '../../../test/support/keywork-builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage, regionOf } from '../../../test/support/page.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { opened, sentBackWith } from '../../../test/support/page-steps.ts'

describePagesOnEachEngine('key work pages', keyWorkPagesOptions, (site) => {
  let elsewhere: { code: string }
  before(async () => {
    elsewhere = await givenEstablishment(site.db)
  })

  /** Sends the key work settings from their page: the usual ones, with what a test changes. */
  const saveSettings = (browser: Browser, changes: Record<string, string> = {}) =>
    browser.post(
      '/key-work-settings',
      {
        officerLabel: 'personal officer',
        officerLabelCy: 'swyddog personol',
        caseloadDefault: '6',
        caseloadExtended: '9',
        sessionIntervalDays: '7',
        firstContactDays: '7',
        ...changes,
      },
      { from: '/key-work-settings' },
    )

  describe('GET and POST /key-work-settings', () => {
    it('shows the defaults when the prison has saved none', async () => {
      const browser = await site.as('governor')
      const settings = await opened(browser, '/key-work-settings')
      assert.equal(settings.heading(), 'Key work settings')
      assert.equal(settings.valueOfField('officerLabel'), 'key worker')
      assert.equal(settings.valueOfField('caseloadDefault'), '6')
    })

    it('refuses an extended caseload below the usual one, keeping what was typed', async () => {
      const browser = await site.as('governor')
      const page = await saveSettings(browser, { caseloadDefault: '8', caseloadExtended: '7' })
      const refused = sentBackWith(page, [
        { text: 'The extended caseload must be at least the usual caseload', href: '#caseloadExtended' },
      ])
      assert.equal(refused.valueOfField('officerLabel'), 'personal officer')
      const saved = await site.db
        .selectFrom('keywork_policy')
        .selectAll()
        .where('establishment_code', '=', site.home.code)
        .execute()
      assert.equal(saved.length, 0)
    })

    it('saves the settings and the label shows on a person’s page', async () => {
      const browser = await site.as('governor')
      const saved = await saveSettings(browser)
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/key-work-settings')
      const person = await givenPerson(site.db, site.home.code)
      const page = await opened(browser, dedicatedOfficerTab(person))
      assert.ok(page.headings(2).includes('Current personal officer'), page.headings(2).join(' | '))
      await browser.get('/language/cy?returnTo=/roll')
      const welsh = await opened(browser, dedicatedOfficerTab(person))
      assert.ok(welsh.headings(2).includes('Y swyddog personol presennol'), welsh.headings(2).join(' | '))
      assert.equal(welsh.mentions('personal officer'), false)
      await browser.get('/language/en?returnTo=/roll')
    })

    it('asks for the Welsh name as well as the English, keeping what was typed', async () => {
      const browser = await site.as('governor')
      const page = await saveSettings(browser, { officerLabelCy: ' ' })
      const refused = sentBackWith(page, [
        {
          text: 'Enter what this prison calls a dedicated officer in Welsh, up to 40 characters',
          href: '#officerLabelCy',
        },
      ])
      assert.equal(refused.valueOfField('officerLabel'), 'personal officer')
    })

    it('is refused to a key worker', async () => {
      const officer = await givenKeyWorker(site, 'Kim Lloyd')
      const browser = await site.as(officer)
      assert.equal((await browser.get('/key-work-settings')).statusCode, 403)
    })
  })

  describe('/people/:prisonNumber/dedicated-officer', () => {
    it('refuses an officer whose safeguarding training has expired, says why, and writes nothing', async () => {
      const lapsed = await givenKeyWorker(site, 'Dai Evans', { safeguarding: '2026-11-24' })
      const person = await givenPerson(site.db, site.home.code)
      const page = await allocateFromTab(site, person, lapsed)
      sentBackWith(page, [
        { text: 'Dai Evans’s safeguarding training is missing or out of date', href: '#staffUserId' },
      ])
      assert.equal(await rowsAbout(site.db, 'dedicated_officer_allocation', person), 0)
      // The tab offers only those who can take the person; the others are listed apart, each with why.
      const tab = await opened(await site.as('safercustody'), dedicatedOfficerTab(person))
      const offered = tab.root.querySelectorAll('#staffUserId option').map((option) => option.getAttribute('value'))
      assert.ok(offered.length > 1 && !offered.includes(lapsed.id), offered.join(' '))
      assert.ok(tab.items().includes('Dai Evans’s safeguarding training is missing or out of date'))
    })

    it('allocates an eligible officer, shows them and records it in the audit trail', async () => {
      const officer = await givenKeyWorker(site, 'Ffion Hughes')
      const person = await givenPerson(site.db, site.home.code)
      const posted = await allocateFromTab(site, person, officer)
      const from = dedicatedOfficerTab(person)
      const browser = await site.as('safercustody')
      assert.equal(posted.statusCode, 303)
      assert.equal(posted.headers.location, from)
      const page = await opened(browser, from)
      assert.equal(page.summary().Officer, 'Ffion Hughes')
      assert.equal(page.mentions(officer.id), false, 'the current officer is not offered again')
      assert.equal(page.summary()['Next key work session due'], '2 December 2026')
      const audit = await auditTrailOf(site.db, { personId: person.id })
      assert.equal(audit.filter((entry) => entry.action === 'dedicated-officer.allocated').length, 1)
    })

    it('shows a person whose officer is on leave as needing cover', async () => {
      const { officer, person } = await givenPersonAllocatedTo(site, 'Owen Price')
      await givenStaffStatus(site.db, officer.id, { status: 'annual-leave', reactivationOn: '2026-12-10' })
      const browser = await site.as('safercustody')
      const page = await opened(browser, dedicatedOfficerTab(person))
      assert.equal(page.summary().Officer, 'Owen Price Needs cover')
      const wingPage = await opened(browser, '/dedicated-officers')
      assert.match(wingPage.text, new RegExp(`People who need cover .*\\(${person.prisonNumber}\\).* Owen Price`))
    })

    it('ends an allocation with a reason, shown in the history', async () => {
      const { person } = await givenPersonAllocatedTo(site, 'Carys Bowen')
      const browser = await site.as('safercustody')
      const from = dedicatedOfficerTab(person)
      const ended = await browser.post(`${from}/end`, { reason: 'officer-unavailable' }, { from })
      assert.equal(ended.statusCode, 303)
      const page = await opened(browser, from)
      assert.deepEqual(page.table(), [
        ['Officer', 'From', 'To', 'Why it ended'],
        ['Carys Bowen', '25 November 2026', '25 November 2026', 'Officer unavailable'],
      ])
      assert.match(page.text, /This person has no (key worker|personal officer)\./)
    })

    it('asks for a reason when ending an allocation without one', async () => {
      const person = await givenPerson(site.db, site.home.code)
      const browser = await site.as('safercustody')
      const from = dedicatedOfficerTab(person)
      const page = await browser.post(`${from}/end`, {}, { from })
      sentBackWith(page, [{ text: 'Choose why the allocation is ending', href: '#reason' }])
    })

    it('marks a person as needing a specialist officer with why, shown with who decided', async () => {
      const person = await givenPerson(site.db, site.home.code)
      const browser = await site.as('safercustody')
      const url = `/people/${person.prisonNumber}/dedicated-officer/specialist`
      const tab = await opened(browser, dedicatedOfficerTab(person))
      assert.equal(tab.link('Change whether this person needs a specialist officer'), url)
      assert.match((await opened(browser, url)).text, /Does this person need a specialist dedicated officer\?/)
      const invalid = await browser.post(url, { needsSpecialist: 'yes', reason: ' ' }, { from: url })
      const refused = sentBackWith(invalid, [{ text: 'Enter why, up to 1,000 characters', href: '#reason' }])
      assert.ok(refused.title.startsWith('Error: '), refused.title)
      assert.equal(refused.isChecked('Yes'), true)
      const reason = 'Brain injury.\nOne officer <i>only</i> & the same one.'
      const saved = await browser.post(url, { needsSpecialist: 'yes', reason }, { from: url })
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, `/people/${person.prisonNumber}/dedicated-officer`)
      const after = await opened(browser, url)
      assert.deepEqual(after.table().slice(1), [
        [
          'Needs a specialist',
          'Brain injury. One officer <i>only</i> & the same one.',
          'Test safercustody',
          '25 November 2026',
        ],
      ])
      assert.deepEqual(after.ownLines(), [reason], 'why, in the lines it was written in')
      const again = await browser.post(url, { needsSpecialist: 'yes', reason: 'Again' }, { from: url })
      sentBackWith(again, [
        { text: 'This person is already marked as needing a specialist officer', href: '#needsSpecialist' },
      ])
    })

    it('lets only those who allocate mark a specialist need', async () => {
      const person = await givenPerson(site.db, site.home.code)
      const keyworker = await givenKeyWorker(site, 'Bryn Jones')
      const browser = await site.as(keyworker)
      const url = `/people/${person.prisonNumber}/dedicated-officer/specialist`
      assert.equal((await browser.get(url)).statusCode, 403)
      const tab = await opened(browser, dedicatedOfficerTab(person))
      assert.equal(tab.mentions(/specialist$/), false, 'no link, form or field leads to the specialist page')
    })

    it('gives 404 for a person in another establishment', async () => {
      const person = await givenPerson(site.db, elsewhere.code)
      const browser = await site.as('safercustody')
      assert.equal((await browser.get(`/people/${person.prisonNumber}/dedicated-officer/specialist`)).statusCode, 404)
      assert.equal((await browser.get(dedicatedOfficerTab(person))).statusCode, 404)
      assert.equal((await browser.get(keyWorkTab(person))).statusCode, 404)
    })
  })

  describe('K2: a request to change officer', () => {
    it('is never shown to the officer it is about, on any page or in the API, even when they can raise one', async () => {
      const { officer, person } = await givenPersonAllocatedTo(site, 'Gethin Rowlands')
      const lead = await site.as('safercustody')
      const from = dedicatedOfficerTab(person)
      const secret = 'Feels Gethin does not listen 7731'
      const raised = await lead.post(
        `/people/${person.prisonNumber}/change-officer`,
        { changeReason: secret },
        { from },
      )
      assert.equal(raised.statusCode, 303)
      const review = await opened(lead, '/officer-change-requests')
      assert.equal(review.summary()['Reason given'], secret)

      const subject = await site.as(officer)
      for (const url of [
        from,
        keyWorkTab(person),
        `/people/${person.prisonNumber}/change-officer`,
        `/people/${person.prisonNumber}`,
        '/my-caseload',
        '/wellbeing-flags',
      ]) {
        const page = await subject.get(url)
        assert.equal(page.statusCode, 200, url)
        const request = /7731|does not listen|Requests to change|Waiting for a decision/i
        // A page is read as a document, every attribute too. What other systems read is in api-routes.test.ts.
        assert.equal(readPage(page.body).mentions(request), false, url)
      }
      assert.equal((await subject.get('/officer-change-requests')).statusCode, 403)
      assert.equal((await subject.get('/api/officer-change-requests')).statusCode, 403)
    })

    it('can be recorded by a partner worker, who cannot see the dedicated officer tab, once while it waits', async () => {
      const { officer, person } = await givenPersonAllocatedTo(site, 'Elin Rhys')
      const from = dedicatedOfficerTab(person)
      const partner = await givenStaffUser(site.db, { role: 'partner', establishmentCodes: [site.home.code] })
      const browser = await site.as(partner)
      const url = `/people/${person.prisonNumber}/change-officer`
      assert.equal((await browser.get(from)).statusCode, 403)
      assert.equal((await opened(browser, url)).mentions('Elin Rhys'), false)
      const empty = await browser.post(url, { changeReason: ' ' }, { from: url })
      sentBackWith(empty, [{ text: 'Enter the reason, up to 2,000 characters', href: '#changeReason' }])
      const raised = await browser.post(url, { changeReason: 'Asked me at the mentoring session' }, { from: url })
      assert.equal(raised.statusCode, 303)
      assert.equal(raised.headers.location, url)
      const rows = await site.db
        .selectFrom('officer_change_request')
        .select(['about_staff_user_id', 'raised_by', 'status'])
        .where('person_id', '=', person.id)
        .execute()
      assert.deepEqual(rows, [{ about_staff_user_id: officer.id, raised_by: partner.id, status: 'pending' }])
      const second = await browser.post(url, { changeReason: 'Asked again on the wing' }, { from: url })
      const refused = sentBackWith(second, [
        {
          text: 'This person already has a request waiting for safer custody to decide. Add to it by telling safer custody.',
          href: '#changeReason',
        },
      ])
      assert.equal(refused.valueOf('Reason'), 'Asked again on the wing')
      assert.equal(
        await rowsAbout(site.db, 'officer_change_request', person),
        1,
        'one request waits; the second wrote nothing',
      )
    })

    it('is recorded as agreed, ending the allocation with the reason change requested', async () => {
      const { person } = await givenPersonAllocatedTo(site, 'Iolo Price')
      const lead = await site.as('safercustody')
      const from = dedicatedOfficerTab(person)
      const changeReason = 'Wants someone else.\nSaid <b>so</b> twice & meant it.'
      await lead.post(`/people/${person.prisonNumber}/change-officer`, { changeReason }, { from })
      assert.ok((await opened(lead, '/officer-change-requests')).ownLines().includes(changeReason))
      const request = await site.db
        .selectFrom('officer_change_request')
        .select('id')
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow()
      const missing = await lead.post(
        `/officer-change-requests/${request.id}`,
        { outcome: 'agreed' },
        { from: '/officer-change-requests' },
      )
      sentBackWith(missing, [
        { text: 'Enter the reason for the decision, up to 2,000 characters', href: `#outcomeReason-${request.id}` },
      ])
      const decided = await lead.post(
        `/officer-change-requests/${request.id}`,
        { outcome: 'agreed', outcomeReason: 'Agreed at review.\nNew officer from Monday.' },
        { from: '/officer-change-requests' },
      )
      assert.equal(decided.statusCode, 303)
      // Sent again (a second click, or a colleague's open page): not saved, and the page says why.
      const again = await lead.post(
        `/officer-change-requests/${request.id}`,
        { outcome: 'declined', outcomeReason: 'Second thoughts' },
        { from: '/officer-change-requests' },
      )
      assert.equal(again.statusCode, 409)
      assert.equal(readPage(again.body).heading(), 'Your change was not saved')
      const decisions = (await opened(lead, '/officer-change-requests')).ownLines()
      assert.ok(
        decisions.includes('Agreed at review.\nNew officer from Monday.'),
        'the decision’s reason, in its lines',
      )
      const allocation = await site.db
        .selectFrom('dedicated_officer_allocation')
        .select(['end_reason'])
        .where('person_id', '=', person.id)
        .executeTakeFirstOrThrow()
      assert.equal(allocation.end_reason, 'change-requested')
    })
  })

  describe('GET /dedicated-officers/statistics', () => {
    it('lists the 20 officers with the lowest compliance first when there are more, and every officer on asking', async () => {
      const db = site.db
      const prison = await givenEstablishment(db)
      const governor = await givenStaffUser(db, { role: 'governor', establishmentCodes: [prison.code] })
      // 22 officers, each the dedicated officer of one person since September: sessions are due weekly, and
      // officer n held n % 5 of the last 28 days' four (0% to 100%).
      for (let n = 0; n < 22; n += 1) {
        const officer = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: [prison.code] })
        const name = `Officer ${String.fromCharCode(65 + n)}`
        await db.updateTable('staff_user').set({ display_name: name }).where('id', '=', officer.id).execute()
        const person = await givenPerson(db, prison.code)
        await givenDedicatedOfficer(db, person.id, officer.id, '2026-09-01T10:00:00Z')
        for (let held = 0; held < n % 5; held += 1)
          await db
            .insertInto('key_work_session')
            .values({
              person_id: person.id,
              staff_user_id: officer.id,
              held_on: `2026-11-${String(1 + held * 7).padStart(2, '0')}`,
              minutes: 30,
              recorded_at: new Date('2026-11-24T15:00:00Z'),
            })
            .execute()
      }
      const browser = await site.as(governor)
      const compliance = (page: ReturnType<typeof readPage>) =>
        regionOf(page, 'By officer')
          .table()
          .slice(1)
          .map((row) => row[4])

      const lowest = await opened(browser, '/dedicated-officers/statistics')
      assert.match(lowest.text, /The 20 of 22 officers with the lowest compliance rate\./)
      const rates = compliance(lowest).map((rate) => Number(rate.replace('%', '')))
      assert.equal(rates.length, 20)
      assert.deepEqual(
        rates,
        [...rates].sort((a, b) => a - b),
      )
      // Four held every session due: the two of them last by name are left out.
      assert.equal(rates.filter((rate) => rate === 100).length, 2)

      assert.equal(
        lowest.link('Show all 22 officers'),
        '/dedicated-officers/statistics?days=28&officers=all&page=1#by-officer',
      )
      const every = await opened(browser, lowest.link('Show all 22 officers'))
      // Another period keeps every officer listed.
      assert.equal(every.valueOfField('officers'), 'all')
      assert.equal(compliance(every).length, 22)
      assert.match(every.text, /All 22 officers, by name\./)
      assert.equal(
        every.link('Show the 20 with the lowest compliance rate'),
        '/dedicated-officers/statistics?days=28&page=1#by-officer',
      )
    })
  })
})
