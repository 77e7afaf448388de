import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

const dayNames: Record<string, string> = {
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
  SUN: 'Sunday',
}

describe('an activities manager compares a scenario of smaller groups and an evening class with today', () => {
  let journey: Journey
  let evening: string

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // An evening Northgate does not run yet, whatever the demo's usable day holds.
    const usable = await journey.db
      .selectFrom('regime_slot')
      .select('slot')
      .where('establishment_code', '=', 'NHI')
      .execute()
    const slot = Object.keys(dayNames)
      .map((day) => `${day}_ED`)
      .find((candidate) => !usable.some((row) => row.slot === candidate))
    assert.ok(slot, 'Northgate has an evening it does not use')
    evening = `${dayNames[slot.slice(0, 3)]} evening`
  })
  after(async () => {
    await journey?.close()
  })

  it('copies the set-up, makes education groups smaller, adds an evening group, runs it and sees the chart and table', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.activities')
    await page.getByRole('link', { name: 'Regime', exact: true }).click()
    await page.waitForLoadState()
    await page.getByRole('link', { name: 'Scenarios', exact: true }).click()
    await page.waitForURL('**/scenarios')
    assert.equal(await heading(page), 'Scenario planning')
    await checkPage(page, 'scenarios')

    await page.getByLabel('Name of the new scenario').fill('Smaller education groups and an evening class')
    await page.getByRole('button', { name: 'Create a scenario' }).click()
    await page.waitForURL(/\/scenarios\/[0-9a-f-]{36}$/)
    assert.equal(await heading(page), 'Smaller education groups and an evening class')
    await checkPage(page, 'scenario')
    // On a phone the table of sizes scrolls inside the page; the page itself never scrolls sideways.
    const desktop = page.viewportSize()!
    await page.setViewportSize({ width: 375, height: 800 })
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(scrollWidth <= 375, `the scenario is ${scrollWidth} pixels wide on a phone`)
    await page.setViewportSize(desktop)

    await page.getByLabel('Change in places for Education, per cent').fill('-25')
    await page.getByRole('checkbox', { name: evening, exact: true }).check()
    await page.getByRole('button', { name: 'Save the changes' }).click()
    await noticeShown(page, 'Changes saved')

    const addGroup = page.locator('form[action$="/groups"]')
    await addGroup.getByLabel('Activity').selectOption({ index: 1 })
    await addGroup.getByLabel('Group code').fill('eve1')
    await addGroup.getByRole('checkbox', { name: evening, exact: true }).check()
    await addGroup.getByLabel('Places').fill('12')
    await addGroup.getByRole('button', { name: 'Add the group' }).click()
    await noticeShown(page, 'Changes saved')
    await page.waitForURL('**#new-groups')
    const added = page.getByRole('row').filter({ hasText: 'eve1' })
    assert.match(await added.innerText(), new RegExp(evening))
    await checkPage(page, 'scenario with a new group')

    // Typed and run straight away, without Save: the run runs it, and keeps it.
    await page.getByLabel('New minimum size for Education').fill('3')
    await page.getByRole('button', { name: 'Run the scenario' }).click()
    await page.waitForURL('**/scenarios/compare?scenario=*', { timeout: 60_000 })
    assert.equal(await heading(page), 'Scenarios compared with today')
    const chart = page.getByRole('img', { name: 'Today and the scenarios' })
    assert.equal(await chart.count(), 1)
    assert.equal(await chart.locator('rect').count(), 6)
    const table = page.getByRole('table', { name: 'The figures' })
    const options = await table.getByRole('columnheader').allInnerTexts()
    assert.deepEqual(options.slice(1), ['Today', 'Smaller education groups and an evening class'])
    assert.match(await table.getByRole('row', { name: /People with no session/ }).innerText(), /\d+ \(\d+%\)/)
    assert.match(await page.locator('main').innerText(), /By protected characteristic/)
    await checkPage(page, 'scenarios compared')

    await page.getByRole('link', { name: 'Back to the scenarios' }).click()
    await page.waitForURL('**/scenarios')
    const saved = page.getByRole('row').filter({ hasText: 'Smaller education groups and an evening class' })
    assert.match(await saved.innerText(), /\d+ \w+ \d{4}/)
    await checkPage(page, 'scenarios with one run')

    await saved.getByRole('link', { name: 'Smaller education groups and an evening class' }).click()
    await page.waitForURL(/\/scenarios\/[0-9a-f-]{36}$/)
    assert.equal(await page.getByLabel('New minimum size for Education').inputValue(), '3')
    assert.equal(await page.getByLabel('Change in places for Education, per cent').inputValue(), '-25')
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
