import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import {
  checkAccessibility,
  checkFitsPhone,
  checkPage,
  type Journey,
  noticeShown,
  openFromMenu,
  signInAsStaff,
  startJourney,
} from '../support/browser.ts'

/**
 * Issue 15: an administrator registers another system for one prison's events, is shown its secret once, changes
 * the prisons, and later rotates its secret; every page passes axe and uses curly apostrophes, in English and in Welsh.
 */
describe('an administrator sends one prison’s events to another system and rotates its secret', () => {
  let journey: Journey
  let page: Page

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page } = await journey.newPage())
    await signInAsStaff(page, 'demo.admin')
  })
  after(async () => {
    await journey?.close()
  })

  it('adds a subscriber for the prison chosen, after being told what was missing, and sees the secret once', async () => {
    await openFromMenu(page, 'Staff and partners', 'Events out')
    await page.waitForURL('**/webhooks')
    // Axe alone here: the page's example of computing a signature is code, whose quotation marks are straight.
    await checkAccessibility(page, 'events out')
    // A link drawn as a button (GOV.UK's start-a-task style), so its role is button.
    await page.getByRole('button', { name: 'Add a subscriber' }).click()
    await page.waitForURL('**/webhooks/new')
    await checkPage(page, 'add a subscriber')

    const prisons = page.getByRole('group', { name: 'Prisons whose events to send' })
    for (const box of await prisons.getByRole('checkbox').all()) await box.uncheck()
    await page.getByLabel('Address to send events to').fill('https://alerts.example.org/events')
    await page.getByRole('button', { name: 'Add subscriber' }).click()
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select at least one prison you work in/)
    await checkPage(page, 'add a subscriber, refused')

    await prisons.getByRole('checkbox').first().check()
    await page.getByRole('button', { name: 'Add subscriber' }).click()
    await page.waitForURL('**/webhooks/*/secret')
    const secret = (await page.getByTestId('signing-secret').innerText()).trim()
    assert.match(secret, /^[0-9a-f]{64}$/)
    await checkPage(page, 'the new secret')
    await page.getByRole('link', { name: 'Go to the subscriber' }).click()
    assert.equal((await page.locator('main').innerText()).includes(secret), false)
    await checkPage(page, 'a subscriber')
  })

  it('changes the subscriber’s prisons from its page, after being told none was chosen', async () => {
    await page.getByRole('link', { name: 'Change prisons' }).click()
    await page.waitForURL('**/webhooks/*/edit*')
    await checkPage(page, 'change a subscriber')
    const prisons = page.getByRole('group', { name: 'Prisons whose events to send' })
    for (const box of await prisons.getByRole('checkbox').all()) await box.uncheck()
    await page.getByRole('button', { name: 'Save changes' }).click()
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select at least one prison you work in/)
    await checkPage(page, 'change a subscriber, refused')

    await prisons.getByRole('checkbox', { name: /Elmwood/ }).check()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await noticeShown(page, 'The subscriber’s events and prisons are changed.')
    await page.waitForURL('**/webhooks/*')
    assert.match(await page.locator('main').innerText(), /HMP Elmwood \(EWI\)/)
    await checkPage(page, 'a changed subscriber')
  })

  it('rotates the secret: a new one shown once, both signing for a day, said in Welsh too', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click()
    await page.waitForURL('**/webhooks/*/secret')
    assert.match(await page.locator('main').innerText(), /signed with this secret and with the old one/)
    await checkPage(page, 'a rotated secret')
    await page.getByRole('link', { name: 'Go to the subscriber' }).click()
    assert.match(await page.locator('main').innerText(), /signed with both the new secret and the old one until/)

    const subscriber = new URL(page.url()).pathname
    await page.goto(`/language/cy?returnTo=${encodeURIComponent(subscriber)}`)
    assert.equal(await page.locator('html').getAttribute('lang'), 'cy')
    assert.match(await page.locator('main').innerText(), /Caiff anfoniadau eu llofnodi â’r gyfrinach newydd a’r hen un/)
    await checkPage(page, 'a subscriber, in Welsh')
    await page.goto('/webhooks/new')
    await checkPage(page, 'add a subscriber, in Welsh')
    await page.goto(`${subscriber}/edit`)
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Newid y digwyddiadau a’r carchardai')
    await checkPage(page, 'change a subscriber, in Welsh')
  })

  it('a developer of the other system reads the API reference, on a phone too, in Welsh and English', async () => {
    await page.goto('/api-docs')
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Cyfeirnod API Waymark')
    // Axe alone: the reference quotes JSON and headers, whose quotation marks are straight.
    await checkAccessibility(page, 'the API reference, in Welsh')
    await checkFitsPhone(page, 'the API reference, in Welsh')
    await page.goto('/language/en?returnTo=%2Fapi-docs')
    await page.getByRole('link', { name: 'GET /api/people/{prisonNumber}/journey' }).click()
    assert.match(await page.locator('main').innerText(), /Making a change/)
    await checkAccessibility(page, 'the API reference')
    await checkFitsPhone(page, 'the API reference')
  })
})
