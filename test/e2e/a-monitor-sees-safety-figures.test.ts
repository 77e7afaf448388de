import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import {
  checkFitsPhone,
  checkPage,
  openFromMenu,
  signInAsStaff,
  startJourney,
  type Journey,
} from '../support/browser.ts'

describe('an independent monitor sees the safety in custody figures but no concern’s detail', () => {
  let journey: Journey
  let page: Page
  let concernId: string

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // A concern at Northgate that the monitor did not raise: its detail is for those who act on it.
    ;({ id: concernId } = await journey.db
      .selectFrom('concern as c')
      .innerJoin('staff_user as s', 's.id', 'c.raised_by')
      .select('c.id')
      .where('c.establishment_code', '=', 'NHI')
      .where('s.username', '<>', 'demo.monitor')
      .orderBy('c.raised_at')
      .limit(1)
      .executeTakeFirstOrThrow())
    ;({ page } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  it('signs in as the monitor and opens the safety in custody figures from the menu', async () => {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill('demo.monitor')
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // Need-to-know: a monitor holds no roll, and starts at the figures they oversee.
    await page.waitForURL('**/safety-figures')
    await openFromMenu(page, 'Measures', 'Safety in custody figures')
    await page.waitForURL('**/safety-figures')
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Safety in custody figures' }).waitFor())
    await checkPage(page, 'Safety in custody figures (monitor)')
  })

  it('sees the rates per 1,000 and the watch on refused or delayed transfers, naming no one', async () => {
    const rates = page.getByRole('table', { name: 'Safety in custody figures' })
    await assert.doesNotReject(rates.getByRole('columnheader', { name: 'Incidents per 1,000' }).waitFor())
    await assert.doesNotReject(rates.getByRole('rowheader', { name: 'HMP Northgate' }).waitFor())
    await assert.doesNotReject(page.getByRole('heading', { level: 2, name: 'Transfers refused or delayed' }).waitFor())
    const watch = page.getByRole('table', { name: 'Transfers refused or delayed' })
    await assert.doesNotReject(
      watch.getByRole('cell', { name: 'With a self-harm history or an open care plan' }).waitFor(),
    )
    await assert.doesNotReject(watch.getByRole('cell', { name: 'Everyone else' }).waitFor())
    assert.equal(await page.locator('main a[href^="/people/"]').count(), 0, 'no link to anyone’s record')
    assert.equal(await page.getByRole('link', { name: /incidents recorded at this prison/ }).count(), 0)
  })

  it('cannot open a concern’s detail, and the safer custody dashboard gives counts with no links to them', async () => {
    const response = await page.goto(`/concerns/${concernId}`)
    assert.ok(response && [403, 404].includes(response.status()), `a concern’s page gave ${response?.status()}`)
    await checkPage(page, 'A concern’s page (monitor)')
    await page.goto('/safer-custody')
    await assert.doesNotReject(page.getByRole('heading', { level: 1 }).first().waitFor())
    assert.equal(await page.locator('main a[href^="/concerns"]').count(), 0, 'no link to the concerns behind a count')
    assert.equal(await page.locator('main a[href^="/people/"]').count(), 0)
    await checkPage(page, 'Safer custody dashboard (monitor)')
  })

  it('lets the group director start on the same figures for all three prisons, and not on the roll', async () => {
    const { page: director } = await journey.newPage()
    await director.goto('/sign-in')
    await director.getByLabel('Username').fill('demo.director')
    await director.getByLabel('Password', { exact: true }).fill('demo')
    await director.getByRole('button', { name: 'Sign in' }).click()
    await director.waitForURL('**/safety-figures')
    const rates = director.getByRole('table', { name: 'Safety in custody figures' })
    for (const prison of ['HMP Bryn Glas', 'HMP Elmwood', 'HMP Northgate'])
      await assert.doesNotReject(rates.getByRole('rowheader', { name: prison }).waitFor())
    await checkPage(director, 'Safety in custody figures (group director)')
    assert.equal((await director.goto('/roll'))?.status(), 403)
  })

  it('lets the safer custody lead read the incidents behind them on a phone, the table scrolling within itself', async () => {
    const { page: lead } = await journey.newPage()
    await signInAsStaff(lead, 'demo.safercustody')
    await lead.goto('/self-harm-incidents')
    const incidents = lead.getByRole('table', { name: 'Self-harm incidents' })
    assert.ok((await incidents.getByRole('row').count()) > 1, 'the demo prison’s incidents are listed')
    await checkPage(lead, 'Self-harm incidents (safer custody lead)')
    await checkFitsPhone(lead, 'the self-harm incidents')
  })
})
