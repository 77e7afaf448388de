import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { londonDate, londonOffsetMinutes } from '../../src/platform/dates.ts'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

type Person = { id: string; prisonNumber: string; firstName: string; lastName: string }

/** A time as the prison's clock shows it, for the date and time fields. */
function localFields(instant: Date) {
  const local = new Date(instant.getTime() + londonOffsetMinutes(instant) * 60_000)
  return { date: londonDate(instant), time: local.toISOString().slice(11, 16) }
}

describe('a safer custody lead takes a care plan from opening to closure and the person’s release', () => {
  let journey: Journey
  let page: Page
  let person: Person
  let planUrl = ''

  before(async () => {
    journey = await startJourney({ snapshot: true })
    // Someone at Northgate with no care plan.
    const chosen = await journey.db
      .selectFrom('person as p')
      .select(['p.id', 'p.prison_number as prisonNumber', 'p.first_name as firstName', 'p.last_name as lastName'])
      .where('p.establishment_code', '=', 'NHI')
      .where('p.cell_id', 'is not', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('care_plan').select('id').whereRef('person_id', '=', 'p.id'))))
      // On the wing, so that the journey offers their release at the end.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('journey_stage')
            .select('id')
            .whereRef('person_id', '=', 'p.id')
            .where('stage', '=', 'residential')
            .where('ended_at', 'is', null),
        ),
      )
      // Not on a transfer waiting for the other prison: no stage can be recorded by hand then.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('handover')
              .select('id')
              .whereRef('person_id', '=', 'p.id')
              .where('acknowledged_at', 'is', null)
              .where('refused_at', 'is', null),
          ),
        ),
      )
      .orderBy('p.prison_number')
      .executeTakeFirstOrThrow()
    person = chosen
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  it('opens a care plan from the person’s care plan tab, and the clock starts', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.safercustody')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    await page.goto(`/people/${person.prisonNumber}/care-plans`)
    assert.match(await page.locator('main').innerText(), /No ACCT alert/)
    await checkPage(page, 'care plan tab with no plan')

    await page.getByRole('button', { name: 'Open a care plan' }).click()
    await page.waitForURL(`**/people/${person.prisonNumber}/care-plans/new`)
    await checkPage(page, 'open a care plan')
    await page.getByRole('button', { name: 'Open a care plan' }).click()
    assert.match(await page.title(), /^Error: /)
    assert.match(await page.getByRole('alert').innerText(), /Enter why the plan is being opened/)
    await checkPage(page, 'open a care plan with an error')

    await page
      .getByLabel('Why is the plan being opened?')
      .fill('Told the listener they could not go on after a letter from home.')
    await page.getByRole('button', { name: 'Open a care plan' }).click()
    await noticeShown(page, 'Care plan opened')
    await page.waitForURL(/\/care-plans\/[0-9a-f-]{36}$/)
    planUrl = new URL(page.url()).pathname
    const main = await page.locator('main').innerText()
    assert.match(main, /HA: ACCT open/)
    assert.match(main, /Waiting for immediate action/)
    await checkPage(page, 'care plan just opened')
  })

  it('records the immediate action plan under constant supervision, handed from one officer to the next', async () => {
    await page.getByRole('button', { name: 'Record immediate action' }).click()
    await page.waitForURL(`**${planUrl}/immediate-action`)
    await checkPage(page, 'immediate action')
    await page
      .getByLabel('What is being done now to keep the person safe?')
      .fill('An officer is staying with them; the cell has been searched.')
    await page.getByRole('radio', { name: 'Constant supervision' }).check()
    const watcher = page.getByLabel('Officer keeping constant watch')
    const first = await watcher.locator('option').nth(1).innerText()
    await watcher.selectOption({ label: first })
    await page.getByRole('button', { name: 'Save immediate action plan' }).click()
    await noticeShown(page, 'Immediate action plan recorded')
    assert.match(await page.locator('main').innerText(), new RegExp(`Constant supervision by ${first}`))

    await page.getByRole('link', { name: 'Hand constant supervision to another officer' }).click()
    await page.waitForURL(`**${planUrl}/constant-supervision`)
    await checkPage(page, 'hand over constant supervision')
    await page.getByRole('button', { name: 'Hand over' }).click()
    assert.match(await page.getByRole('alert').innerText(), /Choose an officer on duty to keep constant watch/)
    await checkPage(page, 'hand over constant supervision with an error')
    const next = page.getByLabel('Officer taking over')
    const second = await next.locator('option').nth(1).innerText()
    await next.selectOption({ label: second })
    await page.getByRole('button', { name: 'Hand over' }).click()
    await noticeShown(page, 'Constant supervision handed over')
    const record = await page.getByRole('table', { name: 'Constant supervision record' }).innerText()
    assert.match(record, new RegExp(first))
    assert.match(record, new RegExp(second))
  })

  it('records the assessment interview by a trained assessor', async () => {
    await page.getByRole('button', { name: 'Record assessment interview' }).click()
    await page.waitForURL(`**${planUrl}/assessment`)
    await checkPage(page, 'assessment interview')
    const assessor = page.getByLabel('Assessor', { exact: true })
    const firstAssessor = await assessor.locator('option').nth(1).getAttribute('value')
    assert.ok(firstAssessor, 'the demo has a trained assessor at Northgate')
    await assessor.selectOption(firstAssessor)
    await page
      .getByLabel('What the person said and what the assessor found')
      .fill('Low mood since the letter; wants to speak to family.')
    await page.getByRole('button', { name: 'Save assessment interview' }).click()
    await noticeShown(page, 'Assessment interview recorded')
  })

  it('holds a multidisciplinary first case review, which appoints the case manager and builds the care map', async () => {
    await page.getByRole('button', { name: 'Hold first case review' }).click()
    await page.waitForURL(`**${planUrl}/review`)
    await checkPage(page, 'first case review')
    await page.getByRole('radio', { name: 'Yes, they attended' }).check()
    await page.getByLabel('Wing staff who attended').fill('Dai Rees')
    await page.getByLabel('Case manager', { exact: true }).selectOption({ label: 'Sol Safercustody' })
    await page.getByRole('radio', { name: 'high' }).check()
    // The watch ends here: from now on the wing observes at intervals.
    await page.getByRole('radio', { name: 'Observations and conversations at intervals' }).check()
    await page.getByLabel('Observations by day').fill('4')
    await page.getByLabel('Observations by night').fill('2')
    await page.getByLabel('Triggers').fill('Letters from home')
    await page.getByLabel('Warning signs').fill('Stays in the cell')
    const action = page.getByRole('group', { name: 'Action 1' })
    await action.getByLabel('Action').fill('Arrange a call home')
    await action.getByLabel('Owner').fill('Wing staff')
    const inTwoDays = localFields(new Date(Date.now() + 2 * 86_400_000))
    await action.getByLabel('Due on').fill(inTwoDays.date)
    await page.getByRole('radio', { name: 'The plan continues' }).check()
    const next = page.getByRole('group', { name: 'Next case review' })
    await next.getByLabel('Date').fill(inTwoDays.date)
    await next.getByLabel('Time').fill('10:00')
    // Nobody from healthcare came or wrote, and a high risk watched four times a day: both refused.
    await page.getByRole('button', { name: 'Save case review' }).click()
    assert.match(await page.getByRole('alert').innerText(), /Name who attended from healthcare/)
    await checkPage(page, 'first case review without healthcare')
    await page.getByLabel('Who attended from healthcare or mental health').fill('Amira Khan')
    await page.getByRole('button', { name: 'Save case review' }).click()
    assert.match(await page.getByRole('alert').innerText(), /This level of risk needs at least 12 observations by day/)
    await page.getByLabel('Observations by day').fill('12')
    await page.getByLabel('Observations by night').fill('12')
    await page.getByLabel('Conversations by day').fill('3')
    await page.getByLabel('Conversations by night').fill('1')
    await page.getByRole('button', { name: 'Save case review' }).click()
    await noticeShown(page, 'Case review recorded')
    const main = await page.locator('main').innerText()
    assert.match(main, /Amira Khan \(healthcare\)/)
    assert.match(main, /Sol Safercustody \(case manager\)/)
    assert.match(main, /Arrange a call home/)
    assert.match(main, /First case review/)
    await checkPage(page, 'care plan after the first case review')
  })

  it('records observations, and one that goes overdue shows in red with words', async () => {
    // A day passes: the plan's times move back, as if it had been opened yesterday. A whole day, not a
    // few hours, so that whatever the hour the suite runs at, slots have ended since the first observation
    // (eight hours back from 00:40 held only a night slot still running, and CI saw no overdue tag).
    const aDay = sql`interval '24 hours'`
    await sql`update care_plan set opened_at = opened_at - ${aDay}, immediate_action_at = immediate_action_at - ${aDay},
      assessment_at = assessment_at - ${aDay}, supervision_set_at = supervision_set_at - ${aDay}
      where id = ${planUrl.split('/').at(-1)}`.execute(journey.db)

    const earlier = localFields(new Date(Date.now() - 23.5 * 3_600_000))
    await page.getByRole('button', { name: 'Record observation' }).click()
    await page.waitForURL(`**${planUrl}/observations`)
    await checkPage(page, 'record an observation')
    const when = page.getByRole('group', { name: 'When' })
    await when.getByLabel('Date').fill(earlier.date)
    await when.getByLabel('Time').fill(earlier.time)
    await page.getByLabel('What did you see or hear?').fill('Sitting on the bed, said they were tired.')
    await page.getByRole('radio', { name: 'Yes' }).check()
    await page.getByRole('button', { name: 'Save observation' }).click()
    await noticeShown(page, 'Observation recorded')
    // Written now for a time 23 hours ago: it is on the record, marked as written late, and the slots it
    // was written after stay overdue until someone looks in now.
    assert.match(await page.getByRole('table', { name: 'Observation record' }).innerText(), /Written late/)
    const overdue = page.locator('.govuk-tag--red', { hasText: /Overdue|Written late/ })
    assert.ok((await overdue.count()) >= 1, 'an overdue observation is tagged in red, in words')
    assert.match(await page.locator('main').innerText(), /Observations overdue: \d+/)
    await checkPage(page, 'care plan with an overdue observation')

    await page.getByRole('button', { name: 'Record observation' }).click()
    await page.waitForURL(`**${planUrl}/observations`)
    await page.getByLabel('What did you see or hear?').fill('Awake, talked about the gym.')
    await page.getByRole('radio', { name: 'Yes' }).check()
    await page.getByRole('button', { name: 'Save observation' }).click()
    await noticeShown(page, 'Observation recorded')
    assert.doesNotMatch(await page.locator('main').innerText(), /Observations overdue/)
  })

  it('corrects an observation without changing it: both stay on the record', async () => {
    await page
      .getByRole('link', { name: /^Correct/ })
      .first()
      .click()
    await page.waitForURL(/\/observations\/[0-9a-f-]{36}\/correct$/)
    await checkPage(page, 'correct an observation')
    await page.getByLabel('What did you see or hear?').fill('Awake, talked about the gym and their family.')
    await page.getByLabel('Why is it being corrected?').fill('Left out what they said about family')
    await page.getByRole('button', { name: 'Save correction' }).click()
    await noticeShown(page, 'Correction recorded')
    const record = await page.getByRole('table', { name: 'Observation record' }).innerText()
    assert.match(record, /Awake, talked about the gym\.\s/)
    assert.match(record, /Corrected by a later entry/)
    assert.match(record, /Correction of an earlier entry: Left out what they said about family/)
  })

  it('refuses to close the plan until its checklist is met or explained', async () => {
    await page.getByRole('button', { name: 'Record case review' }).click()
    await page.waitForURL(`**${planUrl}/review`)
    await page.getByRole('radio', { name: 'Yes, they attended' }).check()
    await page.getByRole('radio', { name: 'low' }).check()
    await page.getByLabel('Observations by day').fill('3')
    await page.getByLabel('Observations by night').fill('2')
    await page.getByLabel('Conversations by day').fill('1')
    await page.getByLabel('Conversations by night').fill('0')
    await page.getByRole('radio', { name: 'Close the plan' }).check()
    await checkPage(page, 'closing case review with its checklist')
    await page.getByRole('button', { name: 'Save case review' }).click()
    assert.match(await page.getByRole('alert').innerText(), /Name who attended from healthcare/)
    await page.getByLabel('Healthcare’s written input').fill('No mental health concerns since Monday; seen by the GP.')
    await page.getByRole('button', { name: 'Save case review' }).click()
    assert.match(
      await page.getByRole('alert').innerText(),
      /Complete the care map actions, or enter how they are handed on/,
    )
    await checkPage(page, 'closing case review refused by its checklist')
    await page.getByLabel('Care map actions done or handed on').fill('The call home is with the wing staff')
    await page
      .getByLabel('The person’s own view of closing the plan')
      .fill('Feels able to cope, and knows whom to ask.')
    await page.getByRole('button', { name: 'Save case review' }).click()
    await noticeShown(page, 'Care plan closed')
    const main = await page.locator('main').innerText()
    assert.match(main, /HA1: ACCT post closure/)
    assert.match(main, /Care map actions done or handed on: not met: The call home is with the wing staff/)
    await checkPage(page, 'care plan closed, post-closure review to come')
  })

  it('holds a pre-release review, and the release closes the plan', async () => {
    await page.getByRole('button', { name: 'Record post-closure review' }).click()
    await page.waitForURL(`**${planUrl}/review`)
    await checkPage(page, 'post-closure review')
    await page.goto(`/people/${person.prisonNumber}/journey`)
    await checkPage(page, 'journey before the release')
    await page.getByRole('radio', { name: 'Release' }).check()
    await page.getByLabel('Why', { exact: true }).fill('End of sentence')
    await page.getByRole('button', { name: 'Record stage' }).click()
    assert.match(await page.getByRole('alert').innerText(), /hold its pre-release review on the care plan/)

    await page.goto(planUrl)
    await page.getByRole('button', { name: 'Hold pre-release review' }).click()
    await page.waitForURL(`**${planUrl}/pre-release-review`)
    await checkPage(page, 'pre-release review')
    await page.getByRole('radio', { name: 'Yes, they attended' }).check()
    await page
      .getByLabel('Information passed to community services')
      .fill('Plan and risk shared with the GP and the community mental health team by phone and letter.')
    await page.getByRole('button', { name: 'Save pre-release review' }).click()
    await noticeShown(page, 'Pre-release review recorded')

    await page.goto(`/people/${person.prisonNumber}/journey`)
    await page.getByRole('radio', { name: 'Release' }).check()
    await page.getByLabel('Why', { exact: true }).fill('End of sentence')
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Record stage' }).click()])
    assert.match(await page.locator('main').innerText(), /Release, since/)
    // The release's event reaches care plans through the job queue, as the server's worker delivers it.
    await journey.deliverEvents()
    await page.goto(planUrl)
    const main = await page.locator('main').innerText()
    assert.match(main, /HA2: ACCT closed/)
    assert.match(main, /This plan closed when the person was released/)
    assert.equal(await page.getByRole('button', { name: 'Record observation' }).count(), 0)
    await checkPage(page, 'care plan closed on release')
  })

  it('lists the plans and the settings for those who run them', async () => {
    await page.goto('/care-plans')
    await checkPage(page, 'open care plans')
    await page.goto('/care-plans?list=overdue-observations')
    await checkPage(page, 'overdue observations list')
    await page.goto('/care-plans?list=post-closure-due')
    await checkPage(page, 'post-closure reviews due')
    const { page: governorPage } = await journey.newPage()
    await governorPage.goto('/sign-in')
    await governorPage.getByLabel('Username').fill('demo.governor')
    await governorPage.getByLabel('Password', { exact: true }).fill('demo')
    await governorPage.getByRole('button', { name: 'Sign in' }).click()
    await governorPage.waitForURL('**/roll')
    await governorPage.goto('/care-plan-settings')
    assert.equal((await governorPage.getByRole('heading', { level: 1 }).innerText()).trim(), 'Care plan settings')
    await checkPage(governorPage, 'care plan settings')
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })
})
