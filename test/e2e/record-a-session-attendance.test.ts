import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { systemClock } from '../../src/platform/clock.ts'
import { checkFitsPhone, checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'
import { givenActivity, givenActivityAllocation } from '../support/attendance-builders.ts'

type Person = { id: string; prisonNumber: string; firstName: string; lastName: string }

const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

describe('an officer records the attendance of a whole session', () => {
  let journey: Journey
  let people: Person[]
  let groupId: string
  const slot = `${days[new Date(`${systemClock.today()}T00:00:00Z`).getUTCDay()]}_AM`

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // A painting class at Northgate this morning, whatever day the test runs, with three people on it.
    const painting = await givenActivity(journey.db, 'NHI', {
      code: 'E2E-PAINT',
      name: 'Painting and drawing',
      category: 'therapeutic',
      groups: [{ code: 'a', slots: [slot], location: 'Art room' }],
    })
    groupId = painting.groups[0].id
    people = await journey.db
      .selectFrom('person')
      .select(['id', 'prison_number as prisonNumber', 'first_name as firstName', 'last_name as lastName'])
      .where('establishment_code', '=', 'NHI')
      .orderBy('prison_number')
      .limit(3)
      .execute()
    for (const person of people) await givenActivityAllocation(journey.db, person.id, groupId, '2026-01-01')
  })
  after(async () => {
    await journey?.close()
  })

  it('takes the register on one page, is told whose reason is missing, and saves it in one go', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.officer')
    await page.getByRole('link', { name: 'Regime', exact: true }).click()
    await page.waitForLoadState()
    await page.getByRole('link', { name: 'Attendance', exact: true }).click()
    await page.waitForURL('**/attendance')
    assert.equal(await heading(page), 'Attendance')
    await checkPage(page, 'attendance sessions')

    await page.getByRole('link', { name: /Take register\s+for Painting and drawing, group a/ }).click()
    await page.waitForURL(`**/attendance/sessions/${groupId}/**`)
    await checkPage(page, 'attendance register')

    const [first, second, third] = people as [Person, Person, Person]
    const line = (person: Person) =>
      page.getByRole('group', { name: new RegExp(`${person.lastName}, ${person.firstName}`) })
    await line(first).getByRole('radio', { name: 'Attended' }).check()
    await line(second).getByRole('radio', { name: 'Refused' }).check()
    await line(third).getByRole('radio', { name: 'Sick' }).check()
    await page.getByRole('button', { name: 'Save the register' }).click()
    await page.waitForLoadState()

    assert.match(await page.title(), /^Error: /)
    const missing = `Enter why ${second.firstName} ${second.lastName} refused`
    assert.match(await page.getByRole('alert').innerText(), new RegExp(missing))
    // Nothing the officer chose is lost.
    assert.equal(await line(first).getByRole('radio', { name: 'Attended' }).isChecked(), true)
    assert.equal(await line(third).getByRole('radio', { name: 'Sick' }).isChecked(), true)
    await checkPage(page, 'attendance register with an error')

    await page.getByRole('link', { name: missing }).click()
    await page.getByLabel(`Reason for ${second.firstName} ${second.lastName}`).fill('Would not leave his cell')
    await page.getByRole('button', { name: 'Save the register' }).click()
    await noticeShown(page, 'Register saved')
    await checkPage(page, 'attendance register saved')

    const saved = await journey.db
      .selectFrom('attendance')
      .select(['person_id as personId', 'outcome', 'reason'])
      .where('group_id', '=', groupId)
      .execute()
    assert.deepEqual(
      new Map(saved.map((row) => [row.personId, [row.outcome, row.reason]])),
      new Map([
        [first.id, ['attended', '']],
        [second.id, ['refused', 'Would not leave his cell']],
        [third.id, ['sick', '']],
      ]),
    )
  })

  it('fits the sessions and the register on a phone 375 pixels wide, with each register’s link in view', async () => {
    const { page } = await journey.newPage()
    await page.setViewportSize({ width: 375, height: 800 })
    await signIn(page, 'demo.officer')
    await page.goto('/attendance')
    assert.ok((await scrollWidth(page)) <= 375, `the sessions are ${await scrollWidth(page)} pixels wide`)
    await checkPage(page, 'attendance sessions on a phone')
    const link = page.getByRole('link', { name: /for Painting and drawing, group a/ })
    const box = await link.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, 'the register’s link is off the screen')
    await link.click()
    await page.waitForURL(`**/attendance/sessions/${groupId}/**`)
    assert.ok((await scrollWidth(page)) <= 375, `the register is ${await scrollWidth(page)} pixels wide`)
    await checkPage(page, 'attendance register on a phone')
  })

  it('shows the session on the person’s Activities tab, where their feedback is recorded', async () => {
    const person = people[0]
    const { page } = await journey.newPage()
    await signIn(page, 'demo.officer')
    await page.goto(`/people/${person.prisonNumber}/activities`)
    assert.match(await page.locator('main').innerText(), /Painting and drawing/)
    await checkPage(page, 'person activities')

    await page.getByRole('button', { name: 'Record their feedback' }).click()
    await page.waitForURL('**/activities/feedback')
    await checkPage(page, 'record feedback')
    await page.getByLabel('Activity').selectOption({ label: 'Painting and drawing' })
    await page.getByRole('radio', { name: '4, good' }).check()
    await page.getByLabel('What they said (optional)').fill('Calms me down')
    await page.getByRole('button', { name: 'Save' }).click()
    await noticeShown(page, 'Feedback recorded')
    await page.waitForURL('**/activities')
    assert.match(await page.locator('main').innerText(), /Calms me down/)
  })

  it('gives the governor the attendance rate of the class in the activity reports', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.governor')
    await page.getByRole('link', { name: 'Regime', exact: true }).click()
    await page.waitForLoadState()
    await page.getByRole('link', { name: 'Activity reports' }).click()
    await page.waitForURL('**/attendance/reports')
    const row = page.getByRole('row').filter({ hasText: 'Painting and drawing' })
    // One attended of three due: the refusal and the sickness count against it.
    assert.match(await row.innerText(), /33%/)
    await checkPage(page, 'activity reports')
    // Eight columns of figures: on a phone the tables scroll within themselves (they made the page 790 px wide).
    await checkFitsPhone(page, 'the activity reports')
  })
})

async function signIn(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim()
}
