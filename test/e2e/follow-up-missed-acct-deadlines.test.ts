import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, openFromMenu, startJourney, type Journey } from '../support/browser.ts'

describe('the safer custody lead follows up the ACCT deadlines missed, and sees the alert on a person’s record', () => {
  let journey: Journey
  let page: Page
  let onPlan: string

  before(async () => {
    journey = await startJourney({ snapshot: true })
    // Someone at Northgate on an open plan: the alert belongs in the header of every tab of their record.
    ;({ prisonNumber: onPlan } = await journey.db
      .selectFrom('care_plan as cp')
      .innerJoin('person as p', 'p.id', 'cp.person_id')
      .select('p.prison_number as prisonNumber')
      .where('cp.establishment_code', '=', 'NHI')
      .where('cp.closed_at', 'is', null)
      .orderBy('p.prison_number')
      .limit(1)
      .executeTakeFirstOrThrow())
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  it('opens the ACCT deadlines from the safer custody pages, on the last 30 days', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.safercustody')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
    await openFromMenu(page, 'Safer custody', 'ACCT deadlines')
    await page.waitForURL('**/care-plans/deadlines')
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'ACCT deadlines met' }).waitFor())
    const deadlines = page.getByRole('table', { name: /^Deadlines from / })
    for (const step of ['Immediate action plan', 'Assessment interview', 'First case review'])
      await assert.doesNotReject(deadlines.getByRole('rowheader', { name: step }).waitFor())
    await checkPage(page, 'ACCT deadlines')
  })

  it('is told beside the field when a date is not one, and keeps what was typed', async () => {
    await page.getByLabel('From').fill('31/02/2026')
    await page.getByRole('button', { name: 'Show deadlines' }).click()
    await page.waitForURL('**/care-plans/deadlines?from=*')
    await assert.doesNotReject(
      page.getByRole('link', { name: 'Enter a real date, for example 25/11/2026' }).first().waitFor(),
    )
    assert.equal(await page.getByLabel('From').inputValue(), '31/02/2026')
    await checkPage(page, 'ACCT deadlines with a date that is not one')
  })

  it('sees the open ACCT care plan on another tab of a person’s record, and follows it to the care plan tab', async () => {
    await page.goto(`/people/${onPlan}/journey`)
    const alert = page.getByRole('link', { name: 'Open ACCT care plan' })
    await assert.doesNotReject(alert.waitFor())
    await checkPage(page, 'Journey tab with the ACCT alert')
    await alert.click()
    await page.waitForURL(`**/people/${onPlan}/care-plans`)
    await assert.doesNotReject(page.getByRole('heading', { level: 2, name: 'ACCT alert' }).waitFor())
  })

  it('reads the care plans and a care plan on a phone 375 pixels wide without scrolling sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth)
    await page.goto('/care-plans')
    assert.ok((await scrollWidth()) <= 375, `the care plans are ${await scrollWidth()} pixels wide`)
    await checkPage(page, 'care plans on a phone')
    const plan = await page.locator(`main a[href^="/people/${onPlan}/care-plans/"]`).first().getAttribute('href')
    assert.ok(plan, 'the plan is on the list of open care plans')
    await page.goto(plan)
    await assert.doesNotReject(page.getByRole('heading', { level: 2, name: 'Observation record' }).waitFor())
    assert.ok((await scrollWidth()) <= 375, `the care plan is ${await scrollWidth()} pixels wide`)
    await checkPage(page, 'a care plan on a phone')
  })

  it('reads the ACCT deadlines in Welsh on a phone without scrolling sideways', async () => {
    await page.goto('/language/cy?returnTo=/care-plans/deadlines')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 375, `the deadlines are ${width} pixels wide`)
    await checkPage(page, 'the ACCT deadlines in Welsh on a phone')
    await page.goto('/language/en?returnTo=/care-plans')
  })
})
