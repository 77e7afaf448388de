import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import {
  checkFitsPhone,
  checkPage,
  type Journey,
  noticeShown,
  signInAsStaff,
  startJourney,
} from '../support/browser.ts'

// One estate and one browser for both journeys of the file: the governor only reads the equality figures.
let journey: Journey
before(async () => {
  journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
})
after(async () => {
  await journey?.close()
})

describe('a person in custody signs in, sees their timetable, raises a worry, and safer custody sees it at once', () => {
  let person: { prisonNumber: string; firstName: string; lastName: string }

  before(async () => {
    person = await journey.db
      .selectFrom('person_account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['p.prison_number as prisonNumber', 'p.first_name as firstName', 'p.last_name as lastName'])
      .where('a.username', '=', 'demo.person')
      .executeTakeFirstOrThrow()
  })

  it('lets the person sign in on their own page and find their week, their officer and the worry form, in plain words', async () => {
    const { page } = await journey.newPage()
    await page.goto('/my')
    await page.waitForURL(/\/my\/sign-in/)
    await checkPage(page, 'person: sign in')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: /)
    assert.match(await page.getByRole('alert').innerText(), /Type your username/)
    await checkPage(page, 'person: sign in with errors')
    await page.getByLabel('Username').fill('demo.person')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/my')
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Hello ${person.firstName}`)
    assert.equal(await page.getByRole('navigation', { name: 'Menu' }).count(), 0, 'no staff menu')
    await checkPage(page, 'person: their page')

    await page.getByRole('link', { name: 'Your timetable' }).click()
    await page.waitForURL('**/my/timetable')
    assert.match(await page.locator('main').innerText(), /This week, from[\s\S]*Next week, from/)
    assert.match(await page.locator('main').innerText(), /Morning:|Afternoon:|Evening:/)
    await checkPage(page, 'person: timetable')

    await page.getByRole('link', { name: 'Back to your page' }).click()
    await page.getByRole('link', { name: /^Your key worker$/ }).click()
    await page.waitForURL('**/my/officer')
    assert.match(await page.locator('main').innerText(), /Your key worker is .+\./)
    await checkPage(page, 'person: their officer')
    await page.getByRole('link', { name: 'Ask for a different key worker' }).click()
    await page.waitForURL('**/my/officer/change')
    await checkPage(page, 'person: ask for a different officer')

    await page.goto('/my/feedback')
    await checkPage(page, 'person: feedback')

    await page.goto('/my/worry')
    await page.getByRole('button', { name: 'Send my worry' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('alert').innerText(), /Choose who you are worried about/)
    await checkPage(page, 'person: worry with errors')
    await page.getByRole('group', { name: 'Who are you worried about?' }).getByLabel('Me', { exact: true }).check()
    await page
      .getByLabel('What is happening?')
      .fill('I have had bad news from home and I cannot stop thinking about it')
    await page.getByRole('group', { name: 'Is someone in danger right now?' }).getByLabel('I am not sure').check()
    await page.getByRole('button', { name: 'Send my worry' }).click()
    await page.waitForURL('**/my/worries')
    assert.match(
      await page.locator('main').innerText(),
      /What happens next[\s\S]*The safer custody team has your worry now/,
    )
    assert.match(await page.locator('main').innerText(), /About you\. Sent, not read yet\./)
    await checkPage(page, 'person: worry sent')

    await page.getByRole('link', { name: 'Cymraeg' }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('main').innerText(), /Amdanoch chi/)
    await checkPage(page, 'person: worries in Welsh')
    assert.deepEqual(journey.pageProblems, [])
  })

  it('shows the safer custody lead the worry at once, raised by the person in custody', async () => {
    const { page } = await journey.newPage()
    await signInAsStaff(page, 'demo.safercustody')
    const notifications = page.locator('header').getByRole('link', { name: /Notifications/ })
    assert.match(await notifications.innerText(), /\d/)
    await page.goto('/concerns')
    const row = page.getByRole('row').filter({ hasText: person.prisonNumber }).first()
    await row.getByRole('link').first().click()
    await page.waitForLoadState()
    const main = await page.locator('main').innerText()
    assert.match(main, /I have had bad news from home/)
    assert.match(main, new RegExp(`${person.lastName}, ${person.firstName} \\(${person.prisonNumber}\\)`))
    await checkPage(page, 'safer custody: the worry')
  })

  it('opens a care plan from the worry, and the person reads their own copy in large type, in English and Welsh', async () => {
    const { page } = await journey.newPage()
    await signInAsStaff(page, 'demo.safercustody')
    await page.goto('/concerns')
    await page.getByRole('row').filter({ hasText: person.prisonNumber }).first().getByRole('link').first().click()
    await page.getByRole('link', { name: 'Open a care plan from this concern' }).click()
    await page.getByLabel('Why is the plan being opened?').fill('Worried about bad news from home; asked for help.')
    await page.getByRole('button', { name: 'Open a care plan' }).click()
    await noticeShown(page, 'Care plan opened')
    await page.waitForURL(/\/care-plans\/[0-9a-f-]{36}$/)
    await page.getByRole('button', { name: 'Record immediate action' }).click()
    await page.getByLabel('What is being done now to keep the person safe?').fill('Wing staff are checking in often.')
    await page.getByLabel('Observations by day').fill('4')
    await page.getByLabel('Observations by night').fill('2')
    await page.getByRole('button', { name: 'Save immediate action plan' }).click()
    await noticeShown(page, 'Immediate action plan recorded')

    const own = await journey.newPage()
    await signInAsPerson(own.page)
    await own.page.getByRole('link', { name: 'Your care plan' }).click()
    await own.page.waitForURL('**/my/care-plan')
    const copy = await own.page.locator('main').innerText()
    assert.match(copy, /Your care plan started on/)
    assert.ok(!copy.includes('bad news from home; asked'), 'the reason staff gave stays with staff')
    assert.ok(!copy.includes('checking in often'), 'the immediate action stays with staff')
    await checkPage(own.page, 'person: their care plan')
    await own.page.setViewportSize({ width: 375, height: 800 })
    await own.page.getByRole('link', { name: 'Cymraeg' }).click()
    await own.page.waitForLoadState()
    assert.equal(await own.page.getByRole('heading', { level: 1 }).innerText(), 'Eich cynllun gofal')
    await checkPage(own.page, 'person: their care plan in Welsh on a phone')
    assert.deepEqual(journey.pageProblems, [])
  })

  it('keeps the person out of the staff service: a staff address is refused, even their own record', async () => {
    const { page } = await journey.newPage()
    await signInAsPerson(page)
    const response = await page.goto(`/people/${person.prisonNumber}`)
    assert.equal(response?.status(), 403)
    await checkPage(page, 'person: a staff page refused')
  })
})

describe('a governor reads equality of access and outcomes by ethnic group', () => {
  it('shows each group against everyone else with small numbers protected, axe on each characteristic', async () => {
    const { page } = await journey.newPage()
    await signInAsStaff(page, 'demo.governor')
    await page.goto('/equality')
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Equality of access and outcomes')
    await checkPage(page, 'equality: age band')
    await page.getByRole('link', { name: 'Ethnic group (5 groups)' }).click()
    await page.waitForURL('**/equality?characteristic=ethnicGroup')
    assert.match(await page.locator('main').innerText(), /Sessions a week in their timetable/)
    await checkPage(page, 'equality: ethnic group')
    await page.goto('/language/cy?returnTo=%2Fequality%3Fcharacteristic%3DethnicGroup')
    await checkFitsPhone(page, 'equality by ethnic group in Welsh')
  })
})

async function signInAsPerson(page: Page) {
  await page.goto('/my/sign-in')
  await page.getByLabel('Username').fill('demo.person')
  await page.getByLabel('Password', { exact: true }).fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/my')
}
