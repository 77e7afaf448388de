import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

/** Issue 13: a prison gives someone access, and takes it away. */
describe('an administrator adds an officer, who chooses a password at their first sign-in, and later shuts them out', () => {
  let journey: Journey
  let admin: Page
  let officer: Page
  let oneTimePassword = ''
  let accountUrl = ''

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page: admin } = await journey.newPage())
    ;({ page: officer } = await journey.newPage())
  })
  after(async () => {
    await journey?.close()
  })

  async function signIn(page: Page, username: string, password: string) {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('finds the accounts from the navigation, and searches them', async () => {
    await signIn(admin, 'demo.admin', 'demo')
    await admin.waitForURL('**/roll')
    await admin
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: 'Staff and partners', exact: true })
      .click()
    await admin.getByRole('link', { name: 'Accounts', exact: true }).click()
    await admin.waitForURL('**/accounts')
    await checkPage(admin, 'accounts')
    await admin.getByLabel('Name or username').fill('demo.officer')
    await admin.getByRole('button', { name: 'Apply' }).click()
    await admin.waitForURL((url) => url.searchParams.get('search') === 'demo.officer')
    assert.equal(await admin.getByRole('cell', { name: 'demo.officer', exact: true }).count(), 1)
  })

  it('adds an officer, told beside each field what is missing first, and is shown the one-time password once', async () => {
    await admin.getByRole('button', { name: 'Add an account' }).click()
    await admin.waitForURL('**/accounts/new')
    await admin.getByRole('button', { name: 'Add account' }).click()
    assert.match(await admin.getByRole('alert').innerText(), /Enter their name/)
    await checkPage(admin, 'add an account with errors')
    await admin.getByLabel('Name', { exact: true }).fill('Nia Roberts')
    await admin.getByLabel('Username').fill('nia.roberts')
    await admin.getByRole('radio', { name: 'Prison officer' }).check()
    await admin.getByRole('button', { name: 'Add account' }).click()
    await admin.waitForURL(/\/accounts\/[0-9a-f-]{36}\/one-time-password$/)
    await checkPage(admin, 'one-time password')
    oneTimePassword = (await admin.getByTestId('one-time-password').innerText()).trim()
    assert.match(oneTimePassword, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    accountUrl = new URL(admin.url()).pathname.replace('/one-time-password', '')
    await admin.reload()
    assert.match(await admin.locator('main').innerText(), /was shown once and is not kept/)
  })

  it('lets the officer in with it only to choose their own password, then to their home page', async () => {
    await signIn(officer, 'nia.roberts', oneTimePassword)
    await officer.waitForURL('**/account/password')
    await checkPage(officer, 'choose your own password')
    await officer.goto('/roll')
    await officer.waitForURL('**/account/password')
    await officer.getByLabel('The one-time password you were given').fill(oneTimePassword)
    await officer.getByLabel('New password', { exact: true }).fill('password1234')
    await officer.getByLabel('The new password again').fill('password1234')
    await officer.getByRole('button', { name: 'Change password' }).click()
    assert.match(await officer.getByRole('alert').innerText(), /too common/)
    await officer.getByLabel('The one-time password you were given').fill(oneTimePassword)
    await officer.getByLabel('New password', { exact: true }).fill('copper kettle morning walk')
    await officer.getByLabel('The new password again').fill('copper kettle morning walk')
    await officer.getByRole('button', { name: 'Change password' }).click()
    await officer.waitForURL('**/roll')
    assert.match(await officer.locator('h1').innerText(), /Roll/)
  })

  it('shows the administrator the account, and disables it: the officer’s open session is refused at its next request', async () => {
    await admin.goto(accountUrl)
    const summary = await admin.locator('main').innerText()
    assert.match(summary, /Prison officer/)
    assert.match(summary, /Last sign-in\s+\d/)
    await checkPage(admin, 'an account')
    await admin.getByRole('button', { name: 'Disable account' }).click()
    await noticeShown(admin, 'The account is disabled, and every session of it has ended.')
    await admin.waitForURL(`**${accountUrl}`)
    await officer.goto('/roll')
    await officer.waitForURL(/\/sign-in\?expired=1/)
    await signIn(officer, 'nia.roberts', 'copper kettle morning walk')
    assert.match(await officer.getByRole('alert').innerText(), /not right/)
  })

  it('enables the account again and makes them a key worker, told first that it needs a prison', async () => {
    await admin.getByRole('button', { name: 'Enable account' }).click()
    await noticeShown(admin, 'The account is enabled. They can sign in again.')
    await admin.getByRole('link', { name: 'Change role, organisation or prisons' }).click()
    await admin.waitForURL(`**${accountUrl}/access`)
    await checkPage(admin, 'change an account’s access')
    await admin.getByRole('radio', { name: 'Key worker' }).check()
    await admin.getByRole('checkbox', { name: 'HMP Northgate' }).uncheck()
    await admin.getByRole('button', { name: 'Save access' }).click()
    assert.match(await admin.getByRole('alert').innerText(), /Choose at least one prison/)
    await checkPage(admin, 'change an account’s access with an error')
    await admin.getByRole('checkbox', { name: 'HMP Northgate' }).check()
    await admin.getByRole('button', { name: 'Save access' }).click()
    await noticeShown(admin, 'The account’s access has changed.')
    await admin.waitForURL(`**${accountUrl}`)
    assert.match(await admin.locator('main').innerText(), /Key worker/)
  })

  it('shows the officer where they are signed in', async () => {
    await signIn(officer, 'nia.roberts', 'copper kettle morning walk')
    await officer.waitForURL('**/roll')
    await officer.getByRole('link', { name: 'Your sessions' }).click()
    await officer.waitForURL('**/account/sessions')
    await checkPage(officer, 'your sessions')
    await officer.goto('/account/password')
    await checkPage(officer, 'change your password')
  })

  it('reads the accounts in Welsh on a phone 375 pixels wide without scrolling sideways', async () => {
    await admin.setViewportSize({ width: 375, height: 800 })
    await admin.goto('/language/cy?returnTo=/accounts')
    assert.equal(await admin.locator('h1').innerText(), 'Cyfrifon')
    const width = await admin.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 375, `the page is ${width} pixels wide`)
    await checkPage(admin, 'accounts in Welsh on a phone')
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })
})
