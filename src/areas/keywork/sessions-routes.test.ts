import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage, textOf, type Page } from '../../../test/support/page.ts'
import { followed, opened, sentBack, sentBackWith } from '../../../test/support/page-steps.ts'
import {
  allocateFromTab,
  dedicatedOfficerTab,
  givenKeyWorker,
  keyWorkPagesOptions,
  keyWorkTab,
  rowsAbout,
} from '../../../test/support/keywork-builders.ts'

describePagesOnEachEngine('key work sessions, flags and statistics pages', keyWorkPagesOptions, (site) => {
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
  const flagsOf = (page: Page, person: string, caption?: string) => {
    const [header, ...rows] = page.table(caption)
    return rows.find((row) => row[0].startsWith(`${person} (`))?.[header.indexOf('Flags')] ?? ''
  }

  describe('K4: key work sessions and flags', () => {
    it('records a session whose check-in trips the flag, shown to the officer and to safer custody', async () => {
      const officer = await givenKeyWorker(site, 'Nia Thomas')
      const person = await givenPerson(site.db, site.home.code, { firstName: 'Bryn', lastName: 'Flagged' })
      await allocateFromTab(site, person, officer)
      const lead = await site.as('safercustody')
      const keyWorker = await site.as(officer)
      const from = keyWorkTab(person)
      const checkIn = { mood: '4', sleep: '4', familyContact: '3', worries: '4', notes: '' }
      const first = await postSession(keyWorker, person, '18', { minutes: '30', ...checkIn })
      assert.equal(first.statusCode, 303)
      const notes = 'Low after a letter.\nSaid <b>nothing</b> & went back to his cell.'
      const second = await postSession(keyWorker, person, '25', { minutes: '25', ...checkIn, mood: '1', notes })
      assert.equal(second.statusCode, 303)
      const page = await opened(keyWorker, from)
      assert.deepEqual(page.ownLines(), [notes], 'the check-in’s notes in their own lines, markup as typed')
      assert.ok(page.items().includes('Mood dropped from 4 to 1 since the last check-in.'), page.items().join(' | '))
      assert.equal(
        page.link('Raise a concern if you are worried.'),
        `/people/${person.prisonNumber}/concerns/new`,
        'the flag links to raising a concern about the person',
      )
      const caseload = await opened(keyWorker, '/my-caseload')
      assert.match(flagsOf(caseload, 'Flagged, Bryn'), /^Mood dropped from 4 to 1 since the last check-in/)
      const flags = await opened(lead, '/wellbeing-flags')
      assert.match(
        flagsOf(flags, 'Flagged, Bryn', 'People with a wellbeing flag'),
        /^Mood dropped from 4 to 1 since the last check-in/,
      )
    })

    it('refuses a session with no mood, keeping what was typed', async () => {
      const officer = await givenKeyWorker(site, 'Rhian Lewis')
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
      const officer = await givenKeyWorker(site, 'Gwen Parry')
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
      const officer = await givenKeyWorker(site, 'Huw Owen')
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
      assert.equal(await rowsAbout(site.db, 'key_work_session', person), 0)
    })

    it('refuses a session in the future', async () => {
      const officer = await givenKeyWorker(site, 'Alun Bevan')
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
      assert.equal(await rowsAbout(site.db, 'progress_meeting', person), 0)
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
      const officer = await givenKeyWorker(site, 'Zed Wing Officer')
      const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId, lastName: 'Unplaced' })
      const browser = await site.as('safercustody')
      // The wings first, each with how many it has to allocate; its people on its own page.
      const summary = await opened(browser, '/dedicated-officers')
      assert.equal(summary.link('A wing'), '/dedicated-officers?wing=A')
      const wingsTable = summary.table('Wings with people to allocate')
      assert.deepEqual(wingsTable[0], ['Wing', 'People to allocate', 'With a recommended officer'])
      assert.ok(wingsTable.some((row) => row[0] === 'A wing' && Number(row[1]) >= 1))
      assert.equal(summary.mentions('Unplaced, Test'), false)
      assert.equal(summary.hasButton('Accept recommendation for A wing'), false)
      const wings = await opened(browser, '/dedicated-officers?wing=A')
      assert.equal(wings.link('Unplaced, Test'), dedicatedOfficerTab(person))
      assert.ok(wings.hasButton('Accept recommendation for A wing'))
      const plan = planOf(wings, 'A wing')
      assert.match(plan, new RegExp(`${person.id}=`))
      const stale = await browser.post(
        '/dedicated-officers',
        { wing: 'A', plan: `${person.id}=${officer.id}x` },
        { from: '/dedicated-officers?wing=A' },
      )
      // Back to the wing, its recommendation shown again to review.
      assert.equal(stale.headers.location, '/dedicated-officers?wing=A')
      const again = await followed(browser, stale)
      assert.match(again.banner(), /the recommendation changed/)
      assert.equal(planOf(again, 'A wing'), plan)
      const posted = await browser.post(
        '/dedicated-officers',
        { wing: 'A', plan },
        { from: '/dedicated-officers?wing=A' },
      )
      assert.equal(posted.headers.location, '/dedicated-officers?wing=A')
      // One person on A wing without an officer: one allocated, said in the singular (it read '1 people allocated').
      assert.match((await followed(browser, posted)).banner(), /^Success 1 person allocated$/)
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

    it('keeps the wing chosen in the wellbeing flags’ page links', async () => {
      // A prison of its own: 51 flagged people on its A wing, each allocated in September and not seen since.
      const prison = await givenEstablishment(site.db)
      const lead = await givenStaffUser(site.db, { role: 'safercustody', establishmentCodes: [prison.code] })
      const officer = await givenStaffUser(site.db, { role: 'keyworker', establishmentCodes: [prison.code] })
      for (let n = 0; n < 51; n += 1) {
        const person = await givenPerson(site.db, prison.code, { cellId: prison.cellId })
        await givenDedicatedOfficer(site.db, person.id, officer.id, '2026-09-01T09:00:00Z')
      }
      const browser = await site.as(lead)
      const summary = await opened(browser, '/wellbeing-flags')
      assert.deepEqual(summary.table('Flagged people on each wing').slice(1), [
        ['A wing', '51'],
        ['Every wing', '51'],
      ])
      const wing = await opened(browser, summary.link('A wing'))
      assert.equal(wing.link('Next page'), '/wellbeing-flags?wing=A&page=2')
      const second = await opened(browser, wing.link('Next page'))
      assert.equal(second.table('People with a wellbeing flag').length, 2)
      // Its title says which wing and which page, as its address does.
      assert.equal(second.title, 'Wellbeing flags: A wing (page 2 of 2) - Waymark')
      assert.equal(summary.title, 'Wellbeing flags (page 1 of 2) - Waymark')
    })
  })
})
