import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkFitsPhone, checkPage, type Journey, noticeShown, openFromMenu, startJourney } from '../support/browser.ts'

/** A total as the page shows it, in whole pounds. */
async function totalOf(page: Page, id: string): Promise<number> {
  const text = await page.locator(`#${id}`).innerText()
  return Number(text.replace(/[£,\s]/g, ''))
}

describe('a governor costs what works: changes a unit cost and an assumption, and sees the totals change', () => {
  let journey: Journey
  let page: Page
  let todayBefore: number
  let packageBefore: number

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  it('opens the cost of what works from the Measures menu, with no effect assumed', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.governor')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    await openFromMenu(page, 'Measures', 'Cost of what works')
    await page.waitForURL('**/costing')
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'The cost of what works' }).waitFor())
    await assert.doesNotReject(page.getByText('No effect is assumed.', { exact: false }).waitFor())
    todayBefore = await totalOf(page, 'today-total')
    packageBefore = await totalOf(page, 'package-total')
    assert.ok(todayBefore > 0, 'the demo prison had incidents this year')
    await checkPage(page, 'The cost of what works')
    // Welsh headings are longer: the page's tables scroll in their own regions on a phone.
    await page.goto('/language/cy?returnTo=%2Fcosting')
    await checkFitsPhone(page, 'the cost of what works in Welsh')
    await page.goto('/language/en?returnTo=%2Fcosting')
  })

  it('is refused a negative cost beside the field, then sets the cost of a self-harm incident and its source', async () => {
    await page.getByRole('link', { name: 'Change A self-harm incident' }).click()
    await page.waitForURL('**/costing/unit-costs/self-harm-incident')
    await checkPage(page, 'Change a unit cost')
    const amount = page.getByLabel('A self-harm incident: cost in pounds')
    await amount.fill('-800')
    await page.getByLabel('Where this figure comes from').fill('Northgate finance team, 2026')
    await page.getByRole('button', { name: 'Save the cost' }).click()
    await assert.doesNotReject(
      page.getByRole('alert').getByText('Enter the cost in pounds and pence, for example 32.50').waitFor(),
    )
    assert.equal(await amount.inputValue(), '-800')
    assert.equal(await page.getByLabel('Where this figure comes from').inputValue(), 'Northgate finance team, 2026')
    await checkPage(page, 'Change a unit cost (refused)')
    await amount.fill('1,800')
    await page.getByRole('button', { name: 'Save the cost' }).click()
    await noticeShown(page, 'The unit cost and its source are saved.')
    await page.waitForURL('**/costing#unit-costs')
    assert.ok((await totalOf(page, 'today-total')) > todayBefore, 'today’s yearly cost rose with the unit cost')
    await assert.doesNotReject(
      page.locator('#unit-costs-table').getByRole('cell', { name: 'Northgate finance team, 2026' }).waitFor(),
    )
    await checkPage(page, 'The cost of what works (cost saved)')
  })

  it('counts more staff for training and states an expected fall in incidents with its source', async () => {
    await page.getByLabel('Staff counted for training', { exact: true }).fill('2000')
    await page.getByLabel('Expected fall in self-harm incidents (%)', { exact: true }).fill('10')
    await page
      .getByLabel('Source of this expected change: Expected fall in self-harm incidents (%)')
      .fill('Our pilot on B wing, 2025')
    await page.getByRole('button', { name: 'Save the assumptions' }).click()
    await noticeShown(page, 'The assumptions are saved.')
    await page.waitForURL('**/costing#assumptions')
    assert.ok((await totalOf(page, 'package-total')) > packageBefore, 'training more staff costs more')
    assert.equal(await page.getByText('No effect is assumed.', { exact: false }).count(), 0)
    await assert.doesNotReject(
      page
        .getByText(/You stated that self-harm incidents would fall by 10% \(source: Our pilot on B wing, 2025\)/)
        .waitFor(),
    )
    assert.ok((await totalOf(page, 'savings-total')) > 0)
    await checkPage(page, 'The cost of what works (assumptions saved)')
  })

  it('opens the page to print, with no forms on it', async () => {
    await page.getByRole('link', { name: 'Print this page' }).click()
    await page.waitForURL('**/costing/print')
    assert.equal(await page.getByRole('button', { name: 'Save the assumptions' }).count(), 0)
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.getByRole('navigation', { name: 'Menu' }).isVisible(), false)
    await assert.doesNotReject(page.getByRole('table').filter({ hasText: 'Staff counted for training' }).waitFor())
    await page.emulateMedia({ media: 'screen' })
    await checkPage(page, 'The cost of what works (to print)')
    assert.deepEqual(journey.pageProblems, [])
  })
})
