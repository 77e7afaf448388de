import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { TestDatabase } from '../../../test/support/database.ts'
import { givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine, type Browser } from '../../../test/support/app.ts'
import type { Page } from '../../../test/support/page.ts'
import { parse } from 'node-html-parser'
import { assertDrawnAs } from '../../../test/support/macro-markup.ts'
import { opened, sentBack, sentBackWith } from '../../../test/support/page-steps.ts'
import {
  givenAssessedAndReviewedOnHealthcareUnit,
  givenCarePlanPrison,
  givenDeadlinesPrison,
  givenObservation,
} from '../../../test/support/care-plan-builders.ts'

/** The prison's care plan settings, sent from their own page. */
const sendSettings = (browser: Browser, form: Record<string, string>) =>
  browser.post('/care-plan-settings', form, { from: '/care-plan-settings' })

/**
 * The settings form as a new prison's page fills it: ACCT v6's timings, the day from 08:00 and the night from
 * 20:00, and ACCT's names for the levels of risk in English and Welsh.
 */
const acctSettingsForm = {
  immediateActionMinutes: '60',
  assessmentHours: '24',
  firstReviewHours: '24',
  transferReviewHours: '24',
  postClosureReviewDays: '7',
  dayStartsHour: '8',
  nightStartsHour: '20',
  orderlyOfficerAfterMinutes: '30',
  riskLow: 'low',
  riskRaised: 'raised',
  riskHigh: 'high',
  riskLowCy: 'isel',
  riskRaisedCy: 'uwch',
  riskHighCy: 'uchel',
}

/** The settings refused and sent back (400): the problems the page lists. */
const settingsRefused = async (browser: Browser, form: Record<string, string>, why = 'the settings') =>
  sentBack(await sendSettings(browser, form), why).errors()

/**
 * The pages about a prison's plans together rather than one plan's: the list of open plans in its order, the
 * deadlines met, and the prison's own settings. Each story is a prison of its own.
 */
