import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, startJourney, type Journey } from '../support/browser.ts'

/** Issue 13: reception gives a person their own account with a printed slip, and a new code when one runs out. */
describe('an officer gives a person their own account with a slip, and a new code when it runs out', () => {
  let journey: Journey
  let officer: Page
  let person: Page
  let people: { id: string; prisonNumber: string }[]

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page: officer } = await journey.newPage())
    ;({ page: person } = await journey.newPage())
    // Two people at Northgate with no account of their own yet.
    people = await journey.db
      .selectFrom('person as p')
      .select(['p.id', 'p.prison_number as prisonNumber'])
      .where('p.establishment_code', '=', 'NHI')
      .where('p.cell_id', 'is not', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('person_account').select('id').whereRef('person_id', '=', 'p.id'))))
      .orderBy('p.prison_number')
      .limit(2)
      .execute()
    await officer.goto('/sign-in')
    await officer.getByLabel('Username').fill('demo.officer')
    await officer.getByLabel('Password', { exact: true }).fill('demo')
    await officer.getByRole('button', { name: 'Sign in' }).click()
    await officer.waitForURL('**/roll')
  })
  after(async () => {
    await journey?.close()
  })

  /** Gives the person an account from their record; the slip's username and code. */
  async function giveSlip(prisonNumber: string, language: 'English' | 'Cymraeg') {
    await officer.goto(`/people/${prisonNumber}`)
    await officer.getByRole('link', { name: 'Own account' }).click()
    await officer.waitForURL(`**/people/${prisonNumber}/own-account`)
    await officer.getByRole('radio', { name: language }).check()
    await officer.getByRole('button', { name: /and print the slip/ }).click()
    await officer.waitForURL(`**/people/${prisonNumber}/own-account/slip?language=*`)
    return {
      username: (await officer.getByTestId('slip-username').innerText()).trim(),
      code: (await officer.getByTestId('slip-code').innerText()).trim(),
    }
  }

  async function personSignsIn(username: string, password: string) {
    await person.goto('/my/sign-in')
    await person.getByLabel('Username').fill(username)
    await person.getByLabel('Password', { exact: true }).fill(password)
    await person.getByRole('button', { name: 'Sign in' }).click()
  }

  it('prints a slip in Welsh from the person’s record, in large type, that prints without the service around it', async () => {
    await officer.goto(`/people/${people[0].prisonNumber}/own-account`)
    assert.match(await officer.locator('main').innerText(), /They have no account yet/)
    await checkPage(officer, 'own account with none yet')
    const slip = await giveSlip(people[0].prisonNumber, 'Cymraeg')
    assert.equal(slip.username, people[0].prisonNumber.toLowerCase())
    assert.equal(await officer.locator('.waymark-slip').getAttribute('lang'), 'cy')
    assert.match(await officer.locator('.waymark-slip').innerText(), /Eich tudalen eich hun ar Waymark/)
    await checkPage(officer, 'a sign-in slip in Welsh')
    await officer.emulateMedia({ media: 'print' })
    assert.equal(await officer.locator('header').first().isVisible(), false)
    assert.equal(await officer.locator('.waymark-slip').isVisible(), true)
    await officer.emulateMedia({ media: 'screen' })

    await personSignsIn(slip.username, slip.code)
    await person.waitForURL('**/my/password')
    await checkPage(person, 'a person chooses their own password')
    await person.getByLabel('Your new password').fill('blue river cake')
    await person.getByLabel('Type it again').fill('blue river cake')
    await person.getByRole('button', { name: 'Save my password' }).click()
    await person.waitForURL('**/my')
    await person.getByRole('button', { name: 'Sign out' }).click()
    await personSignsIn(slip.username, 'blue river cake')
    await person.waitForURL('**/my')
  })

  it('tells the person a code has run out, and the new code the officer gives works', async () => {
    await person.getByRole('button', { name: 'Sign out' }).click()
    const first = await giveSlip(people[1].prisonNumber, 'English')
    await checkPage(officer, 'a sign-in slip in English')
    // Eight days on, the slip is still in a drawer.
    await journey.db
      .updateTable('person_account')
      .set({ code_expires_at: new Date(Date.now() - 86_400_000) })
      .where('person_id', '=', people[1].id)
      .execute()
    await personSignsIn(first.username, first.code)
    assert.match(await person.getByRole('alert').innerText(), /has run out\. Ask an officer for a new one/)
    await officer.goto(`/people/${people[1].prisonNumber}/own-account`)
    assert.match(await officer.locator('main').innerText(), /The code ran out on/)
    await checkPage(officer, 'own account with the code run out')
    const second = await giveSlip(people[1].prisonNumber, 'English')
    await personSignsIn(second.username, second.code)
    await person.waitForURL('**/my/password')
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })
})
