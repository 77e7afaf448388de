import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenActivity, givenActivityAllocation, givenAttendance } from '../../../test/support/attendance-builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage, type Page } from '../../../test/support/page.ts'
import { givenOrganisation } from '../../../test/support/staff-builders.ts'
import { followed, opened, sentBack } from '../../../test/support/page-steps.ts'

// A Wednesday.
const today = '2026-11-25'

describePagesOnEachEngine(
  'attendance pages',
  { clock: fixedClock(`${today}T16:00:00Z`), staff: ['officer', 'governor', 'partner'] },
  (site) => {
    describe('GET /attendance', () => {
      it('lists the day’s sessions with a link to take each register', async () => {
        const pottery = await givenActivity(site.db, site.home.code, {
          name: 'Pottery',
          groups: [{ slots: ['WED_PM'] }],
        })
        const page = await (await site.as('officer')).get(`/attendance?date=${today}`)
        assert.equal(page.statusCode, 200)
        const sessions = readPage(page.body)
        assert.ok(sessions.headings(2).includes('Sessions on 25 November 2026'))
        assert.ok(sessions.table().some(([activity]) => activity === 'Pottery'))
        assert.equal(
          sessions.link('Take register for Pottery, group a'),
          `/attendance/sessions/${pottery.groups[0].id}/${today}/WED_PM`,
        )
      })

      it('says so when the date typed is not a real one', async () => {
        const page = await (await site.as('officer')).get('/attendance?date-day=31&date-month=2&date-year=2026')
        assert.deepEqual(sentBack(page).errorTexts(), ['Enter a real date, for example 25 11 2026'])
      })

      it('is not for partner workers', async () => {
        const page = await (await site.as('partner')).get('/attendance')
        assert.equal(page.statusCode, 403)
      })
    })

    describe('GET and POST /attendance/sessions/:groupId/:sessionOn/:slot', () => {
      /** A new activity with one group meeting on Wednesday mornings, these people on it, and today's register. */
      const wednesdayMorningRegister = async (people: readonly { id: string }[], activity: { name?: string } = {}) => {
        const { groups } = await givenActivity(site.db, site.home.code, {
          ...activity,
          groups: [{ slots: ['WED_AM'] }],
        })
        const group = groups[0]
        for (const person of people) await givenActivityAllocation(site.db, person.id, group.id)
        return { group, url: `/attendance/sessions/${group.id}/${today}/WED_AM` }
      }

      /**
       * Sends the register from its page: each line's outcome (none for a line left blank) and reason, under the
       * form's names for that person, and any other fields of the form (the button pressed).
       */
      const sendRegister = (
        browser: Pick<Browser, 'post'>,
        url: string,
        lines: { person: { id: string }; outcome?: string; reason: string }[],
        others: Record<string, string> = {},
      ) => {
        const answers: Record<string, string> = { ...others }
        for (const { person, outcome, reason } of lines) {
          if (outcome !== undefined) answers[`outcome-${person.id}`] = outcome
          answers[`reason-${person.id}`] = reason
        }
        return browser.post(url, answers, { from: url })
      }

      it('saves the register and shows it saved', async () => {
        const person = await givenPerson(site.db, site.home.code, { firstName: 'Amir', lastName: 'Khan' })
        const { group, url } = await wednesdayMorningRegister([person], { name: 'Art' })
        const browser = await site.as('officer')

        const form = await browser.get(url)
        assert.equal(form.statusCode, 200)
        assert.match(readPage(form.body).text, /Khan, Amir/)
        const saved = await sendRegister(browser, url, [{ person, outcome: 'attended', reason: '' }])

        assert.equal(saved.statusCode, 303)
        assert.equal(saved.headers.location, url)
        const rows = await site.db.selectFrom('attendance').select('outcome').where('group_id', '=', group.id).execute()
        assert.deepEqual(rows, [{ outcome: 'attended' }])
        const after = await followed(browser, saved)
        assert.match(after.banner(), /Register saved/)
        assert.deepEqual(after.chosen(`outcome-${person.id}`), ['attended'])
      })

      it('comes back with 400 naming the person, keeping every line as typed, and saves nothing', async () => {
        const first = await givenPerson(site.db, site.home.code, { firstName: 'Bea', lastName: 'Able' })
        const second = await givenPerson(site.db, site.home.code, { firstName: 'Carl', lastName: 'Baker' })
        const { group, url } = await wednesdayMorningRegister([first, second])
        const browser = await site.as('officer')

        const page = await sendRegister(browser, url, [
          { person: first, outcome: 'sick', reason: 'Saw healthcare' },
          { person: second, outcome: 'refused', reason: '' },
        ])

        const refused = sentBack(page)
        assert.deepEqual(refused.errors(), [{ text: 'Enter why Carl Baker refused', href: `#reason-${second.id}` }])
        assert.equal(refused.valueOfField(`reason-${first.id}`), 'Saw healthcare')
        assert.deepEqual(refused.chosen(`outcome-${first.id}`), ['sick'])
        const rows = await site.db.selectFrom('attendance').select('id').where('group_id', '=', group.id).execute()
        assert.deepEqual(rows, [])
      })

      it('saves everyone left blank as attended in one press, keeping each outcome chosen or saved before', async () => {
        const [ames, bell, cole, dunn] = await Promise.all(
          ['Ames', 'Bell', 'Cole', 'Dunn'].map((lastName) => givenPerson(site.db, site.home.code, { lastName })),
        )
        const { group, url } = await wednesdayMorningRegister([ames, bell, cole, dunn], { name: 'Gym' })
        await givenAttendance(site.db, [
          { personId: dunn.id, groupId: group.id, sessionOn: today, slot: 'WED_AM', outcome: 'sick' },
        ])
        const browser = await site.as('officer')

        const form = await browser.get(url)
        assert.deepEqual(readPage(form.body).button('Save, marking everyone else as attended'), {
          name: 'rest',
          value: 'attended',
        })
        const saved = await sendRegister(
          browser,
          url,
          [
            { person: ames, outcome: 'refused', reason: 'Would not come out' },
            { person: bell, reason: '' },
            { person: cole, reason: '' },
            // Dunn's sickness, saved before the page was opened, comes back checked.
            { person: dunn, outcome: 'sick', reason: 'recorded by a test' },
          ],
          { rest: 'attended' },
        )

        assert.equal(saved.statusCode, 303)
        const rows = await site.db
          .selectFrom('attendance')
          .select(['person_id as personId', 'outcome'])
          .where('group_id', '=', group.id)
          .execute()
        assert.deepEqual(
          new Map(rows.map((row) => [row.personId, row.outcome])),
          new Map([
            [ames.id, 'refused'],
            [bell.id, 'attended'],
            [cole.id, 'attended'],
            [dunn.id, 'sick'],
          ]),
        )
      })

      it('keeps what someone else recorded while the page was open, and refuses a line both changed', async () => {
        const [eve, finn] = await Promise.all(
          ['Evans', 'Finch'].map((lastName) => givenPerson(site.db, site.home.code, { firstName: 'Sam', lastName })),
        )
        const { group, url } = await wednesdayMorningRegister([eve, finn], { name: 'Pottery' })
        const session = { groupId: group.id, sessionOn: today, slot: 'WED_AM' } as const
        await givenAttendance(
          site.db,
          [eve, finn].map((person) => ({ ...session, personId: person.id, outcome: 'attended' })),
        )
        const browser = await site.as('officer')
        const drawn = readPage((await browser.get(url)).body)
        const shownFields = Object.fromEntries(
          [eve, finn].flatMap((person) =>
            ['shown-outcome', 'shown-reason'].map((name) => [
              `${name}-${person.id}`,
              drawn.valueOfField(`${name}-${person.id}`) ?? '',
            ]),
          ),
        )
        // Meanwhile a handheld device records both otherwise.
        const recordedElsewhere = (person: { id: string }, outcome: 'refused' | 'sick', reason: string) =>
          site.db
            .updateTable('attendance')
            .set({ outcome, reason })
            .where('group_id', '=', group.id)
            .where('person_id', '=', person.id)
            .execute()
        await recordedElsewhere(eve, 'refused', 'Legal visit')
        await recordedElsewhere(finn, 'sick', 'Saw healthcare')

        const lines = [
          { person: eve, outcome: 'attended', reason: '' },
          { person: finn, outcome: 'refused', reason: 'Would not come out' },
        ]
        const refused = sentBack(await sendRegister(browser, url, lines, shownFields))
        assert.deepEqual(refused.errors(), [
          {
            text: `Someone else recorded Sam Finch while this page was open: their line now shows what they recorded. Check it and save the register again`,
            href: `#outcome-${finn.id}`,
          },
        ])
        assert.deepEqual(refused.chosen(`outcome-${finn.id}`), ['sick'])
        const outcomes = async () =>
          new Map(
            (
              await site.db
                .selectFrom('attendance')
                .select(['person_id', 'outcome'])
                .where('group_id', '=', group.id)
                .execute()
            ).map((row) => [row.person_id, row.outcome]),
          )
        assert.deepEqual(
          await outcomes(),
          new Map([
            [eve.id, 'refused'],
            [finn.id, 'sick'],
          ]),
        )
        // Sent again from the page as it now stands: Finn's line is the officer's; Eve's, unchanged, stays refused.
        const shownNow = {
          ...shownFields,
          [`shown-outcome-${finn.id}`]: 'sick',
          [`shown-reason-${finn.id}`]: 'Saw healthcare',
        }
        assert.equal((await sendRegister(browser, url, lines, shownNow)).statusCode, 303)
        assert.deepEqual(
          await outcomes(),
          new Map([
            [eve.id, 'refused'],
            [finn.id, 'refused'],
          ]),
        )
      })

      it('is a 404 for a group at another prison', async () => {
        const elsewhere = await givenEstablishment(site.db)
        const theirs = await givenActivity(site.db, elsewhere.code, { groups: [{ slots: ['WED_AM'] }] })
        const page = await (await site.as('officer')).get(`/attendance/sessions/${theirs.groups[0].id}/${today}/WED_AM`)
        assert.equal(page.statusCode, 404)
      })
    })

    describe('a person’s activities', () => {
      it('shows their activities and takes their feedback, refusing a rating left out', async () => {
        const gardening = await givenActivity(site.db, site.home.code, { name: 'Horticulture' })
        const person = await givenPerson(site.db, site.home.code)
        await givenActivityAllocation(site.db, person.id, gardening.groups[0].id)
        const browser = await site.as('officer')
        const formUrl = `/people/${person.prisonNumber}/activities/feedback`

        const tab = await browser.get(`/people/${person.prisonNumber}/activities`)
        assert.equal(tab.statusCode, 200)
        assert.match(readPage(tab.body).text, /Horticulture/)

        const feedback = {
          activityId: gardening.id,
          comment: 'Likes the greenhouse.\nWants <b>more</b> tomatoes & beans.',
          'givenOn-day': '25',
          'givenOn-month': '11',
          'givenOn-year': '2026',
        }
        const refused = await browser.post(formUrl, feedback, { from: formUrl })
        const form = sentBack(refused)
        assert.deepEqual(form.errors(), [{ text: 'Choose a rating from 1 to 5', href: '#rating' }])
        assert.equal(form.valueOfField('comment'), feedback.comment)

        const saved = await browser.post(formUrl, { ...feedback, rating: '5' }, { from: formUrl })
        assert.equal(saved.headers.location, `/people/${person.prisonNumber}/activities`)
        const shown = await followed(browser, saved)
        assert.match(shown.banner(), /Feedback recorded/)
        assert.match(shown.text, /5 out of 5/)
        assert.deepEqual(shown.ownLines(), [feedback.comment], 'their comment in its own lines, markup as typed')
      })

      it('is a 404 for a person at another prison', async () => {
        const elsewhere = await givenEstablishment(site.db)
        const stranger = await givenPerson(site.db, elsewhere.code)
        const page = await (await site.as('officer')).get(`/people/${stranger.prisonNumber}/activities`)
        assert.equal(page.statusCode, 404)
      })
    })

    describe('GET /attendance/reports', () => {
      it('names as many people with the least time out of cell as it lists, and says when more attended nothing', async () => {
        for (const [people, heading, tied] of [
          [22, 'The 20 people with the least time out of cell', true],
          [1, 'The person with the least time out of cell', false],
        ] as const) {
          const prison = await givenEstablishment(site.db)
          for (let n = 0; n < people; n += 1) await givenPerson(site.db, prison.code, { cellId: prison.cellId })
          const governor = await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [prison.code] })
          const report = await opened(await site.as(governor), '/attendance/reports?from=2026-11-23&to=2026-11-25')
          assert.ok(report.headings(3).includes(heading), report.headings(3).join(' | '))
          assert.equal(
            report.text.includes(
              '22 people attended nothing in this period: these are 20 of them, those with the most planned first. The download has everyone.',
            ),
            tied,
          )
        }
      })

      it('shows the figures for the period and downloads them as CSV', async () => {
        const reading = await givenActivity(site.db, site.home.code, {
          name: 'Reading circle',
          groups: [{ slots: ['MON_AM'] }],
        })
        const person = await givenPerson(site.db, site.home.code)
        await givenActivityAllocation(site.db, person.id, reading.groups[0].id)
        await givenAttendance(site.db, [
          {
            personId: person.id,
            groupId: reading.groups[0].id,
            sessionOn: '2026-11-23',
            slot: 'MON_AM',
            outcome: 'attended',
          },
        ])
        const browser = await site.as('governor')

        const page = await browser.get('/attendance/reports?from=2026-11-23&to=2026-11-25')
        assert.equal(page.statusCode, 200)
        const report = readPage(page.body)
        assert.match(report.text, /From 23 November 2026 to 25 November 2026/)
        assert.match(report.text, /Reading circle/)

        const csv = await browser.get('/attendance/reports/activities.csv?from=2026-11-23&to=2026-11-25')
        assert.equal(csv.statusCode, 200)
        assert.match(String(csv.headers['content-type']), /text\/csv/)
        assert.match(
          csv.body,
          new RegExp(`${reading.code},Reading circle,education,,1,0,0,0,0,0,0,100,0,0,0,0,,0,\\r\\n`),
        )
      })

      it('lists the 20 activities with the lowest attendance when there are more, and all of a provider’s when one is chosen', async () => {
        const partner = await givenOrganisation(site.db, 'charity', 'Bridge Recovery Trust')
        const person = await givenPerson(site.db, site.home.code)
        // The week of 5 October 2026, a session of each of 21 activities in each of its 21 slots: Course A refused,
        // the rest attended, and Course U run by a partner.
        const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']
        for (let n = 0; n < 21; n += 1) {
          const slot = `${days[Math.floor(n / 3)]}_${['AM', 'PM', 'ED'][n % 3]}`
          const course = await givenActivity(site.db, site.home.code, {
            name: `Course ${String.fromCharCode(65 + n)}`,
            providerOrganisationId: n === 20 ? partner : null,
            groups: [{ slots: [slot] }],
          })
          await givenAttendance(site.db, [
            {
              personId: person.id,
              groupId: course.groups[0].id,
              sessionOn: `2026-10-${String(5 + Math.floor(n / 3)).padStart(2, '0')}`,
              slot,
              outcome: n === 0 ? 'refused' : 'attended',
            },
          ])
        }
        const browser = await site.as('governor')
        const week = 'from=2026-10-05&to=2026-10-11'
        const listed = (page: Page) =>
          page
            .table('By activity')
            .slice(1)
            .map(([activity]) => activity)

        const report = readPage((await browser.get(`/attendance/reports?${week}`)).body)
        assert.match(report.text, /The 20 of 21 activities with the lowest attendance rate\./)
        assert.deepEqual(listed(report).slice(0, 2), ['Course A', 'Course B'])
        assert.equal(listed(report).length, 20)
        assert.ok(!listed(report).includes('Course U'), 'among the many at 100%, the last by name is left out')

        const theirs = readPage((await browser.get(report.link('Bridge Recovery Trust'))).body)
        assert.equal(
          report.link('Bridge Recovery Trust'),
          `/attendance/reports?${week}&provider=${partner}#by-activity`,
        )
        assert.deepEqual(listed(theirs), ['Course U'])
        assert.match(theirs.text, /The one activity of Bridge Recovery Trust with anything recorded in this period\./)
        assert.equal(theirs.link('Back to every provider'), `/attendance/reports?${week}#by-activity`)
        // Another period keeps the provider chosen.
        assert.equal(theirs.valueOfField('provider'), partner)

        const own = readPage((await browser.get(report.link('The prison'))).body)
        assert.match(
          own.text,
          /All 20 activities the prison runs itself with anything recorded in this period, by name\./,
        )
        assert.deepEqual(listed(own), listed(report).slice(0, 20).sort())

        // A provider with nothing in the period, or no provider at all, is no choice: the lowest 20 again.
        const madeUp = readPage((await browser.get(`/attendance/reports?${week}&provider=nobody`)).body)
        assert.deepEqual(listed(madeUp), listed(report))
      })

      it('refuses a period that ends before it starts', async () => {
        const page = await (
          await site.as('governor')
        ).get('/attendance/reports?from-day=25&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026')
        assert.deepEqual(sentBack(page).errors(), [
          { text: 'The end date must be the same as or after the start date', href: '#to-day' },
        ])
      })

      it('is not for officers', async () => {
        const page = await (await site.as('officer')).get('/attendance/reports')
        assert.equal(page.statusCode, 403)
      })
    })
  },
)
