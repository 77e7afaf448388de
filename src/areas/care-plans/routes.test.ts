import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import {
  givenAnotherPerson,
  givenCarePlanPrison,
  givenDeadlinesPrison,
} from '../../../test/support/care-plan-builders.ts'

const clock = fixedClock('2026-11-25T10:00:00Z')

/** The prison's care plan settings, sent from their own page. */
const sendSettings = (browser: Browser, form: Record<string, string>) =>
  browser.post('/care-plan-settings', form, { from: '/care-plan-settings' })

/** The settings refused and sent back (400): the problems the page lists. */
async function settingsRefused(browser: Browser, form: Record<string, string>, why = 'the settings are refused') {
  const response = await sendSettings(browser, form)
  assert.equal(response.statusCode, 400, why)
  return readPage(response.body).errors()
}

describePagesOnEachEngine(
  'care plan pages',
  // A day-long idle limit: the clock moves on hours to let an observation go overdue.
  { clock, config: { sessionIdleMinutes: 24 * 60 }, home: givenCarePlanPrison },
  (site) => {
    let planUrl = ''

    describe('opening a plan', () => {
      it('shows the form with the clock it starts', async () => {
        const browser = await site.as(site.home.officer)
        const page = await browser.get(`/people/${site.home.person.prisonNumber}/care-plans/new`)
        assert.equal(page.statusCode, 200)
        assert.match(readPage(page.body).text, /Opening the plan starts the clock/)
      })

      it('refuses an empty reason with an error summary, and saves nothing', async () => {
        const browser = await site.as(site.home.officer)
        const page = await browser.post(`/people/${site.home.person.prisonNumber}/care-plans`, { reason: '  ' })
        assert.equal(page.statusCode, 400)
        assert.deepEqual(readPage(page.body).errors(), [
          { text: 'Enter why the plan is being opened', href: '#reason' },
        ])
        const plans = await site.db.selectFrom('care_plan').select('id').execute()
        assert.equal(plans.length, 0)
      })

      it('opens the plan and goes to it', async () => {
        const browser = await site.as(site.home.officer)
        const response = await browser.post(`/people/${site.home.person.prisonNumber}/care-plans`, {
          reason: 'Said they had had enough',
        })
        assert.equal(response.statusCode, 303)
        const location = String(response.headers.location)
        assert.match(location, /^\/people\/[A-Z0-9]+\/care-plans\/[0-9a-f-]{36}\?done=opened$/)
        planUrl = location.split('?')[0]!
        const page = await browser.get(location)
        assert.equal(page.statusCode, 200)
        const plan = readPage(page.body)
        assert.match(plan.banner(), /Care plan opened/)
        assert.deepEqual(plan.tags()[0], ['HA: ACCT open', 'red'])
        assert.equal(plan.link('Record immediate action'), `${planUrl}/immediate-action`)
      })
    })

    describe('the ACCT alert in the person’s header', () => {
      /** The red badge, and its link to the care plan tab. */
      const assertAlert = (html: string, prisonNumber: string, url = '') => {
        const page = readPage(html)
        assert.deepEqual(page.badges(), [['Open ACCT care plan', 'red']], url)
        assert.equal(page.link('Open ACCT care plan'), `/people/${prisonNumber}/care-plans`, url)
      }

      it('shows on every tab of the record of a person on an open plan, linked to the care plan tab', async () => {
        const { prisonNumber } = site.home.person
        const officer = await site.as(site.home.officer)
        for (const url of [`/people/${prisonNumber}`, `/people/${prisonNumber}/journey`]) {
          const page = await officer.get(url)
          assert.equal(page.statusCode, 200, url)
          assertAlert(page.body, prisonNumber, url)
        }
        const partner = await (await site.as(site.home.partner)).get(`/people/${prisonNumber}/journey`)
        assertAlert(partner.body, prisonNumber)
      })

      it('is not shown for a person with no plan, nor to a role that may not see the plan summary', async () => {
        const another = await givenAnotherPerson(site.db, site.home)
        const officer = await (await site.as(site.home.officer)).get(`/people/${another.prisonNumber}`)
        assert.equal(officer.statusCode, 200)
        assert.deepEqual(readPage(officer.body).badges(), [])
        const monitor = await (await site.as(site.home.monitor)).get(`/people/${site.home.person.prisonNumber}`)
        assert.equal(monitor.statusCode, 200)
        assert.equal(readPage(monitor.body).mentions('ACCT'), false)
      })
    })

    describe('the steps of the plan', () => {
      it('records the immediate action and its supervision, and then shows the next observation', async () => {
        const browser = await site.as(site.home.officer)
        const bad = await browser.post(`${planUrl}/immediate-action`, {
          immediateAction: 'Stayed with them',
          observationsPerDay: 'many',
          observationsPerNight: '2',
          conversationsPerDay: '1',
          conversationsPerNight: '0',
        })
        assert.equal(bad.statusCode, 400)
        const refused = readPage(bad.body)
        assert.deepEqual(refused.errors(), [
          { text: 'Enter a number of observations between 0 and 96', href: '#observationsPerDay' },
        ])
        assert.equal(refused.valueOfField('observationsPerDay'), 'many')
        const done = await browser.post(`${planUrl}/immediate-action`, {
          immediateAction: 'Stayed with them',
          observationsPerDay: '4',
          observationsPerNight: '2',
          conversationsPerDay: '1',
          conversationsPerNight: '0',
        })
        assert.equal(done.statusCode, 303)
        const page = await browser.get(planUrl)
        assert.match(readPage(page.body).text, /Next observation: around \d\d:\d\d, and by \d\d:\d\d at the latest/)
      })

      it('lists only trained assessors, and refuses a time in the future', async () => {
        const browser = await site.as(site.home.lead)
        const form = await browser.get(`${planUrl}/assessment`)
        assert.equal(form.statusCode, 200)
        // The lead's training is current; the officer's lapsed.
        assert.deepEqual(
          readPage(form.body)
            .options('Assessor')
            .map((option) => option.value),
          ['', site.home.lead.id],
        )
        const assessment = { assessorId: site.home.lead.id, assessmentNotes: 'Low mood' }
        const future = await browser.post(`${planUrl}/assessment`, {
          ...assessment,
          heldOn: '2026-11-26',
          heldTime: '09:00',
        })
        assert.equal(future.statusCode, 400)
        assert.deepEqual(readPage(future.body).errors(), [
          { text: 'The time cannot be in the future', href: '#heldOn' },
        ])
        const done = await browser.post(`${planUrl}/assessment`, {
          ...assessment,
          heldOn: '2026-11-25',
          heldTime: '10:00',
        })
        assert.equal(done.statusCode, 303)
      })

      it('holds the first case review, refusing one with no next review', async () => {
        const browser = await site.as(site.home.lead)
        const form = await browser.get(`${planUrl}/review`)
        assert.deepEqual(readPage(form.body).headings(2), ['First case review'])
        const fields = {
          heldOn: '2026-11-25',
          heldTime: '10:00',
          personPresent: 'yes',
          healthcareAttended: 'Amira Khan',
          caseManagerId: site.home.lead.id,
          riskLevel: 'high',
          observationsPerDay: '12',
          observationsPerNight: '12',
          conversationsPerDay: '3',
          conversationsPerNight: '1',
          triggers: 'Letters from home',
          warningSigns: 'Withdrawn',
          outcome: 'continue',
          actionDescription1: 'Chaplaincy visit',
          actionOwner1: 'Chaplaincy',
          actionDueOn1: '2026-11-27',
        }
        const reviewsOf = async () =>
          (
            await site.db
              .selectFrom('care_plan_review')
              .select('id')
              .where('care_plan_id', '=', planUrl.split('/').pop()!)
              .execute()
          ).length
        const reviewsBefore = await reviewsOf()
        const tooLong = await browser.post(`${planUrl}/review`, {
          ...fields,
          nextReviewOn: '2026-11-28',
          nextReviewTime: '10:00',
          actionDescription1: 'C'.repeat(501),
        })
        assert.equal(tooLong.statusCode, 400, 'an action too long to keep is never a review recorded')
        assert.deepEqual(readPage(tooLong.body).errors(), [
          { text: 'There is a problem with this answer. Check it and try again.', href: '#actionDescription1' },
        ])
        assert.equal(await reviewsOf(), reviewsBefore)
        const missing = await browser.post(`${planUrl}/review`, fields)
        assert.equal(missing.statusCode, 400)
        assert.deepEqual(readPage(missing.body).errors(), [
          { text: 'Enter the date and time of the next case review', href: '#nextReviewOn' },
        ])
        const done = await browser.post(`${planUrl}/review`, {
          ...fields,
          nextReviewOn: '2026-11-28',
          nextReviewTime: '10:00',
        })
        assert.equal(done.statusCode, 303)
        const page = await browser.get(planUrl)
        const plan = readPage(page.body)
        assert.equal(plan.table('Care map')[1]?.[0], 'Chaplaincy visit')
        assert.equal(plan.summary()['Level of risk'], 'high')
      })

      it('records an observation, and shows an overdue one in red with words', async () => {
        const browser = await site.as(site.home.officer)
        const empty = await browser.post(`${planUrl}/observations`, { observedOn: '2026-11-25', observedTime: '10:00' })
        assert.equal(empty.statusCode, 400)
        assert.ok(
          readPage(empty.body)
            .errors()
            .some((error) => error.text === 'Enter what you saw or heard'),
        )
        const pasted = await browser.post(`${planUrl}/observations`, {
          observedOn: '2026-11-25',
          observedTime: '10:00',
          seen: 'Sitting up\u0000 talked about football',
          wasConversation: 'yes',
        })
        assert.equal(pasted.statusCode, 400)
        assert.match(readPage(pasted.body).text, /a character that cannot be saved/)
        const done = await browser.post(`${planUrl}/observations`, {
          observedOn: '2026-11-25',
          observedTime: '10:00',
          seen: 'Sitting up, talked about football',
          wasConversation: 'yes',
        })
        assert.equal(done.statusCode, 303)
        // Four hours on, and back in any case: the tests after this one read the plan at 10:00.
        clock.advanceMinutes(4 * 60)
        try {
          const page = await browser.get(planUrl)
          const overdue = readPage(page.body)
          assert.ok(overdue.tags().some(([text, colour]) => text === 'Overdue' && colour === 'red'))
          assert.match(overdue.text, /Observations overdue: \d/)
          const all = await browser.get(`${planUrl}?observations=all`)
          assert.equal(all.statusCode, 200)
          assert.match(readPage(all.body).text, /What was seen Sitting up, talked about football/)
        } finally {
          clock.advanceMinutes(-4 * 60)
        }
      })

      it('says an observation over 4,000 characters is too long and gives the limit, keeping what was typed', async () => {
        const browser = await site.as(site.home.officer)
        const typed = `Sitting up, talked about football. ${'He said he is fine. '.repeat(200)}`
        const long = await browser.post(`${planUrl}/observations`, {
          observedOn: '2026-11-25',
          observedTime: '10:00',
          seen: typed,
          wasConversation: 'yes',
        })
        assert.equal(long.statusCode, 400)
        const refused = readPage(long.body)
        assert.deepEqual(refused.errors(), [
          { text: 'What you saw or heard must be 4000 characters or fewer', href: '#seen' },
        ])
        assert.equal(refused.mentions('Enter what you saw or heard'), false)
        assert.equal(refused.valueOf('What did you see or hear?'), typed)
      })

      it('shows the plan and its forms in Welsh', async () => {
        const browser = await site.as(site.home.healthcare)
        await browser.get(`/language/cy?returnTo=${encodeURIComponent(planUrl)}`)
        for (const path of ['', '/observations', '/review', '/family', '/referrals', '/actions', '/immediate-review']) {
          const page = await browser.get(`${planUrl}${path}`)
          assert.equal(page.statusCode, 200, `${path} in Welsh`)
          assert.equal(readPage(page.body).language, 'cy', `${path} in Welsh`)
        }
        assert.ok(
          readPage((await browser.get(planUrl)).body)
            .headings(2)
            .includes('Cynllun gofal ACCT'),
        )
      })

      it('lets a partner worker see that a plan is open but not open the plan itself', async () => {
        const browser = await site.as(site.home.partner)
        const tab = await browser.get(`/people/${site.home.person.prisonNumber}/care-plans`)
        assert.equal(tab.statusCode, 200)
        const summary = readPage(tab.body)
        assert.match(summary.text, /HA: ACCT open/)
        assert.equal(summary.mentions('Said they had had enough'), false)
        assert.equal((await browser.get(planUrl)).statusCode, 403)
      })

      it('shows the monitor no care plan tab', async () => {
        const browser = await site.as(site.home.monitor)
        assert.equal((await browser.get(`/people/${site.home.person.prisonNumber}/care-plans`)).statusCode, 403)
      })

      it('gives 404 for a person at another prison', async () => {
        const elsewhere = await givenEstablishment(site.db)
        const stranger = await givenPerson(site.db, elsewhere.code)
        const browser = await site.as(site.home.lead)
        assert.equal((await browser.get(`/people/${stranger.prisonNumber}/care-plans`)).statusCode, 404)
        assert.equal((await browser.get(`/people/${stranger.prisonNumber}/care-plans/new`)).statusCode, 404)
      })
    })

    describe('lists, alerts and settings', () => {
      it('lists open plans by risk level', async () => {
        const browser = await site.as(site.home.lead)
        const page = await browser.get('/care-plans?list=open&risk=high')
        assert.equal(page.statusCode, 200)
        const high = readPage(page.body)
        assert.equal(high.heading(), 'Open care plans (high)')
        assert.ok(high.links().some((link) => link.href === planUrl))
        const low = await browser.get('/care-plans?list=open&risk=low')
        assert.equal(readPage(low.body).mentions(planUrl), false)
      })

      describe('at a prison with plans at each level of risk', () => {
        let story: Awaited<ReturnType<typeof givenPlansAtEachRisk>>
        before(async () => {
          story = await givenPlansAtEachRisk(site.db)
        })
        /** The rows of the list of open plans, below its header row. */
        const rowsOf = (html: string) =>
          readPage(html)
            .table(/care plans?$/)
            .slice(1)

        it('lists open plans highest risk first, then by what is most urgent, not by name', async () => {
          const page = await (await site.as(story.prison.lead)).get('/care-plans?list=open')
          assert.equal(page.statusCode, 200)
          const order = rowsOf(page.body)
            .map((row) => story.plans.find((plan) => row[0]?.includes(plan.person.prisonNumber))?.lastName)
            .filter((name) => name !== undefined)
          // Evans is not reviewed yet and their observations are overdue; Adams is low risk, review overdue.
          assert.deepEqual(order, ['Evans', 'Clark', 'Davis', 'Baker', 'Adams'])
        })

        it('tags an overdue case review on the list of open plans as it tags an overdue observation', async () => {
          const page = await (await site.as(story.prison.lead)).get('/care-plans?list=open')
          // On a phone each row stacks, with its column's name before each figure.
          const review = (lastName: string) =>
            rowsOf(page.body).find((cells) => cells[0]?.startsWith(`${lastName}, `))?.[4]
          assert.equal(review('Adams'), 'Next case review 24 November 2026 at 09:00 Overdue')
          assert.equal(review('Davis'), 'Next case review 26 November 2026 at 10:00')
          // The one tag on the list, Adams's, is red.
          assert.deepEqual(readPage(page.body).tags(), [['Overdue', 'red']])
        })

        it('says no conversations are required instead of counting held ones against none', async () => {
          const evans = story.plans.find((plan) => plan.lastName === 'Evans')!
          const browser = await site.as(story.prison.lead)
          const page = await browser.get(`/people/${evans.person.prisonNumber}/care-plans/${evans.carePlanId}`)
          assert.equal(page.statusCode, 200)
          const plan = readPage(page.body)
          assert.match(plan.text, /Conversations this day: 1 \(none required\)/)
          assert.equal(plan.mentions('1 of 0'), false)
        })
      })

      it('counts plans on the safer custody dashboard, links for safer custody and counts alone for a monitor', async () => {
        const lead = await site.as(site.home.lead)
        const dashboard = await lead.get('/safer-custody')
        assert.equal(dashboard.statusCode, 200)
        assert.equal(readPage(dashboard.body).link(/Open care plans, high risk$/), '/care-plans?list=open&risk=high')
        const monitor = await site.as(site.home.monitor)
        const counts = await monitor.get('/safer-custody')
        assert.equal(counts.statusCode, 200)
        const alone = readPage(counts.body)
        assert.match(alone.text, /Open care plans, high risk/)
        assert.ok(!alone.addresses().some((address) => address.startsWith('/care-plans?list=')))
        assert.equal((await monitor.get('/care-plans?list=open')).statusCode, 403)
      })

      it('exports the current alerts as CSV and JSON to safer custody, not to an officer', async () => {
        const another = await givenAnotherPerson(site.db, site.home)
        const browser = await site.as(site.home.lead)
        const csv = await browser.get('/care-plans/alerts.csv')
        assert.equal(csv.statusCode, 200)
        assert.match(String(csv.headers['content-type']), /text\/csv/)
        assert.match(csv.body, new RegExp(`${site.home.person.prisonNumber},HA,ACCT open,2026-11-25,`))
        assert.doesNotMatch(csv.body, new RegExp(another.prisonNumber))
        const json = await browser.get('/care-plans/alerts.json')
        const body = JSON.parse(json.body) as { alerts: { prisonNumber: string; alertCode: string }[] }
        assert.deepEqual(
          body.alerts.map((alert) => [alert.prisonNumber, alert.alertCode]),
          [[site.home.person.prisonNumber, 'HA']],
        )
        const officer = await site.as(site.home.officer)
        assert.equal((await officer.get('/care-plans/alerts.csv')).statusCode, 403)
      })

      describe('GET /care-plans/deadlines', () => {
        let story: Awaited<ReturnType<typeof givenDeadlinesPrison>>
        before(async () => {
          story = await givenDeadlinesPrison(site.db)
        })

        it('opens on the last 30 days: each deadline’s share met, and the plan that missed three, linked', async () => {
          const page = await (await site.as(story.prison.governor)).get('/care-plans/deadlines')
          assert.equal(page.statusCode, 200)
          const deadlines = readPage(page.body)
          assert.equal(deadlines.heading(), 'ACCT deadlines met')
          assert.equal(deadlines.valueOfField('from'), '27/10/2026')
          assert.equal(deadlines.valueOfField('to'), '25/11/2026')
          // On a phone each row stacks, with its column's name before each figure: read the figure at the end.
          const shares = deadlines.table('Deadlines from 27 October 2026 to 25 November 2026')
          const row = (step: string) =>
            shares
              .find((cells) => cells[0] === step)
              ?.map((cell, index) => (index === 0 ? cell : cell.split(' ').pop()))
          assert.deepEqual(row('Immediate action plan'), ['Immediate action plan', '1', '2', '50%'])
          assert.match(
            shares.find((cells) => cells[0] === 'Later case reviews, by the date set')?.[3] ?? '',
            /Nothing to measure$/,
          )
          assert.ok(
            deadlines
              .links()
              .some(
                ({ href }) => href === `/people/${story.late.person.prisonNumber}/care-plans/${story.late.carePlanId}`,
              ),
          )
          const missed = deadlines.items()
          assert.ok(
            missed.includes('Immediate action plan: due 10 November 2026 at 10:00, done 10 November 2026 at 10:30'),
          )
          assert.ok(missed.includes('Assessment interview: due 11 November 2026 at 09:00, not done'))
          assert.equal(deadlines.mentions(story.onTime.person.prisonNumber), false)
        })

        it('says so when no plan opened and no review was held in the period', async () => {
          const page = await (
            await site.as(story.prison.governor)
          ).get('/care-plans/deadlines?from=11/11/2026&to=25/11/2026')
          assert.equal(page.statusCode, 200)
          const none = readPage(page.body)
          assert.match(none.text, /No care plans were opened and no case reviews were held in this period/)
          assert.equal(none.mentions('Plans that missed a deadline'), false)
        })

        it('refuses a date that is not one, and a period ending after today, beside the field with what was typed', async () => {
          const browser = await site.as(story.prison.governor)
          const unreal = await browser.get('/care-plans/deadlines?from=31/02/2026&to=25/11/2026')
          assert.equal(unreal.statusCode, 400)
          const refused = readPage(unreal.body)
          assert.deepEqual(refused.errors(), [{ text: 'Enter a real date, for example 25/11/2026', href: '#from' }])
          assert.equal(refused.valueOfField('from'), '31/02/2026')
          assert.equal(refused.mentions('Plans that missed a deadline'), false)
          const future = await browser.get('/care-plans/deadlines?from=01/11/2026&to=26/11/2026')
          assert.equal(future.statusCode, 400)
          assert.deepEqual(readPage(future.body).errors(), [
            { text: 'The end of the period cannot be after today', href: '#to' },
          ])
          const tooLong = await browser.get('/care-plans/deadlines?from=01/11/2025&to=25/11/2026')
          assert.equal(tooLong.statusCode, 400)
          assert.deepEqual(readPage(tooLong.body).errors(), [
            { text: 'Choose a period of up to 12 months', href: '#from' },
          ])
        })

        it('is for those who see the care plan lists, not a partner worker or a monitor', async () => {
          assert.equal((await (await site.as(story.prison.partner)).get('/care-plans/deadlines')).statusCode, 403)
          assert.equal((await (await site.as(story.prison.monitor)).get('/care-plans/deadlines')).statusCode, 403)
        })
      })

      it('saves the prison’s own timings and refuses a night that starts with the day', async () => {
        const browser = await site.as(site.home.governor)
        const page = await browser.get('/care-plan-settings')
        assert.equal(page.statusCode, 200)
        assert.equal(readPage(page.body).valueOfField('immediateActionMinutes'), '60')
        const settings = {
          immediateActionMinutes: '45',
          assessmentHours: '24',
          firstReviewHours: '24',
          transferReviewHours: '24',
          postClosureReviewDays: '7',
          dayStartsHour: '8',
          nightStartsHour: '8',
          orderlyOfficerAfterMinutes: '30',
          riskLow: 'low',
          riskRaised: 'raised',
          riskHigh: 'high',
          riskLowCy: 'isel',
          riskRaisedCy: 'uwch',
          riskHighCy: 'uchel',
        }
        assert.deepEqual(await settingsRefused(browser, settings), [
          { text: 'The night period must begin at a different hour from the day period', href: '#nightStartsHour' },
        ])
        const loose = { ...settings, nightStartsHour: '21', immediateActionMinutes: '120', firstReviewHours: '168' }
        assert.deepEqual(
          await settingsRefused(browser, loose, 'a prison may tighten the ACCT times, never loosen them'),
          [
            {
              text: 'Enter a number of minutes between 5 and 60: ACCT asks for the immediate action plan within the hour',
              href: '#immediateActionMinutes',
            },
            {
              text: 'Enter a number of hours between 1 and 24: ACCT asks for the first case review within a day',
              href: '#firstReviewHours',
            },
          ],
        )
        const saved = await sendSettings(browser, { ...settings, nightStartsHour: '21' })
        assert.equal(saved.statusCode, 303)
        const row = await site.db
          .selectFrom('care_plan_setting')
          .select(['immediate_action_minutes', 'night_starts_hour'])
          .where('establishment_code', '=', site.home.code)
          .executeTakeFirstOrThrow()
        assert.deepEqual(row, { immediate_action_minutes: 45, night_starts_hour: 21 })
        const officer = await site.as(site.home.officer)
        assert.equal((await officer.get('/care-plan-settings')).statusCode, 403)
      })

      it('names the levels of risk in the prison’s Welsh on a Welsh page, and in its English on an English one', async () => {
        // A prison of its own: the test before changes the settings of the prison the other tests share.
        const own = await givenCarePlanPrison(site.db)
        const governor = await site.as(own.governor)
        const form = readPage((await governor.get('/care-plan-settings')).body)
        assert.equal(form.valueOfField('riskRaisedCy'), 'uwch')
        const timings = [
          'immediateActionMinutes',
          'assessmentHours',
          'firstReviewHours',
          'transferReviewHours',
          'postClosureReviewDays',
          'dayStartsHour',
          'nightStartsHour',
          'orderlyOfficerAfterMinutes',
        ]
        const names = {
          ...Object.fromEntries(timings.map((name) => [name, form.valueOfField(name)])),
          riskLow: 'green',
          riskRaised: 'amber',
          riskHigh: 'red',
          riskLowCy: 'gwyrdd',
          riskRaisedCy: 'ambr',
          riskHighCy: 'gwyrdd',
        }
        assert.deepEqual(await settingsRefused(governor, names), [
          { text: 'Give each level of risk a different name', href: '#riskHighCy' },
        ])
        const saved = await sendSettings(governor, { ...names, riskHighCy: 'coch' })
        assert.equal(saved.statusCode, 303)

        const lead = await site.as(own.lead)
        const english = readPage((await lead.get('/care-plans?list=open')).body)
        assert.equal(english.link('amber'), '/care-plans?list=open&risk=raised')
        await lead.get('/language/cy?returnTo=/care-plans')
        try {
          const welsh = readPage((await lead.get('/care-plans?list=open')).body)
          assert.equal(welsh.link('ambr'), '/care-plans?list=open&risk=raised')
          assert.equal(welsh.mentions('amber'), false, 'no English level name on a Welsh page')
        } finally {
          await lead.get('/language/en?returnTo=/care-plans')
        }
      })
    })
  },
)

