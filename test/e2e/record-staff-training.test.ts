import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { addDays } from '../../src/platform/dates.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

describe('a safer custody lead records training for an officer whose safeguarding has expired', () => {
  let journey: Journey
  let page: Page
  let officer: { id: string; displayName: string }
  const today = systemClock.today()
  const [year, month, day] = today.split('-')
  const [expiryYear, expiryMonth, expiryDay] = addDays(today, 3 * 365).split('-')

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
    // The demo gives one officer at each prison lapsed safeguarding training.
    const row = await journey.db
      .selectFrom('staff_user')
      .select(['id', 'display_name as displayName'])
      .where('username', '=', 'officer.nhi.003')
      .executeTakeFirstOrThrow()
    officer = row
  })
  after(async () => {
    await journey?.close()
  })

  it('signs in and opens the staff list from the navigation', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.safercustody')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Staff and partners', exact: true })
      .click()
    await page.waitForURL('**/staff')
    assert.equal(await heading(page), 'Staff and partner workers')
    await checkPage(page, 'staff list')
  })

  it('finds the officer among those with key training expired or missing', async () => {
    await page.getByLabel('Training').selectOption({ label: 'Key training expired or missing' })
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL((url) => url.searchParams.get('gap') === 'expired-or-missing')
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: officer.displayName }) })
    assert.equal(await row.count(), 1)
    assert.match(await row.innerText(), /Expired/)
    await checkPage(page, 'staff list filtered by training gap')
    await row.getByRole('link', { name: officer.displayName }).click()
    await page.waitForURL(`**/staff/${officer.id}`)
  })

  it('shows the officer’s safeguarding as expired', async () => {
    assert.equal(await heading(page), officer.displayName)
    assert.match(await safeguardingRow(page), /Expired/)
    await checkPage(page, 'staff member with expired training')
  })

  it('says what is missing when the form is sent empty', async () => {
    await page.getByRole('button', { name: 'Record training' }).click()
    await page.waitForURL(`**/staff/${officer.id}/training/new`)
    await checkPage(page, 'record training')
    await page.getByRole('button', { name: 'Save training' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: /)
    const summary = await page.getByRole('alert').innerText()
    assert.match(summary, /Select the course/)
    assert.match(summary, /Enter the date the course was completed/)
    await checkPage(page, 'record training with errors')
  })

  it('records renewed safeguarding training, and the officer is current again', async () => {
    await page.getByLabel('Safeguarding').check()
    const completed = page.getByRole('group', { name: /Date completed/ })
    await completed.getByLabel('Day').fill(String(Number(day)))
    await completed.getByLabel('Month').fill(String(Number(month)))
    await completed.getByLabel('Year').fill(year)
    const expires = page.getByRole('group', { name: /Expiry date/ })
    await expires.getByLabel('Day').fill(expiryDay)
    await expires.getByLabel('Month').fill(expiryMonth)
    await expires.getByLabel('Year').fill(expiryYear)
    await page.getByLabel('This was joint training').check()
    await page.getByRole('button', { name: 'Save training' }).click()
    await noticeShown(page, 'Training recorded')
    await page.waitForURL(`**/staff/${officer.id}`)
    assert.match(await safeguardingRow(page), /Current/)
    await checkPage(page, 'staff member after recording training')
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })
})

async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim()
}

async function safeguardingRow(page: Page): Promise<string> {
  return page
    .getByRole('table', { name: 'Training and qualifications' })
    .getByRole('row', { name: /^Safeguarding/ })
    .innerText()
}
