import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage, textOf, type Page } from '../../../test/support/page.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { opened, sentBack, sentBackWith } from '../../../test/support/page-steps.ts'

const today = '2026-11-25'

describePagesOnEachEngine(
  'key work pages',
  {
    clock: fixedClock(`${today}T10:00:00Z`),
    config: { signInAttemptsPerMinute: 100 },
    staff: ['safercustody', 'governor'],
  },
  (site) => {
    let elsewhere: { code: string }
    before(async () => {
      elsewhere = await givenEstablishment(site.db)
    })

    /** A key worker with both trainings current unless told otherwise. */
    async function givenKeyWorker(name: string, training: { safeguarding?: string | null } = {}) {
      const officer = await givenStaffUser(site.db, { role: 'keyworker', establishmentCodes: [site.home.code] })
      await site.db.updateTable('staff_user').set({ display_name: name }).where('id', '=', officer.id).execute()
      const safeguarding = training.safeguarding === undefined ? '2027-06-01' : training.safeguarding
      if (safeguarding) await givenTraining(site.db, officer.id, 'safeguarding', '2024-06-01', safeguarding)
      await givenTraining(site.db, officer.id, 'mental-health-first-aid', '2024-06-01', '2027-06-01')
      return { ...officer, displayName: name }
    }

    /** The dedicated officer tab of a person's record, where safer custody allocates their officer. */
    const dedicatedOfficerTab = (person: { prisonNumber: string }) => `/people/${person.prisonNumber}/dedicated-officer`

    /** Safer custody allocates this officer to the person from their dedicated officer tab: the form's answer. */
    async function allocateFromTab(person: { prisonNumber: string }, officer: { id: string }) {
      const from = dedicatedOfficerTab(person)
      return (await site.as('safercustody')).post(from, { staffUserId: officer.id }, { from })
    }

    /** A new person with this key worker as their dedicated officer, allocated by safer custody from the tab. */
    async function givenPersonAllocatedTo(name: string) {
      const officer = await givenKeyWorker(name)
      const person = await givenPerson(site.db, site.home.code)
      await allocateFromTab(person, officer)
      return { officer, person }
    }

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

    /** How many rows of a key work table are about the person: what a form wrote, or that it wrote nothing. */
    async function rowsAbout(
      table: 'dedicated_officer_allocation' | 'officer_change_request' | 'key_work_session' | 'progress_meeting',
      person: { id: string },
    ) {
      return (await site.db.selectFrom(table).select('person_id').where('person_id', '=', person.id).execute()).length
    }

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
        assert.equal(saved.headers.location, '/key-work-settings?done=saved')
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
        const officer = await givenKeyWorker('Kim Lloyd')
        const browser = await site.as(officer)
        assert.equal((await browser.get('/key-work-settings')).statusCode, 403)
      })
    })

    describe('/people/:prisonNumber/dedicated-officer', () => {
      it('refuses an officer whose safeguarding training has expired, says why, and writes nothing', async () => {
        const lapsed = await givenKeyWorker('Dai Evans', { safeguarding: '2026-11-24' })
        const person = await givenPerson(site.db, site.home.code)
        const page = await allocateFromTab(person, lapsed)
        sentBackWith(page, [
          { text: 'Dai Evans’s safeguarding training is missing or out of date', href: '#staffUserId' },
        ])
        assert.equal(await rowsAbout('dedicated_officer_allocation', person), 0)
      })

      it('allocates an eligible officer, shows them and records it in the audit trail', async () => {
        const officer = await givenKeyWorker('Ffion Hughes')
        const person = await givenPerson(site.db, site.home.code)
        const posted = await allocateFromTab(person, officer)
        const from = dedicatedOfficerTab(person)
        const browser = await site.as('safercustody')
        assert.equal(posted.statusCode, 303)
        assert.equal(posted.headers.location, `${from}?done=allocated`)
        const page = await opened(browser, from)
        assert.equal(page.summary().Officer, 'Ffion Hughes')
        assert.equal(page.mentions(officer.id), false, 'the current officer is not offered again')
        assert.equal(page.summary()['Next key work session due'], '2 December 2026')
        const audit = await auditTrailOf(site.db, { personId: person.id })
        assert.equal(audit.filter((entry) => entry.action === 'dedicated-officer.allocated').length, 1)
      })

      it('shows a person whose officer is on leave as needing cover', async () => {
        const { officer, person } = await givenPersonAllocatedTo('Owen Price')
        await givenStaffStatus(site.db, officer.id, { status: 'annual-leave', reactivationOn: '2026-12-10' })
        const browser = await site.as('safercustody')
        const page = await opened(browser, dedicatedOfficerTab(person))
        assert.equal(page.summary().Officer, 'Owen Price Needs cover')
        const wingPage = await opened(browser, '/dedicated-officers')
        assert.match(wingPage.text, new RegExp(`People who need cover .*\\(${person.prisonNumber}\\).* Owen Price`))
      })

      it('ends an allocation with a reason, shown in the history', async () => {
        const { person } = await givenPersonAllocatedTo('Carys Bowen')
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
        const saved = await browser.post(
          url,
          { needsSpecialist: 'yes', reason: 'Brain injury: one officer' },
          { from: url },
        )
        assert.equal(saved.statusCode, 303)
        assert.equal(saved.headers.location, `/people/${person.prisonNumber}/dedicated-officer?done=specialist`)
        const after = await opened(browser, url)
        assert.deepEqual(after.table().slice(1), [
          ['Needs a specialist', 'Brain injury: one officer', 'Test safercustody', '25 November 2026'],
        ])
        const again = await browser.post(url, { needsSpecialist: 'yes', reason: 'Again' }, { from: url })
        sentBackWith(again, [
          { text: 'This person is already marked as needing a specialist officer', href: '#needsSpecialist' },
        ])
      })

      it('lets only those who allocate mark a specialist need', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const keyworker = await givenKeyWorker('Bryn Jones')
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
        const { officer, person } = await givenPersonAllocatedTo('Gethin Rowlands')
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
        const { officer, person } = await givenPersonAllocatedTo('Elin Rhys')
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
        assert.equal(raised.headers.location, `${url}?done=change-requested`)
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
          await rowsAbout('officer_change_request', person),
          1,
          'one request waits; the second wrote nothing',
        )
      })

      it('is recorded as agreed, ending the allocation with the reason change requested', async () => {
        const { person } = await givenPersonAllocatedTo('Iolo Price')
        const lead = await site.as('safercustody')
        const from = dedicatedOfficerTab(person)
        await lead.post(
          `/people/${person.prisonNumber}/change-officer`,
          { changeReason: 'Wants someone else' },
          { from },
        )
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
          { outcome: 'agreed', outcomeReason: 'Agreed at review' },
          { from: '/officer-change-requests' },
        )
        assert.equal(decided.statusCode, 303)
        const allocation = await site.db
          .selectFrom('dedicated_officer_allocation')
          .select(['end_reason'])
          .where('person_id', '=', person.id)
          .executeTakeFirstOrThrow()
        assert.equal(allocation.end_reason, 'change-requested')
      })
    })

    /** A person's key work tab, where their sessions and progress meetings are recorded. */
    const keyWorkTab = (person: { prisonNumber: string }) => `/people/${person.prisonNumber}/key-work`

    /** A check-in with nothing to flag, as its four questions' radios send it. */
    const steadyCheckIn = { mood: '3', sleep: '3', familyContact: '3', worries: '3' }

    /** Records a key work session from the person's tab: the day it was held in GOV.UK's three boxes, and its answers. */
    const postSession = (
      browser: Browser,
      person: { prisonNumber: string },
      day: string,
      answers: Record<string, string>,
    ) => {
      const from = keyWorkTab(person)
      const form = { 'heldOn-day': day, 'heldOn-month': '11', 'heldOn-year': '2026', ...answers }
      return browser.post(`${from}/sessions`, form, { from })
    }

    /** Records a progress meeting from the person's tab, with the answers as the form sends them. */
    const postMeeting = (browser: Browser, person: { prisonNumber: string }, answers: Record<string, string>) => {
      const from = keyWorkTab(person)
      return browser.post(`${from}/meetings`, answers, { from })
    }

    /** The flags shown against a person in the only table of a page: my caseload, or the wellbeing flags. */
    const flagsOf = (page: Page, person: string) => {
      const [header, ...rows] = page.table()
      return rows.find((row) => row[0].startsWith(`${person} (`))?.[header.indexOf('Flags')] ?? ''
    }

    describe('K4: key work sessions and flags', () => {
      it('records a session whose check-in trips the flag, shown to the officer and to safer custody', async () => {
        const officer = await givenKeyWorker('Nia Thomas')
        const person = await givenPerson(site.db, site.home.code, { firstName: 'Bryn', lastName: 'Flagged' })
        await allocateFromTab(person, officer)
        const lead = await site.as('safercustody')
        const keyWorker = await site.as(officer)
        const from = keyWorkTab(person)
        const checkIn = { mood: '4', sleep: '4', familyContact: '3', worries: '4', notes: '' }
        const first = await postSession(keyWorker, person, '18', { minutes: '30', ...checkIn })
        assert.equal(first.statusCode, 303)
        const second = await postSession(keyWorker, person, '25', { minutes: '25', ...checkIn, mood: '1' })
        assert.equal(second.statusCode, 303)
        const page = await opened(keyWorker, from)
        assert.ok(page.items().includes('Mood dropped from 4 to 1 since the last check-in.'), page.items().join(' | '))
        assert.equal(
          page.link('Raise a concern if you are worried.'),
          `/people/${person.prisonNumber}/concerns/new`,
          'the flag links to raising a concern about the person',
        )
        const caseload = await opened(keyWorker, '/my-caseload')
        assert.match(flagsOf(caseload, 'Flagged, Bryn'), /^Mood dropped from 4 to 1 since the last check-in/)
        const flags = await opened(lead, '/wellbeing-flags')
        assert.match(flagsOf(flags, 'Flagged, Bryn'), /^Mood dropped from 4 to 1 since the last check-in/)
      })

      it('refuses a session with no mood, keeping what was typed', async () => {
        const officer = await givenKeyWorker('Rhian Lewis')
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as(officer)
        const page = await postSession(browser, person, '20', {
          minutes: '45',
          sleep: '3',
          familyContact: '3',
          worries: '3',
          notes: 'kept note',
        })
        const refused = sentBackWith(page, [{ text: 'Choose how the person is doing for mood', href: '#mood' }])
        assert.match(refused.text, /kept note/)
        assert.equal(refused.valueOf('Length in minutes'), '45')
        assert.equal(refused.valueOfField('heldOn-day'), '20')
      })

      it('offers today, 25 11 2026, in day, month and year boxes for a session and for a meeting', async () => {
        const officer = await givenKeyWorker('Gwen Parry')
        const person = await givenPerson(site.db, site.home.code)
        const form = await opened(await site.as(officer), keyWorkTab(person))
        for (const field of ['heldOn', 'meetingHeldOn'])
          for (const [part, value] of [
            ['day', '25'],
            ['month', '11'],
            ['year', '2026'],
          ])
            assert.equal(form.valueOfField(`${field}-${part}`), value, `${field}-${part}`)
        assert.equal(form.mentions(/YYYY-MM-DD|2026-11-25/), false)
      })

      it('refuses a date the calendar does not have, pointing at the day box and keeping what was typed', async () => {
        const officer = await givenKeyWorker('Huw Owen')
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as(officer)
        const page = await postSession(browser, person, '31', { minutes: '30', ...steadyCheckIn })
        const refused = sentBackWith(page, [
          { text: 'Enter the date of the session, for example 25 11 2026', href: '#heldOn-day' },
        ])
        assert.equal(refused.valueOfField('heldOn-day'), '31')
        const meeting = await postMeeting(browser, person, {
          'meetingHeldOn-day': '',
          'meetingHeldOn-month': '',
          'meetingHeldOn-year': '',
          mood: '3',
        })
        assert.deepEqual(sentBack(meeting).errors()[0], {
          text: 'Enter the date of the meeting, for example 25 11 2026',
          href: '#meetingHeldOn-day',
        })
        assert.equal(await rowsAbout('key_work_session', person), 0)
      })

      it('refuses a session in the future', async () => {
        const officer = await givenKeyWorker('Alun Bevan')
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as(officer)
        const page = await postSession(browser, person, '26', { minutes: '45', ...steadyCheckIn })
        sentBackWith(page, [{ text: 'The date must be today or in the past', href: '#heldOn-day' }])
      })

      it('records a progress meeting with its attendees', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as('safercustody')
        const from = keyWorkTab(person)
        const posted = await postMeeting(browser, person, {
          'meetingHeldOn-day': '24',
          'meetingHeldOn-month': '11',
          'meetingHeldOn-year': '2026',
          name1: 'Mair Jenkins',
          organisation1: 'Samaritans',
          role1: 'Volunteer',
          ...steadyCheckIn,
          familyContact: '2',
        })
        assert.equal(posted.statusCode, 303)
        const meetings = (await opened(browser, from)).table()
        assert.deepEqual(
          meetings.map((row) => row.slice(0, 2)),
          [
            ['Date', 'Attendees'],
            ['24 November 2026', 'Mair Jenkins, Volunteer, Samaritans'],
          ],
        )
      })

      it('never says a meeting was recorded when an attendee’s name is too long, and keeps what was typed', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as('safercustody')
        const name = 'M'.repeat(101)
        const page = await postMeeting(browser, person, {
          meetingHeldOn: '2026-11-24',
          name1: name,
          organisation1: 'Samaritans',
          role1: 'Volunteer',
          ...steadyCheckIn,
          familyContact: '2',
        })
        const refused = sentBackWith(page, [
          { text: 'There is a problem with this answer. Check it and try again.', href: '#name1' },
        ])
        assert.ok(refused.title.startsWith('Error: '), refused.title)
        assert.equal(refused.valueOfField('name1'), name)
        assert.equal(await rowsAbout('progress_meeting', person), 0)
      })

      it('asks for a whole attendee row', async () => {
        const person = await givenPerson(site.db, site.home.code)
        const browser = await site.as('safercustody')
        const page = await postMeeting(browser, person, {
          meetingHeldOn: '2026-11-24',
          name1: 'Mair',
          ...steadyCheckIn,
          familyContact: '2',
        })
        sentBackWith(page, [
          { text: 'Enter at least one attendee with their name, organisation and role', href: '#name1' },
        ])
      })
    })

    /** What pressing "Accept recommendation for <wing>" sends as the plan: the hidden field in that button's form. */
    const planOf = (page: Page, wing: string) =>
      page.root
        .querySelectorAll('main button')
        .find((button) => textOf(button) === `Accept recommendation for ${wing}`)
        ?.closest('form')
        ?.querySelector('input[name="plan"]')
        ?.getAttribute('value') ?? ''

    describe('/dedicated-officers and statistics', () => {
      it('recommends officers for a wing and allocates them all with one POST', async () => {
        const officer = await givenKeyWorker('Zed Wing Officer')
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId, lastName: 'Unplaced' })
        const browser = await site.as('safercustody')
        const wings = await opened(browser, '/dedicated-officers')
        assert.equal(wings.link('Unplaced, Test'), dedicatedOfficerTab(person))
        assert.ok(wings.hasButton('Accept recommendation for A wing'))
        const plan = planOf(wings, 'A wing')
        assert.match(plan, new RegExp(`${person.id}=`))
        const stale = await browser.post(
          '/dedicated-officers',
          { wing: 'A', plan: `${person.id}=${officer.id}x` },
          { from: '/dedicated-officers' },
        )
        assert.equal(stale.headers.location, '/dedicated-officers?done=changed')
        assert.match((await opened(browser, '/dedicated-officers?done=changed')).banner(), /the recommendation changed/)
        const posted = await browser.post('/dedicated-officers', { wing: 'A', plan }, { from: '/dedicated-officers' })
        assert.equal(posted.statusCode, 303)
        assert.equal(posted.headers.location?.startsWith('/dedicated-officers?done=accepted&count='), true)
        const row = await site.db
          .selectFrom('dedicated_officer_allocation')
          .select(['allocation_kind', 'staff_user_id'])
          .where('person_id', '=', person.id)
          .where('ended_at', 'is', null)
          .executeTakeFirstOrThrow()
        assert.equal(row.allocation_kind, 'recommended')
        assert.ok(row.staff_user_id)
      })

      it('shows the statistics for the prison, its wings and officers', async () => {
        const browser = await site.as('governor')
        const statistics = await opened(browser, '/dedicated-officers/statistics')
        assert.equal(statistics.heading(), 'Key work statistics')
        assert.match(statistics.text, /Sessions held of due/)
        assert.ok(statistics.headings(2).includes('Past the first contact threshold (7 days) with no session'))
        assert.match(statistics.text, /From 29 October 2026 to 25 November 2026/)
        // The records behind the measures' progress meetings figure: the same 12 weeks, whatever period is chosen.
        const progressMeetings = statistics.root.getElementById('progress-meetings')
        assert.deepEqual([progressMeetings?.tagName, textOf(progressMeetings)], ['H2', 'Progress meetings'])
        assert.match(statistics.text, /\d+ held of \d+ due from 3 September 2026 to 25 November 2026/)
        const week = await opened(browser, '/dedicated-officers/statistics?days=7')
        assert.match(week.text, /From 19 November 2026 to 25 November 2026/)
        // The period chosen is the one the select shows.
        assert.equal(week.root.querySelector('#days option[selected]')?.getAttribute('value'), '7')
        assert.equal(statistics.root.querySelector('#days option[selected]')?.getAttribute('value'), '28')
        const odd = await opened(browser, '/dedicated-officers/statistics?days=5000')
        assert.match(odd.text, /From 29 October 2026 to 25 November 2026/)
      })

      it('names a person past first contact to a monitor without a link to key work they cannot open', async () => {
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId, lastName: 'Uncontacted' })
        const monitor = await givenStaffUser(site.db, { role: 'monitor', establishmentCodes: [site.home.code] })
        const browser = await site.as(monitor)
        const keyWork = keyWorkTab(person)
        assert.equal((await browser.get(keyWork)).statusCode, 403)
        const statistics = await opened(browser, '/dedicated-officers/statistics')
        assert.ok(statistics.text.includes(`Uncontacted, Test (${person.prisonNumber})`))
        assert.ok(!statistics.addresses().includes(keyWork))
        const governorsPage = await (await site.as('governor')).get('/dedicated-officers/statistics')
        assert.equal(readPage(governorsPage.body).link('Uncontacted, Test'), keyWork)
      })
    })
  },
)
