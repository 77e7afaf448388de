import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { readPage, type Page } from '../../../test/support/page.ts'
import { followed, opened, sentBack, sentBackWith } from '../../../test/support/page-steps.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'

const clock = fixedClock('2026-11-25T10:00:00Z')

/** Supervision as the immediate action and case review forms take it: four looks a day, two a night. */
const supervisionForm = {
  observationsPerDay: '4',
  observationsPerNight: '2',
  conversationsPerDay: '1',
  conversationsPerNight: '0',
}
/** An observation at 10:00 today, as the observation form takes it. */
const observationForm = {
  observedOn: '2026-11-25',
  observedTime: '10:00',
  seen: 'Sitting up, talked about football',
  wasConversation: 'yes',
}

/**
 * One person's care plan through its pages, opened by the first test and taken on by each after it, and
 * where it shows: the person's record, the lists, the alerts export and the dashboard. The lists, deadlines
 * and settings of a prison as a whole are in lists-deadlines-and-settings-routes.test.ts.
 */
describePagesOnEachEngine(
  'care plan pages',
  // A day-long idle limit: the clock moves on hours to let an observation go overdue.
  { clock, config: { sessionIdleMinutes: 24 * 60 }, home: givenCarePlanPrison },
  (site) => {
    let planUrl = ''

    describe('opening a plan', () => {
      it('shows the form with the clock it starts', async () => {
        const browser = await site.as(site.home.officer)
        const form = await opened(browser, `/people/${site.home.person.prisonNumber}/care-plans/new`)
        // The prison's times (the policy's hour and day here) from now, 10:00.
        assert.match(
          form.text,
          /Opening the plan now starts the clock: the immediate action plan is due by 25 November 2026 at 11:00, the assessment interview by 26 November 2026 at 10:00 and the first case review by 26 November 2026 at 10:00\./,
        )
      })

      it('says from a concern of self-harm risk that the clock started when it was raised, and when each step is due', async () => {
        const person = await givenAnotherPerson(site.db, site.home)
        const concernId = await givenConcern(site.db, {
          personId: person.id,
          establishmentCode: site.home.code,
          raisedBy: site.home.officer.id,
          raisedAt: '2026-11-25T09:20:00Z',
          indicatesSelfHarmRisk: true,
        })
        const browser = await site.as(site.home.officer)
        const form = await opened(browser, `/people/${person.prisonNumber}/care-plans/new?concern=${concernId}`)
        assert.match(
          form.text,
          /was raised, on 25 November 2026 at 09:20: the immediate action plan is due by 25 November 2026 at 10:20,/,
        )
      })

      it('refuses an empty reason with an error summary, and saves nothing', async () => {
        const browser = await site.as(site.home.officer)
        sentBackWith(await browser.post(`/people/${site.home.person.prisonNumber}/care-plans`, { reason: '  ' }), [
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
        assert.match(location, /^\/people\/[A-Z0-9]+\/care-plans\/[0-9a-f-]{36}$/)
        planUrl = location.split('?')[0]!
        const plan = await opened(browser, location)
        assert.match(plan.banner(), /Care plan opened: its deadlines are below/)
        assert.deepEqual(plan.tags()[0], ['HA: ACCT open', 'red'])
        assert.equal(plan.link('Record immediate action'), `${planUrl}/immediate-action`)
        // No case manager before the first case review: asking for an immediate one says who is told.
        const immediate = await opened(browser, `${planUrl}/immediate-review`)
        assert.match(
          immediate.text,
          /Safer custody are told \(the plan has no case manager until its first case review\)/,
        )
      })
    })

    describe('the ACCT alert in the person’s header', () => {
      /** The red badge, and its link to the care plan tab. */
      const assertAlert = (page: Page, prisonNumber: string, url = '') => {
        assert.deepEqual(page.badges(), [['Open ACCT care plan', 'red']], url)
        assert.equal(page.link('Open ACCT care plan'), `/people/${prisonNumber}/care-plans`, url)
      }

      it('shows on every tab of the record of a person on an open plan, linked to the care plan tab', async () => {
        const { prisonNumber } = site.home.person
        const officer = await site.as(site.home.officer)
        for (const url of [`/people/${prisonNumber}`, `/people/${prisonNumber}/journey`])
          assertAlert(await opened(officer, url), prisonNumber, url)
        assertAlert(await opened(await site.as(site.home.partner), `/people/${prisonNumber}/journey`), prisonNumber)
      })

      it('is not shown for a person with no plan, nor to a role that may not see the plan summary', async () => {
        const another = await givenAnotherPerson(site.db, site.home)
        const officer = await opened(await site.as(site.home.officer), `/people/${another.prisonNumber}`)
        assert.deepEqual(officer.badges(), [])
        const monitor = await opened(await site.as(site.home.monitor), `/people/${site.home.person.prisonNumber}`)
        assert.equal(monitor.mentions('ACCT'), false)
      })
    })

    describe('the steps of the plan', () => {
      it('records the immediate action and its supervision, and then shows the next observation', async () => {
        const browser = await site.as(site.home.officer)
        const immediateAction = { immediateAction: 'Stayed with them', ...supervisionForm }
        const refused = sentBackWith(
          await browser.post(`${planUrl}/immediate-action`, { ...immediateAction, observationsPerDay: 'many' }),
          [{ text: 'Enter a number of observations between 0 and 96', href: '#observationsPerDay' }],
        )
        assert.equal(refused.valueOfField('observationsPerDay'), 'many')
        const plan = await followed(browser, await browser.post(`${planUrl}/immediate-action`, immediateAction))
        assert.match(plan.text, /Next observation: around \d\d:\d\d, and by \d\d:\d\d at the latest/)
      })

      it('lists only trained assessors, and refuses a time in the future', async () => {
        const browser = await site.as(site.home.lead)
        const form = await opened(browser, `${planUrl}/assessment`)
        // The lead's training is current; the officer's lapsed.
        assert.deepEqual(
          form.options('Assessor').map((option) => option.value),
          ['', site.home.lead.id],
        )
        const assessment = { assessorId: site.home.lead.id, assessmentNotes: 'Low mood' }
        const tomorrow = { ...assessment, heldOn: '2026-11-26', heldTime: '09:00' }
        sentBackWith(await browser.post(`${planUrl}/assessment`, tomorrow), [
          { text: 'The time cannot be in the future', href: '#heldOn' },
        ])
        const now = { ...assessment, heldOn: '2026-11-25', heldTime: '10:00' }
        await followed(browser, await browser.post(`${planUrl}/assessment`, now))
      })

      it('holds the first case review, refusing one with no next review', async () => {
        const browser = await site.as(site.home.lead)
        const form = await opened(browser, `${planUrl}/review`)
        assert.deepEqual(form.headings(2), ['First case review'])
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
          triggers: 'Letters from home\nAnniversaries',
          warningSigns: 'Withdrawn',
          notes: 'Talked about home.\n\nSaid <b>letters</b> & calls help.',
          outcome: 'continue',
          actionDescription1: 'Chaplaincy visit',
          actionOwner1: 'Chaplaincy',
          actionDueOn1: '2026-11-27',
        }
        const nextReview = { nextReviewOn: '2026-11-28', nextReviewTime: '10:00' }
        const reviewsOf = async () =>
          (
            await site.db
              .selectFrom('care_plan_review')
              .select('id')
              .where('care_plan_id', '=', planUrl.split('/').pop()!)
              .execute()
          ).length
        const reviewsBefore = await reviewsOf()
        const tooLong = { ...fields, ...nextReview, actionDescription1: 'C'.repeat(501) }
        assert.deepEqual(
          sentBack(
            await browser.post(`${planUrl}/review`, tooLong),
            'an action too long to keep is never a review recorded',
          ).errors(),
          [{ text: 'There is a problem with this answer. Check it and try again.', href: '#actionDescription1' }],
        )
        assert.equal(await reviewsOf(), reviewsBefore)
        sentBackWith(await browser.post(`${planUrl}/review`, fields), [
          { text: 'Enter the date and time of the next case review', href: '#nextReviewOn' },
        ])
        const plan = await followed(browser, await browser.post(`${planUrl}/review`, { ...fields, ...nextReview }))
        assert.equal(plan.table('Care map')[1]?.[0], 'Chaplaincy visit')
        assert.equal(plan.summary()['Level of risk'], 'high')
        // In paragraphs as they were written, and markup typed into the box reads back as typed, not as markup.
        assert.ok(plan.ownLines().includes(fields.notes), 'the review’s notes, line by line')
        assert.ok(plan.ownLines().includes(fields.triggers), 'the plan’s triggers, line by line')
        assert.equal(plan.root.querySelector('.waymark-own-lines b'), null)
      })

      it('records an observation, and shows an overdue one in red with words', async () => {
        const browser = await site.as(site.home.officer)
        const { observedOn, observedTime } = observationForm
        const empty = sentBack(await browser.post(`${planUrl}/observations`, { observedOn, observedTime }))
        assert.ok(empty.errorTexts().includes('Enter what you saw or heard'))
        const pasted = { ...observationForm, seen: 'Sitting up\u0000 talked about football' }
        assert.match(
          sentBack(await browser.post(`${planUrl}/observations`, pasted)).text,
          /a character that cannot be saved/,
        )
        await followed(browser, await browser.post(`${planUrl}/observations`, observationForm))
        // Four hours on, and back in any case: the tests after this one read the plan at 10:00.
        clock.advanceMinutes(4 * 60)
        try {
          const overdue = await opened(browser, planUrl)
          assert.ok(overdue.tags().some(([text, colour]) => text === 'Overdue' && colour === 'red'))
          assert.match(overdue.text, /Observations overdue: \d/)
          const all = await opened(browser, `${planUrl}?observations=all`)
          assert.match(all.text, /What was seen Sitting up, talked about football/)
        } finally {
          clock.advanceMinutes(-4 * 60)
        }
      })

      it('says an observation over 4,000 characters is too long and gives the limit, keeping what was typed', async () => {
        const browser = await site.as(site.home.officer)
        const typed = `Sitting up, talked about football. ${'He said he is fine. '.repeat(200)}`
        const refused = sentBackWith(
          await browser.post(`${planUrl}/observations`, { ...observationForm, seen: typed }),
          [{ text: 'What you saw or heard must be 4000 characters or fewer', href: '#seen' }],
        )
        assert.equal(refused.mentions('Enter what you saw or heard'), false)
        assert.equal(refused.valueOf('What did you see or hear?'), typed)
      })

      it('shows the plan and its forms in Welsh', async () => {
        const browser = await site.as(site.home.healthcare)
        await browser.get(`/language/cy?returnTo=${encodeURIComponent(planUrl)}`)
        for (const path of ['', '/observations', '/review', '/family', '/referrals', '/actions', '/immediate-review'])
          assert.equal((await opened(browser, `${planUrl}${path}`)).language, 'cy', `${path} in Welsh`)
        assert.ok((await opened(browser, planUrl)).headings(2).includes('Cynllun gofal ACCT'))
      })

      it('lets a partner worker see that a plan is open but not open the plan itself', async () => {
        const browser = await site.as(site.home.partner)
        const summary = await opened(browser, `/people/${site.home.person.prisonNumber}/care-plans`)
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

    describe('the plan on the lists, the alerts and the dashboard', () => {
      it('lists open plans by risk level', async () => {
        const browser = await site.as(site.home.lead)
        const high = await opened(browser, '/care-plans?list=open&risk=high')
        assert.equal(high.heading(), 'Open care plans (high)')
        assert.ok(high.links().some((link) => link.href === planUrl))
        const low = await browser.get('/care-plans?list=open&risk=low')
        assert.equal(readPage(low.body).mentions(planUrl), false)
      })

      it('counts plans on the safer custody dashboard, links for safer custody and counts alone for a monitor', async () => {
        const dashboard = await opened(await site.as(site.home.lead), '/safer-custody')
        assert.equal(dashboard.link(/Open care plans, high risk$/), '/care-plans?list=open&risk=high')
        const monitor = await site.as(site.home.monitor)
        const alone = await opened(monitor, '/safer-custody')
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
    })

    describe('an immediate case review already asked for', () => {
      it('says so on its form, which leads to an observation instead, and refuses it asked again', async () => {
        const person = await givenAnotherPerson(site.db, site.home)
        const browser = await site.as(site.home.officer)
        const opening = await browser.post(`/people/${person.prisonNumber}/care-plans`, { reason: 'Cut his arm' })
        const plan = String(opening.headers.location).split('?')[0]
        const immediateAction = { immediateAction: 'Stayed with him', ...supervisionForm }
        assert.equal((await browser.post(`${plan}/immediate-action`, immediateAction)).statusCode, 303)
        const form = `${plan}/immediate-review`
        assert.equal((await browser.post(form, { immediateReason: 'self-harm' }, { from: form })).statusCode, 303)
        const waiting = await opened(browser, form)
        assert.match(
          waiting.text,
          /An immediate case review was asked for on 25 November 2026 at 10:00 because of an act of self-harm\. It is due now and not yet held\./,
        )
        assert.equal(waiting.link('Record what has happened as an observation'), `${plan}/observations`)
        assert.equal(waiting.hasButton('Ask for the review now'), false)
        // Sent again all the same (a second tab, a double click): refused, the first reason kept.
        sentBackWith(await browser.post(form, { immediateReason: 'request' }, { from: form }), [
          {
            text: 'An immediate case review is already asked for and not yet held: record what has happened as an observation, for that review',
            href: '#pending',
          },
        ])
        assert.match((await opened(browser, plan)).text, /An immediate case review is needed: an act of self-harm/)
      })
    })
  },
)
