import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

describe('a governor sets a target for staff supervision, sees the trend and follows the figure to its records', () => {
  let journey: Journey
  let page: Page

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  it('signs in as the governor and opens the measures of what works from the menu', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.governor')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Measures', exact: true }).click()
    await page.waitForURL('**/measures')
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Measures of what works' }).waitFor())
    await checkPage(page, 'Measures of what works')
  })

  it('sees a 12-month trend for supervision as a chart with its table beside it', async () => {
    const section = page.locator('#supervision')
    await assert.doesNotReject(
      section.getByRole('img', { name: /Staff supervision held when due: the last 12 months/ }).waitFor(),
    )
    assert.equal(await section.locator('tbody tr').count(), 12)
  })

  it('is refused a target over 100% with the message beside the field, then sets 95%', async () => {
    await page
      .locator('#supervision')
      .getByRole('link', { name: /Set target/ })
      .click()
    await page.waitForURL('**/measures/supervision/target')
    await checkPage(page, 'Set a target')
    await page.getByLabel('Staff supervision held when due Set a target').fill('120')
    await page.getByRole('button', { name: 'Save target' }).click()
    await assert.doesNotReject(page.getByRole('alert').getByText('Enter a target between 0 and 100').waitFor())
    assert.equal(await page.getByLabel('Staff supervision held when due Set a target').inputValue(), '120')
    await checkPage(page, 'Set a target (refused)')
    await page.getByLabel('Staff supervision held when due Set a target').fill('95')
    await page.getByRole('button', { name: 'Save target' }).click()
    await noticeShown(page, 'Target saved')
    await page.waitForURL('**/measures#supervision')
    const section = page.locator('#supervision')
    assert.match(await section.locator('.govuk-summary-list__value').nth(1).innerText(), /^95%/)
    await assert.doesNotReject(section.getByText('Target not met').waitFor())
    await checkPage(page, 'Measures of what works (target saved)')
  })

  it('follows the supervision figure to the staff whose supervision is overdue', async () => {
    await page
      .locator('#supervision')
      .getByRole('link', { name: /See the records behind this figure/ })
      .click()
    await page.waitForURL('**/staff?supervision=overdue')
    await assert.doesNotReject(page.getByRole('heading', { level: 1 }).first().waitFor())
    await checkPage(page, 'Staff with supervision overdue')
  })

  it('opens the safety in custody figures, counts without names', async () => {
    await page.goto('/safety-figures')
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Safety in custody figures' }).waitFor())
    await assert.doesNotReject(page.getByRole('img', { name: /Self-harm incidents each month/ }).waitFor())
    await checkPage(page, 'Safety in custody figures')
  })
})
