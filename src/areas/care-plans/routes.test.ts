import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import {
  givenAnotherPerson,
  givenCarePlanPrison,
  givenDeadlinesPrison,
  type CarePlanPrison,
} from '../../../test/support/care-plan-builders.ts'

type Browser = Awaited<ReturnType<typeof signedInAs>>

for (const engine of testEngines()) {
  describe(`care plan pages on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let prison: CarePlanPrison
    const clock = fixedClock('2026-11-25T10:00:00Z')
    const browsers = new Map<string, Promise<Browser>>()
    /** One sign-in per user for the whole file: sign-in is rate limited. */
    const as = (username: string) => {
      if (!browsers.has(username)) browsers.set(username, signedInAs(app, username))
      return browsers.get(username)!
    }
    let planUrl = ''

    before(async () => {
      database = await engine.open()
      // A day-long idle limit: the clock moves on hours to let an observation go overdue.
      app = await buildTestApp(database.db, { clock, config: { sessionIdleMinutes: 24 * 60 } })
      prison = await givenCarePlanPrison(database.db)
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    const h1 = (html: string) =>
      /<h1[^>]*>([\s\S]*?)<\/h1>/
        .exec(html)?.[1]
        ?.replace(/<[^>]+>/g, '')
        .trim()

    describe('opening a plan', () => {
      it('shows the form with the clock it starts', async () => {
        const browser = await as(prison.officer.username)
        const page = await browser.get(`/people/${prison.person.prisonNumber}/care-plans/new`)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /Opening the plan starts the clock/)
      })

      it('refuses an empty reason with an error summary, and saves nothing', async () => {
        const browser = await as(prison.officer.username)
        const page = await browser.post(`/people/${prison.person.prisonNumber}/care-plans`, { reason: '  ' })
        assert.equal(page.statusCode, 400)
        assert.match(page.body, /govuk-error-summary/)
        assert.match(page.body, /Enter why the plan is being opened/)
        const plans = await database.db.selectFrom('care_plan').select('id').execute()
        assert.equal(plans.length, 0)
      })

      it('opens the plan and goes to it', async () => {
        const browser = await as(prison.officer.username)
        const response = await browser.post(`/people/${prison.person.prisonNumber}/care-plans`, {
          reason: 'Said they had had enough',
        })
        assert.equal(response.statusCode, 303)
        const location = String(response.headers.location)
        assert.match(location, /^\/people\/[A-Z0-9]+\/care-plans\/[0-9a-f-]{36}\?done=opened$/)
        planUrl = location.split('?')[0]!
        const page = await browser.get(location)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /Care plan opened/)
        assert.match(page.body, /HA: ACCT open/)
        assert.match(page.body, /Record immediate action/)
      })
    })

    describe('the ACCT alert in the person’s header', () => {
      const badge = (prisonNumber: string) =>
        `href="/people/${prisonNumber}/care-plans"><span class="moj-badge moj-badge--red">Open ACCT care plan</span>`

      it('shows on every tab of the record of a person on an open plan, linked to the care plan tab', async () => {
        const { prisonNumber } = prison.person
        const officer = await as(prison.officer.username)
        for (const url of [`/people/${prisonNumber}`, `/people/${prisonNumber}/journey`]) {
          const page = await officer.get(url)
          assert.equal(page.statusCode, 200, url)
          assert.ok(page.body.includes(badge(prisonNumber)), url)
        }
        const partner = await (await as(prison.partner.username)).get(`/people/${prisonNumber}/journey`)
        assert.ok(partner.body.includes(badge(prisonNumber)))
      })

      it('is not shown for a person with no plan, nor to a role that may not see the plan summary', async () => {
        const another = await givenAnotherPerson(database.db, prison)
        const officer = await (await as(prison.officer.username)).get(`/people/${another.prisonNumber}`)
        assert.equal(officer.statusCode, 200)
        assert.doesNotMatch(officer.body, /moj-badge/)
        const monitor = await (await as(prison.monitor.username)).get(`/people/${prison.person.prisonNumber}`)
        assert.equal(monitor.statusCode, 200)
        assert.doesNotMatch(monitor.body, /ACCT/)
      })
    })

    describe('the steps of the plan', () => {
      it('records the immediate action and its supervision, and then shows the next observation', async () => {
        const browser = await as(prison.officer.username)
        const bad = await browser.post(`${planUrl}/immediate-action`, {
          immediateAction: 'Stayed with them',
          observationsPerDay: 'many',
          observationsPerNight: '2',
          conversationsPerDay: '1',
          conversationsPerNight: '0',
        })
        assert.equal(bad.statusCode, 400)
        assert.match(bad.body, /Enter a number of observations between 0 and 96/)
        assert.match(bad.body, /value="many"/)
        const done = await browser.post(`${planUrl}/immediate-action`, {
          immediateAction: 'Stayed with them',
          observationsPerDay: '4',
          observationsPerNight: '2',
          conversationsPerDay: '1',
          conversationsPerNight: '0',
        })
        assert.equal(done.statusCode, 303)
        const page = await browser.get(planUrl)
        assert.match(page.body, /Next observation: around \d\d:\d\d, and by \d\d:\d\d at the latest/)
      })

      it('lists only trained assessors, and refuses a time in the future', async () => {
        const browser = await as(prison.lead.username)
        const form = await browser.get(`${planUrl}/assessment`)
        assert.equal(form.statusCode, 200)
        assert.match(form.body, new RegExp(`value="${prison.lead.id}"`))
        assert.doesNotMatch(form.body, new RegExp(`value="${prison.officer.id}"`))
        const future = await browser.post(`${planUrl}/assessment`, {
          assessorId: prison.lead.id,
          heldOn: '2026-11-26',
          heldTime: '09:00',
          assessmentNotes: 'Low mood',
        })
        assert.equal(future.statusCode, 400)
        assert.match(future.body, /The time cannot be in the future/)
        const done = await browser.post(`${planUrl}/assessment`, {
          assessorId: prison.lead.id,
          heldOn: '2026-11-25',
          heldTime: '10:00',
          assessmentNotes: 'Low mood',
        })
        assert.equal(done.statusCode, 303)
      })

      it('holds the first case review, refusing one with no next review', async () => {
        const browser = await as(prison.lead.username)
        const form = await browser.get(`${planUrl}/review`)
        assert.match(form.body, /First case review/)
        const fields = {
          heldOn: '2026-11-25',
          heldTime: '10:00',
          personPresent: 'yes',
          healthcareAttended: 'Amira Khan',
          caseManagerId: prison.lead.id,
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
            await database.db
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
        assert.match(tooLong.body, /href="#actionDescription1">There is a problem with this answer/)
        assert.equal(await reviewsOf(), reviewsBefore)
        const missing = await browser.post(`${planUrl}/review`, fields)
        assert.equal(missing.statusCode, 400)
        assert.match(missing.body, /Enter the date and time of the next case review/)
        const done = await browser.post(`${planUrl}/review`, {
          ...fields,
          nextReviewOn: '2026-11-28',
          nextReviewTime: '10:00',
        })
        assert.equal(done.statusCode, 303)
        const page = await browser.get(planUrl)
        assert.match(page.body, /Chaplaincy visit/)
        assert.match(page.body, /<dd class="govuk-summary-list__value">\s*high\s*<\/dd>/)
      })

      it('records an observation, and shows an overdue one in red with words', async () => {
        const browser = await as(prison.officer.username)
        const empty = await browser.post(`${planUrl}/observations`, { observedOn: '2026-11-25', observedTime: '10:00' })
        assert.equal(empty.statusCode, 400)
        assert.match(empty.body, /Enter what you saw or heard/)
        const pasted = await browser.post(`${planUrl}/observations`, {
          observedOn: '2026-11-25',
          observedTime: '10:00',
          seen: 'Sitting up\u0000 talked about football',
          wasConversation: 'yes',
        })
        assert.equal(pasted.statusCode, 400)
        assert.match(pasted.body, /a character that cannot be saved/)
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
          assert.match(page.body, /govuk-tag--red">Overdue</)
          assert.match(page.body, /Observations overdue: \d/)
          const all = await browser.get(`${planUrl}?observations=all`)
          assert.equal(all.statusCode, 200)
          assert.match(all.body, /Sitting up, talked about football/)
        } finally {
          clock.advanceMinutes(-4 * 60)
        }
      })

      it('says an observation over 4,000 characters is too long and gives the limit, keeping what was typed', async () => {
        const browser = await as(prison.officer.username)
        const typed = `Sitting up, talked about football. ${'He said he is fine. '.repeat(200)}`
        const long = await browser.post(`${planUrl}/observations`, {
          observedOn: '2026-11-25',
          observedTime: '10:00',
          seen: typed,
          wasConversation: 'yes',
        })
        assert.equal(long.statusCode, 400)
        assert.match(long.body, /What you saw or heard must be 4000 characters or fewer/)
        assert.doesNotMatch(long.body, /Enter what you saw or heard/)
        assert.ok(long.body.includes(typed.trim()))
      })

      it('shows the plan and its forms in Welsh', async () => {
        const browser = await as(prison.healthcare.username)
        await browser.get(`/language/cy?returnTo=${encodeURIComponent(planUrl)}`)
        for (const path of ['', '/observations', '/review', '/family', '/referrals', '/actions', '/immediate-review']) {
          const page = await browser.get(`${planUrl}${path}`)
          assert.equal(page.statusCode, 200, `${path} in Welsh`)
          assert.match(page.body, /lang="cy"/)
        }
        assert.match((await browser.get(planUrl)).body, /Cynllun gofal ACCT/)
      })

      it('lets a partner worker see that a plan is open but not open the plan itself', async () => {
        const browser = await as(prison.partner.username)
        const tab = await browser.get(`/people/${prison.person.prisonNumber}/care-plans`)
        assert.equal(tab.statusCode, 200)
        assert.match(tab.body, /HA: ACCT open/)
        assert.doesNotMatch(tab.body, /Said they had had enough/)
        assert.equal((await browser.get(planUrl)).statusCode, 403)
      })

      it('shows the monitor no care plan tab', async () => {
        const browser = await as(prison.monitor.username)
        assert.equal((await browser.get(`/people/${prison.person.prisonNumber}/care-plans`)).statusCode, 403)
      })

      it('gives 404 for a person at another prison', async () => {
        const elsewhere = await givenEstablishment(database.db)
        const stranger = await givenPerson(database.db, elsewhere.code)
        const browser = await as(prison.lead.username)
        assert.equal((await browser.get(`/people/${stranger.prisonNumber}/care-plans`)).statusCode, 404)
        assert.equal((await browser.get(`/people/${stranger.prisonNumber}/care-plans/new`)).statusCode, 404)
      })
    })

    describe('lists, alerts and settings', () => {
      it('lists open plans by risk level', async () => {
        const browser = await as(prison.lead.username)
        const page = await browser.get('/care-plans?list=open&risk=high')
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Open care plans (high)')
        assert.match(page.body, new RegExp(planUrl))
        const low = await browser.get('/care-plans?list=open&risk=low')
        assert.doesNotMatch(low.body, new RegExp(planUrl))
      })

      describe('at a prison with plans at each level of risk', () => {
        let story: Awaited<ReturnType<typeof givenPlansAtEachRisk>>
        before(async () => {
          story = await givenPlansAtEachRisk(database.db)
        })
        const rowsOf = (html: string) => html.split('<tr').slice(1)

        it('lists open plans highest risk first, then by what is most urgent, not by name', async () => {
          const page = await (await as(story.prison.lead.username)).get('/care-plans?list=open')
          assert.equal(page.statusCode, 200)
          const order = rowsOf(page.body)
            .map((row) => story.plans.find((plan) => row.includes(plan.person.prisonNumber))?.lastName)
            .filter((name) => name !== undefined)
          // Evans is not reviewed yet and their observations are overdue; Adams is low risk, review overdue.
          assert.deepEqual(order, ['Evans', 'Clark', 'Davis', 'Baker', 'Adams'])
        })

        it('tags an overdue case review on the list of open plans as it tags an overdue observation', async () => {
          const page = await (await as(story.prison.lead.username)).get('/care-plans?list=open')
          const row = (lastName: string) => rowsOf(page.body).find((html) => html.includes(`>${lastName}, `)) ?? ''
          assert.match(row('Adams'), /24 November 2026 at 09:00\s*<strong class="govuk-tag govuk-tag--red">Overdue</)
          assert.doesNotMatch(row('Davis'), /">Overdue</)
        })

        it('says no conversations are required instead of counting held ones against none', async () => {
          const evans = story.plans.find((plan) => plan.lastName === 'Evans')!
          const browser = await as(story.prison.lead.username)
          const page = await browser.get(`/people/${evans.person.prisonNumber}/care-plans/${evans.carePlanId}`)
          assert.equal(page.statusCode, 200)
          assert.match(page.body, /Conversations this day: 1 \(none required\)/)
          assert.doesNotMatch(page.body, /1 of 0/)
        })
      })

      it('counts plans on the safer custody dashboard, links for safer custody and counts alone for a monitor', async () => {
        const lead = await as(prison.lead.username)
        const dashboard = await lead.get('/safer-custody')
        assert.equal(dashboard.statusCode, 200)
        assert.match(dashboard.body, /Open care plans, high risk/)
        assert.match(dashboard.body, /href="\/care-plans\?list=open&amp;risk=high"/)
        const monitor = await as(prison.monitor.username)
        const counts = await monitor.get('/safer-custody')
        assert.equal(counts.statusCode, 200)
        assert.match(counts.body, /Open care plans, high risk/)
        assert.doesNotMatch(counts.body, /href="\/care-plans\?list=/)
        assert.equal((await monitor.get('/care-plans?list=open')).statusCode, 403)
      })

      it('exports the current alerts as CSV and JSON to safer custody, not to an officer', async () => {
        const another = await givenAnotherPerson(database.db, prison)
        const browser = await as(prison.lead.username)
        const csv = await browser.get('/care-plans/alerts.csv')
        assert.equal(csv.statusCode, 200)
        assert.match(String(csv.headers['content-type']), /text\/csv/)
        assert.match(csv.body, new RegExp(`${prison.person.prisonNumber},HA,ACCT open,2026-11-25,`))
        assert.doesNotMatch(csv.body, new RegExp(another.prisonNumber))
        const json = await browser.get('/care-plans/alerts.json')
        const body = JSON.parse(json.body) as { alerts: { prisonNumber: string; alertCode: string }[] }
        assert.deepEqual(
          body.alerts.map((alert) => [alert.prisonNumber, alert.alertCode]),
          [[prison.person.prisonNumber, 'HA']],
        )
        const officer = await as(prison.officer.username)
        assert.equal((await officer.get('/care-plans/alerts.csv')).statusCode, 403)
      })

      describe('GET /care-plans/deadlines', () => {
        let story: Awaited<ReturnType<typeof givenDeadlinesPrison>>
        before(async () => {
          story = await givenDeadlinesPrison(database.db)
        })

        it('opens on the last 30 days: each deadline’s share met, and the plan that missed three, linked', async () => {
          const page = await (await as(story.prison.governor.username)).get('/care-plans/deadlines')
          assert.equal(page.statusCode, 200)
          assert.equal(h1(page.body), 'ACCT deadlines met')
          assert.match(page.body, /name="from"[^>]*value="27\/10\/2026"/)
          assert.match(page.body, /name="to"[^>]*value="25\/11\/2026"/)
          assert.match(page.body, /Deadlines from 27 October 2026 to 25 November 2026/)
          // On a phone each row stacks, with its column's name before each figure: read the figure at the end.
          const shares = readPage(page.body).table(/^Deadlines from/)
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
            page.body.includes(`href="/people/${story.late.person.prisonNumber}/care-plans/${story.late.carePlanId}"`),
          )
          assert.match(
            page.body,
            /Immediate action plan: due 10 November 2026 at 10:00, done 10 November 2026 at 10:30/,
          )
          assert.match(page.body, /Assessment interview: due 11 November 2026 at 09:00, not done/)
          assert.ok(!page.body.includes(story.onTime.person.prisonNumber))
        })

        it('says so when no plan opened and no review was held in the period', async () => {
          const page = await (
            await as(story.prison.governor.username)
          ).get('/care-plans/deadlines?from=11/11/2026&to=25/11/2026')
          assert.equal(page.statusCode, 200)
          assert.match(page.body, /No care plans were opened and no case reviews were held in this period/)
          assert.doesNotMatch(page.body, /Plans that missed a deadline/)
        })

        it('refuses a date that is not one, and a period ending after today, beside the field with what was typed', async () => {
          const browser = await as(story.prison.governor.username)
          const unreal = await browser.get('/care-plans/deadlines?from=31/02/2026&to=25/11/2026')
          assert.equal(unreal.statusCode, 400)
          assert.match(unreal.body, /govuk-error-summary/)
          assert.match(unreal.body, /href="#from">Enter a real date, for example 25\/11\/2026/)
          assert.match(unreal.body, /name="from"[^>]*value="31\/02\/2026"/)
          assert.doesNotMatch(unreal.body, /Plans that missed a deadline/)
          const future = await browser.get('/care-plans/deadlines?from=01/11/2026&to=26/11/2026')
          assert.equal(future.statusCode, 400)
          assert.match(future.body, /href="#to">The end of the period cannot be after today/)
          const tooLong = await browser.get('/care-plans/deadlines?from=01/11/2025&to=25/11/2026')
          assert.equal(tooLong.statusCode, 400)
          assert.match(tooLong.body, /Choose a period of up to 12 months/)
        })

        it('is for those who see the care plan lists, not a partner worker or a monitor', async () => {
          assert.equal((await (await as(story.prison.partner.username)).get('/care-plans/deadlines')).statusCode, 403)
          assert.equal((await (await as(story.prison.monitor.username)).get('/care-plans/deadlines')).statusCode, 403)
        })
      })

      it('saves the prison’s own timings and refuses a night that starts with the day', async () => {
        const browser = await as(prison.governor.username)
        const page = await browser.get('/care-plan-settings')
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /name="immediateActionMinutes" type="text" value="60"/)
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
        const bad = await browser.post('/care-plan-settings', settings, { from: '/care-plan-settings' })
        assert.equal(bad.statusCode, 400)
        assert.match(bad.body, /The night period must begin at a different hour/)
        const loose = await browser.post(
          '/care-plan-settings',
          { ...settings, nightStartsHour: '21', immediateActionMinutes: '120', firstReviewHours: '168' },
          { from: '/care-plan-settings' },
        )
        assert.equal(loose.statusCode, 400, 'a prison may tighten the ACCT times, never loosen them')
        assert.match(loose.body, /between 5 and 60: ACCT asks for the immediate action plan within the hour/)
        assert.match(loose.body, /between 1 and 24: ACCT asks for the first case review within a day/)
        const saved = await browser.post(
          '/care-plan-settings',
          { ...settings, nightStartsHour: '21' },
          { from: '/care-plan-settings' },
        )
        assert.equal(saved.statusCode, 303)
        const row = await database.db
          .selectFrom('care_plan_setting')
          .select(['immediate_action_minutes', 'night_starts_hour'])
          .where('establishment_code', '=', prison.code)
          .executeTakeFirstOrThrow()
        assert.deepEqual(row, { immediate_action_minutes: 45, night_starts_hour: 21 })
        const officer = await as(prison.officer.username)
        assert.equal((await officer.get('/care-plan-settings')).statusCode, 403)
      })

      it('names the levels of risk in the prison’s Welsh on a Welsh page, and in its English on an English one', async () => {
        const governor = await as(prison.governor.username)
        const form = await governor.get('/care-plan-settings')
        assert.match(form.body, /name="riskRaisedCy" type="text" value="uwch"/)
        const names = {
          ...Object.fromEntries(
            [...form.body.matchAll(/name="(\w+)" type="text" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
          ),
          riskLow: 'green',
          riskRaised: 'amber',
          riskHigh: 'red',
          riskLowCy: 'gwyrdd',
          riskRaisedCy: 'ambr',
          riskHighCy: 'gwyrdd',
        }
        const same = await governor.post('/care-plan-settings', names, { from: '/care-plan-settings' })
        assert.equal(same.statusCode, 400)
        assert.match(same.body, /href="#riskHighCy">Give each level of risk a different name/)
        const saved = await governor.post(
          '/care-plan-settings',
          { ...names, riskHighCy: 'coch' },
          { from: '/care-plan-settings' },
        )
        assert.equal(saved.statusCode, 303)

        const lead = await as(prison.lead.username)
        const english = await lead.get('/care-plans?list=open')
        assert.match(english.body, />amber</)
        await lead.get('/language/cy?returnTo=/care-plans')
        const welsh = await lead.get('/care-plans?list=open')
        assert.match(welsh.body, />ambr</)
        assert.doesNotMatch(welsh.body, />amber</, 'no English level name on a Welsh page')
        await lead.get('/language/en?returnTo=/care-plans')
      })
    })
  })
}

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