/**
 * A prison of its own with five open plans on 25 November 2026 at 10:00, built through the service from
 * the 20th, named so that their order by name is not their order by risk and urgency: Adams (low, case
 * review overdue since the 24th at 09:00), Baker (raised, review due the 27th), Clark (high, opened and
 * reviewed on the 25th, due the 27th), Davis (raised, due the 26th) and Evans (no assessment yet, observed this morning with a conversation
 * when none is required by day).
 */
async function givenPlansAtEachRisk(db: TestDatabase['db']) {
  const clock = fixedClock('2026-11-20T09:00:00Z')
  const { carePlans } = createServices({ db, clock })
  const prison = await givenCarePlanPrison(db)
  const done = (refusal: { messageKey: string } | null) => {
    if (refusal) throw new Error(`refused: ${refusal.messageKey}`)
  }
  const open = async (lastName: string, supervision = { ...noObservations }) => {
    const person = await givenPerson(db, prison.code, { cellId: prison.cellId, lastName })
    const opened = await carePlans.openCarePlan(prison.officer, person.prisonNumber, {
      reason: 'Said they could not go on',
      concernId: null,
    })
    if (!('carePlanId' in opened)) throw new Error('the plan did not open')
    done(
      await carePlans.recordImmediateAction(prison.officer, person.prisonNumber, opened.carePlanId, {
        text: 'Officer staying with them',
        supervision,
      }),
    )
    return { person, lastName, carePlanId: opened.carePlanId }
  }
  const reviewed = async (lastName: string, riskLevel: 'low' | 'raised' | 'high', nextReviewDueAt: string) => {
    const plan = await open(lastName)
    done(
      await carePlans.recordAssessment(prison.lead, plan.person.prisonNumber, plan.carePlanId, {
        assessorId: prison.lead.id,
        heldAt: clock.now(),
        notes: 'Low mood since a phone call',
      }),
    )
    done(
      await carePlans.holdReview(prison.lead, plan.person.prisonNumber, plan.carePlanId, {
        heldAt: clock.now(),
        attendees: [{ kind: 'healthcare', name: 'Amira Khan' }],
        personPresent: true,
        supervisionReason: 'Watched on the healthcare unit',
        notes: '',
        caseManagerId: prison.lead.id,
        riskLevel,
        supervision: noObservations,
        triggers: '',
        warningSigns: '',
        actions: [],
        nextReviewDueAt: new Date(nextReviewDueAt),
      }),
    )
    return plan
  }
  const plans = [
    await reviewed('Adams', 'low', '2026-11-24T09:00:00Z'),
    await reviewed('Baker', 'raised', '2026-11-27T08:00:00Z'),
    await reviewed('Davis', 'raised', '2026-11-26T10:00:00Z'),
  ]
  clock.advanceMinutes(5 * 24 * 60 - 60)
  // A high risk is reviewed again within three days: Clark's plan opens and is reviewed on the morning of the 25th.
  plans.push(await reviewed('Clark', 'high', '2026-11-27T10:00:00Z'))
  const evans = await open('Evans', { ...noObservations, observationsPerDay: 4, observationsPerNight: 2 })
  done(
    await carePlans.recordObservation(prison.officer, evans.person.prisonNumber, evans.carePlanId, {
      observedAt: clock.now(),
      seen: 'Talked about their family',
      wasConversation: true,
    }),
  )
  return { prison, plans: [...plans, evans] }
}

const noObservations = {
  observationsPerDay: 0,
  observationsPerNight: 0,
  conversationsPerDay: 0,
  conversationsPerNight: 0,
}