describePagesOnEachEngine(
  'care plan lists, deadlines and settings pages',
  { clock: fixedClock('2026-11-25T10:00:00Z'), home: givenCarePlanPrison },
  (site) => {
    describe('at a prison with plans at each level of risk', () => {
      let story: Awaited<ReturnType<typeof givenPlansAtEachRisk>>
      before(async () => {
        story = await givenPlansAtEachRisk(site.db)
      })
      /** The rows of the list of open plans, below its header row. */
      const rowsOf = (list: Page) => list.table(/care plans?$/).slice(1)

      it('lists open plans highest risk first, then by what is most urgent, not by name', async () => {
        const list = await opened(await site.as(story.prison.lead), '/care-plans?list=open')
        const order = rowsOf(list)
          .map((row) => story.plans.find((plan) => row[0]?.includes(plan.person.prisonNumber))?.lastName)
          .filter((name) => name !== undefined)
        // Evans is not reviewed yet and their observations are overdue; Adams is low risk, review overdue.
        assert.deepEqual(order, ['Evans', 'Clark', 'Davis', 'Baker', 'Adams'])
      })

      it('tags an overdue case review on the list of open plans as it tags an overdue observation', async () => {
        const list = await opened(await site.as(story.prison.lead), '/care-plans?list=open')
        // On a phone each row stacks, with its column's name before each figure.
        const review = (lastName: string) => rowsOf(list).find((cells) => cells[0]?.startsWith(`${lastName}, `))?.[4]
        assert.equal(review('Adams'), 'Next case review 24 November 2026 at 09:00 Overdue')
        assert.equal(review('Davis'), 'Next case review 26 November 2026 at 10:00')
        // The one tag on the list, Adams's, is red.
        assert.deepEqual(list.tags(), [['Overdue', 'red']])
      })

      it('draws each list’s table as waymarkStackedTable draws it, in English and in Welsh', async () => {
        const lead = await site.as(story.prison.lead)
        const lists = parse((await lead.get('/care-plans')).body)
          .querySelectorAll('nav[aria-label] .moj-sub-navigation__link')
          .map((link) => link.getAttribute('href')!)
          .filter((href) => href.startsWith('/care-plans?list='))
        assert.ok(lists.includes('/care-plans?list=overdue-observations'))
        let tables = 0
        for (const language of ['en', 'cy']) {
          await lead.get(`/language/${language}?returnTo=/care-plans`)
          for (const address of lists) {
            const table = parse((await lead.get(address)).body).querySelector('table.waymark-stacked-table')
            if (!table) continue
            tables += 1
            const head = table.querySelectorAll('thead th').map((header) => ({ text: header.text }))
            // Each cell as the page drew it, less the column's name written before it for a phone.
            const rows = table.querySelectorAll('tbody tr').map((row) =>
              row.querySelectorAll('td').map((cell) => ({
                html: cell.innerHTML.replace(/^<span class="waymark-stacked-table__heading"[^>]*>[^<]*<\/span> /, ''),
              })),
            )
            assertDrawnAs(
              table.outerHTML,
              'waymarkStackedTable',
              'stacked-table.njk',
              { caption: table.querySelector('caption')?.text, captionClasses: 'govuk-table__caption--s', head, rows },
              address,
            )
          }
        }
        await lead.get('/language/en?returnTo=/care-plans')
        assert.ok(tables >= 6, `${tables} tables`)
      })

      it('says no conversations are required instead of counting held ones against none', async () => {
        const evans = story.plans.find((plan) => plan.lastName === 'Evans')!
        const browser = await site.as(story.prison.lead)
        const plan = await opened(browser, `/people/${evans.person.prisonNumber}/care-plans/${evans.carePlanId}`)
        assert.match(plan.text, /Conversations this day: 1 \(none required\)/)
        assert.equal(plan.mentions('1 of 0'), false)
      })
    })

    describe('GET /care-plans/deadlines', () => {
      let story: Awaited<ReturnType<typeof givenDeadlinesPrison>>
      before(async () => {
        story = await givenDeadlinesPrison(site.db)
      })

      it('opens on the last 30 days: each deadline’s share met, and the plan that missed three, linked', async () => {
        const deadlines = await opened(await site.as(story.prison.governor), '/care-plans/deadlines')
        assert.equal(deadlines.heading(), 'ACCT deadlines met')
        assert.equal(deadlines.valueOfField('from'), '27/10/2026')
        assert.equal(deadlines.valueOfField('to'), '25/11/2026')
        // On a phone each row stacks, with its column's name before each figure: read the figure at the end.
        const shares = deadlines.table('Deadlines from 27 October 2026 to 25 November 2026')
        const row = (step: string) =>
          shares.find((cells) => cells[0] === step)?.map((cell, index) => (index === 0 ? cell : cell.split(' ').pop()))
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
        const governor = await site.as(story.prison.governor)
        const none = await opened(governor, '/care-plans/deadlines?from=11/11/2026&to=25/11/2026')
        assert.match(none.text, /No care plans were opened and no case reviews were held in this period/)
        assert.equal(none.mentions('Plans that missed a deadline'), false)
      })

      it('refuses a date that is not one, and a period ending after today, beside the field with what was typed', async () => {
        const browser = await site.as(story.prison.governor)
        const unreal = sentBackWith(await browser.get('/care-plans/deadlines?from=31/02/2026&to=25/11/2026'), [
          { text: 'Enter a real date, for example 25/11/2026', href: '#from' },
        ])
        assert.equal(unreal.valueOfField('from'), '31/02/2026')
        assert.equal(unreal.mentions('Plans that missed a deadline'), false)
        sentBackWith(await browser.get('/care-plans/deadlines?from=01/11/2026&to=26/11/2026'), [
          { text: 'The end of the period cannot be after today', href: '#to' },
        ])
        sentBackWith(await browser.get('/care-plans/deadlines?from=01/11/2025&to=25/11/2026'), [
          { text: 'Choose a period of up to 12 months', href: '#from' },
        ])
      })

      it('is for those who see the care plan lists, not a partner worker or a monitor', async () => {
        assert.equal((await (await site.as(story.prison.partner)).get('/care-plans/deadlines')).statusCode, 403)
        assert.equal((await (await site.as(story.prison.monitor)).get('/care-plans/deadlines')).statusCode, 403)
      })
    })

    describe('the prison’s settings', () => {
      it('saves the prison’s own timings and refuses a night that starts with the day', async () => {
        const browser = await site.as(site.home.governor)
        assert.equal((await opened(browser, '/care-plan-settings')).valueOfField('immediateActionMinutes'), '60')
        const settings = { ...acctSettingsForm, immediateActionMinutes: '45', nightStartsHour: '8' }
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
        // The form to open a plan says the prison's own time, not the policy's hour.
        const openForm = await opened(officer, `/people/${site.home.person.prisonNumber}/care-plans/new`)
        assert.match(openForm.text, /the immediate action plan is due by 25 November 2026 at 10:45,/)
        assert.equal((await officer.get('/care-plan-settings')).statusCode, 403)
      })

      it('keeps what another governor saved while the page was open, and refuses a change to the same setting', async () => {
        const own = await givenCarePlanPrison(site.db)
        const first = await site.as(own.governor)
        const second = await site.as(
          await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [own.code] }),
        )
        const formOf = (page: Page) => ({ ...acctSettingsForm, drawn: page.valueOfField('drawn') })
        const firstForm = formOf(await opened(first, '/care-plan-settings'))
        const secondForm = formOf(await opened(second, '/care-plan-settings'))

        assert.equal((await sendSettings(first, { ...firstForm, immediateActionMinutes: '45' })).statusCode, 303)
        assert.equal((await sendSettings(second, { ...secondForm, assessmentHours: '12' })).statusCode, 303)
        const both = await opened(first, '/care-plan-settings')
        assert.deepEqual(
          [both.valueOfField('immediateActionMinutes'), both.valueOfField('assessmentHours')],
          ['45', '12'],
          'each kept what the other saved',
        )

        const refused = sentBackWith(await sendSettings(second, { ...secondForm, immediateActionMinutes: '30' }), [
          {
            text: 'Someone else saved these settings after you opened this page, and their change clashes with yours. Nothing was saved. The page now shows the settings as they are saved: make your change again.',
            href: '#settings',
          },
        ])
        assert.equal(refused.valueOfField('immediateActionMinutes'), '45', 'the page shows what is saved')
        assert.equal(refused.valueOfField('assessmentHours'), '12')
        const again = formOf(refused)
        assert.equal(
          (await sendSettings(second, { ...again, immediateActionMinutes: '30', assessmentHours: '12' })).statusCode,
          303,
        )
        assert.equal((await opened(first, '/care-plan-settings')).valueOfField('immediateActionMinutes'), '30')
      })

      it('names the levels of risk in the prison’s Welsh on a Welsh page, and in its English on an English one', async () => {
        // A prison of its own: the test before changes the settings of the home prison.
        const own = await givenCarePlanPrison(site.db)
        const governor = await site.as(own.governor)
        const form = await opened(governor, '/care-plan-settings')
        for (const [name, value] of Object.entries(acctSettingsForm)) assert.equal(form.valueOfField(name), value, name)
        const names = {
          ...acctSettingsForm,
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
        const english = await opened(lead, '/care-plans?list=open')
        assert.equal(english.link('amber'), '/care-plans?list=open&risk=raised')
        await lead.get('/language/cy?returnTo=/care-plans')
        try {
          const welsh = await opened(lead, '/care-plans?list=open')
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
 * reviewed on the 25th, due the 27th), Davis (raised, due the 26th) and Evans (no assessment yet, observed
 * this morning with a conversation when none is required by day).
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
    await givenAssessedAndReviewedOnHealthcareUnit(carePlans, prison, plan, clock.now(), {
      riskLevel,
      supervision: noObservations,
      nextReviewDueAt: new Date(nextReviewDueAt),
    })
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
  const seen = { person: evans.person, id: evans.carePlanId }
  await givenObservation(carePlans, prison.officer, seen, clock.now(), 'Talked about their family', {
    wasConversation: true,
  })
  return { prison, plans: [...plans, evans] }
}

const noObservations = {
  observationsPerDay: 0,
  observationsPerNight: 0,
  conversationsPerDay: 0,
  conversationsPerNight: 0,
}
