import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { londonDate } from '../../src/platform/dates.ts'
import { checkPage, type Journey, noticeShown, openFromMenu, startJourney } from '../support/browser.ts'

type Person = { id: string; prisonNumber: string; firstName: string; lastName: string }

describe('a key work session whose check-in flags a change for the worse', () => {
  let journey: Journey
  let person: Person
  let previousMood: number

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // One of the demo key worker's people whose last check-in had a mood of 3 or better.
    const keyworker = await journey.db
      .selectFrom('staff_user')
      .select('id')
      .where('username', '=', 'demo.keyworker')
      .executeTakeFirstOrThrow()
    const candidates = await journey.db
      .selectFrom('dedicated_officer_allocation as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .innerJoin('check_in as c', 'c.person_id', 'p.id')
      .select(['p.id', 'p.prison_number as prisonNumber', 'p.first_name as firstName', 'p.last_name as lastName'])
      .select(['c.mood', 'c.recorded_on as recordedOn', 'c.recorded_at as recordedAt'])
      .where('a.staff_user_id', '=', keyworker.id)
      .where('a.ended_at', 'is', null)
      .orderBy('p.prison_number')
      .orderBy('c.recorded_on', 'desc')
      .orderBy('c.recorded_at', 'desc')
      .execute()
    const latest = new Map<string, (typeof candidates)[number]>()
    for (const row of candidates) if (!latest.has(row.id)) latest.set(row.id, row)
    const chosen = [...latest.values()].find((row) => row.mood >= 3)
    assert.ok(chosen, 'the demo key worker has someone whose last check-in was steady')
    person = chosen
    previousMood = chosen.mood
  })
  after(async () => {
    await journey?.close()
  })

  it('lets the key worker record a session with a low mood, and flags it on the person and their caseload', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.keyworker')
    await openFromMenu(page, 'Dedicated officers', 'My caseload')
    await page.waitForURL('**/my-caseload')
    assert.equal(await heading(page), 'My caseload')
    await checkPage(page, 'my caseload')

    await page
      .getByRole('link', { name: `${person.lastName}, ${person.firstName}` })
      .first()
      .click()
    await page.waitForURL(`**/people/${person.prisonNumber}/key-work`)
    await checkPage(page, 'key work')

    const form = page.locator(`form[action="/people/${person.prisonNumber}/key-work/sessions"]`)
    // The session is recorded the day it is held: the date boxes start on today, as the wing's calendar has it.
    const date = form.getByRole('group', { name: 'Date of the session' })
    const [year, month, day] = londonDate(new Date()).split('-').map(Number)
    assert.deepEqual(
      [
        await date.getByLabel('Day').inputValue(),
        await date.getByLabel('Month').inputValue(),
        await date.getByLabel('Year').inputValue(),
      ],
      [String(day), String(month), String(year)],
    )
    await form.getByLabel('Length in minutes').fill('30')
    await form.getByRole('radio', { name: '1: very low' }).check()
    await form.getByRole('radio', { name: '3: some bad nights' }).check()
    await form.getByRole('radio', { name: '3: some contact' }).check()
    await form.getByRole('radio', { name: '3: some worries' }).check()
    await form.getByLabel('Notes').fill('Low after a phone call home.')
    await form.getByRole('button', { name: 'Record session' }).click()
    await noticeShown(page, 'Key work session recorded')
    await page.waitForURL(`**/people/${person.prisonNumber}/key-work`)
    const flag = `Mood dropped from ${previousMood} to 1 since the last check-in.`
    assert.match(await page.locator('main').innerText(), new RegExp(flag))
    assert.match(await page.locator('main').innerText(), /Raise a concern if you are worried/)
    await checkPage(page, 'key work after a session')

    await openFromMenu(page, 'Dedicated officers', 'My caseload')
    await page.waitForURL('**/my-caseload')
    const row = page.getByRole('row').filter({ hasText: person.prisonNumber })
    assert.match(await row.innerText(), new RegExp(flag))
  })

  it('shows the flag, saying why, to the safer custody lead', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.safercustody')
    await openFromMenu(page, 'Dedicated officers', 'Wellbeing flags')
    await page.waitForURL('**/wellbeing-flags')
    assert.equal(await heading(page), 'Wellbeing flags')
    const row = page.getByRole('row').filter({ hasText: person.prisonNumber })
    assert.match(await row.innerText(), new RegExp(`Mood dropped from ${previousMood} to 1 since the last check-in`))
    await checkPage(page, 'wellbeing flags')
  })

  it('offers only the officers who can take a person, and says why the others cannot', async () => {
    const lapsed = await journey.db
      .selectFrom('staff_user')
      .select('display_name as displayName')
      .where('username', '=', 'officer.nhi.003')
      .executeTakeFirstOrThrow()
    const unallocated = await journey.db
      .selectFrom('person')
      .select('prison_number as prisonNumber')
      .where('establishment_code', '=', 'NHI')
      .where('id', 'not in', (eb) =>
        eb.selectFrom('dedicated_officer_allocation').select('person_id').where('ended_at', 'is', null),
      )
      .orderBy('prison_number')
      .limit(1)
      .executeTakeFirstOrThrow()
    const { page } = await journey.newPage()
    await signIn(page, 'demo.safercustody')
    await openFromMenu(page, 'Dedicated officers', 'Dedicated officers')
    await page.waitForURL('**/dedicated-officers')
    assert.equal(await heading(page), 'Allocate dedicated officers')
    await checkPage(page, 'allocate dedicated officers')
    // The wings first; one wing's people, and its recommendation to accept, on a page of its own.
    await page.getByRole('table', { name: 'Wings with people to allocate' }).getByRole('link').first().click()
    await page.waitForURL('**/dedicated-officers?wing=*')
    assert.ok(await page.getByRole('button', { name: /^Accept recommendation for / }).isVisible())
    await checkPage(page, 'a wing to allocate')

    await page.goto(`/people/${unallocated.prisonNumber}/dedicated-officer`)
    await checkPage(page, 'dedicated officer')
    const offered = await page.getByLabel('Choose an officer').locator('option').allInnerTexts()
    assert.ok(offered.length > 1, 'officers to choose from')
    assert.ok(!offered.some((text) => text.startsWith(lapsed.displayName)), `${lapsed.displayName} is not offered`)
    await page.getByText(/officers? cannot take this person now/).click()
    const why = `${lapsed.displayName}’s safeguarding training is missing or out of date`
    assert.ok(await page.getByText(why, { exact: true }).isVisible())
    await page.getByRole('button', { name: 'Allocate' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: /)
    assert.match(await page.getByRole('alert').innerText(), /Choose an officer/)
    await checkPage(page, 'dedicated officer with an error')

    await page.goto(`/people/${person.prisonNumber}/change-officer`)
    await checkPage(page, 'change of officer')
    await page.getByRole('button', { name: 'Send to safer custody' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('alert').innerText(), /Enter the reason/)
    await checkPage(page, 'change of officer with an error')

    for (const [link, title] of [
      ['Change requests', 'Requests to change a dedicated officer'],
      ['Key work statistics', 'Key work statistics'],
    ] as const) {
      await openFromMenu(page, 'Dedicated officers', link)
      assert.equal(await heading(page), title)
      await checkPage(page, title)
    }
  })

  it('lets the governor change the prison’s key work settings', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.governor')
    await openFromMenu(page, 'Dedicated officers', 'Key work settings')
    await page.waitForURL('**/key-work-settings')
    await checkPage(page, 'key work settings')
    await page.getByLabel('Extended caseload').fill('4')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('alert').innerText(), /The extended caseload must be at least the usual caseload/)
    await checkPage(page, 'key work settings with an error')
  })
})

async function signIn(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').first().innerText()).trim()
}
