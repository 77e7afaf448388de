import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { checkPage, type Journey, noticeShown, openFromMenu, startJourney } from '../support/browser.ts'

type Person = { prisonNumber: string; firstName: string; lastName: string }

describe('a partner worker raises a concern, the officer sees it at once, safer custody acts, the partner is told', () => {
  let journey: Journey
  let person: Person
  let officerName: string

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // Someone on the wing whose dedicated officer is the demo key worker: that officer is responsible for them now.
    const keyworker = await journey.db
      .selectFrom('staff_user')
      .select(['id', 'display_name as displayName'])
      .where('username', '=', 'demo.keyworker')
      .executeTakeFirstOrThrow()
    officerName = keyworker.displayName
    person = await journey.db
      .selectFrom('dedicated_officer_allocation as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .innerJoin('journey_stage as s', 's.person_id', 'p.id')
      .select(['p.prison_number as prisonNumber', 'p.first_name as firstName', 'p.last_name as lastName'])
      .where('a.staff_user_id', '=', keyworker.id)
      .where('a.ended_at', 'is', null)
      .where('s.ended_at', 'is', null)
      .where('s.stage', '=', 'residential')
      .orderBy('p.prison_number')
      .executeTakeFirstOrThrow()
  })
  after(async () => {
    await journey?.close()
  })

  it('takes a partner worker from the navigation to the form, with what to do at once first', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.partner')
    await page.getByRole('link', { name: 'Raise a concern' }).first().click()
    await page.waitForURL('**/raise-a-concern')
    await checkPage(page, 'raise a concern: find the person')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForLoadState()
    assert.match(
      await page.getByRole('alert').innerText(),
      /Enter the prison number, or the first and last names, of someone at this prison/,
    )
    await checkPage(page, 'raise a concern: no prison number')
    await page.getByLabel('Prison number or full name of the person you are worried about').fill(person.prisonNumber)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`**/people/${person.prisonNumber}/concerns/new`)
    const main = await page.locator('main').innerText()
    assert.ok(main.indexOf('Stay with them') < main.indexOf('What did you see or hear?'), 'what to do now comes first')
    await checkPage(page, 'raise a concern')

    await page.getByRole('button', { name: 'Send concern' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: /)
    assert.match(await page.getByRole('alert').innerText(), /Enter what you saw or heard/)
    await checkPage(page, 'raise a concern with errors')

    await page
      .getByLabel('What did you see or hear?')
      .fill('Gave away his radio at the chapel group and said he would not need it.')
    await page.getByRole('group', { name: 'Is the person safe right now?' }).getByLabel('Not sure').check()
    await page
      .getByRole('group', { name: 'Does this suggest a risk of suicide or self-harm?' })
      .getByLabel('Yes', { exact: true })
      .check()
    await page.getByLabel('Today').check()
    await page.getByRole('button', { name: 'Send concern' }).click()
    await noticeShown(page, 'Your concern was sent.')
    await page.waitForURL('**/concerns/raised')
    const row = page.getByRole('row').filter({ hasText: person.prisonNumber })
    assert.match(await row.innerText(), /Sent, not yet opened/)
    assert.match(await row.innerText(), new RegExp(`${officerName} and safer custody`))
    await checkPage(page, 'concerns I raised')
  })

  it('shows the responsible officer an unread notification and the concern on their list at once', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.keyworker')
    const notifications = page.locator('header').getByRole('link', { name: /Notifications/ })
    assert.match(await notifications.innerText(), /\d/)
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Safer custody' }).click()
    await page
      .getByRole('navigation', { name: 'Pages in Safer custody' })
      .getByRole('link', { name: 'Concerns' })
      .click()
    await page.waitForURL('**/concerns')
    const row = page.getByRole('row').filter({ hasText: 'Gave away his radio at the chapel group' })
    assert.equal(await row.count(), 1)
    await checkPage(page, 'open concerns for the officer')
    await row.getByRole('link', { name: `${person.lastName}, ${person.firstName}` }).click()
    await page.waitForURL('**/concerns/*')
    assert.match(await page.locator('main').innerText(), /Received by/)
    await checkPage(page, 'a concern, received')
  })

  it('lets safer custody act on it from the dashboard, and the partner sees what was done', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.safercustody')
    await page.getByRole('link', { name: 'Safer custody', exact: true }).click()
    await page.waitForURL('**/safer-custody')
    await checkPage(page, 'safer custody dashboard')
    await page.getByRole('link', { name: /: Open concerns$/ }).click()
    await page.waitForURL('**/concerns?state=open')
    await checkPage(page, 'open concerns for safer custody')
    await page
      .getByRole('row')
      .filter({ hasText: 'Gave away his radio at the chapel group' })
      .getByRole('link', { name: `${person.lastName}, ${person.firstName}` })
      .click()
    await page.waitForURL('**/concerns/*')
    await page.getByRole('button', { name: 'Record what was done' }).click()
    await page.waitForLoadState()
    assert.match(await page.getByRole('alert').innerText(), /Choose what was done/)
    await checkPage(page, 'a concern with an error')
    await page.getByLabel('Spoke with the person').check()
    await page.getByLabel('Notes').fill('Spoke with him after the group; he will see the chaplain tomorrow.')
    await page.getByRole('button', { name: 'Record what was done' }).click()
    await noticeShown(page, 'Recorded. The person who raised the concern can see it was acted on.')
    await checkPage(page, 'a concern acted on')

    await page.goto('/concern-settings')
    await checkPage(page, 'concern settings')

    const partner = (await journey.newPage()).page
    await signIn(partner, 'demo.partner')
    await openFromMenu(partner, 'Raise a concern', 'Concerns I raised')
    await partner.waitForURL('**/concerns/raised')
    const row = partner.getByRole('row').filter({ hasText: person.prisonNumber }).first()
    assert.match(await row.innerText(), /Acted on: Spoke with the person/)
    assert.ok(!(await row.innerText()).includes('chaplain tomorrow'), 'the notes stay with those who act')
  })

  it('gives the partner worker a 404 for the detail of a sensitive concern they raised', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.partner')
    await page.goto(`/people/${person.prisonNumber}/concerns`)
    await checkPage(page, 'the concerns tab of a person')
    await page.getByRole('button', { name: 'Raise a concern' }).click()
    await page.waitForURL(`**/people/${person.prisonNumber}/concerns/new`)
    await page.getByLabel('What did you see or hear?').fill('Told me about a debt on the wing he is frightened of.')
    await page.getByRole('group', { name: 'Is the person safe right now?' }).getByLabel('Yes').check()
    await page
      .getByRole('group', { name: 'Does this suggest a risk of suicide or self-harm?' })
      .getByLabel('No', { exact: true })
      .check()
    await page.getByLabel('This concern is sensitive').check()
    await page.getByRole('button', { name: 'Send concern' }).click()
    await noticeShown(page, 'Your concern was sent.')
    await page.waitForURL('**/concerns/raised')
    assert.ok(!(await page.locator('main').innerText()).includes('debt on the wing'))
    const concern = await journey.db
      .selectFrom('concern')
      .select('id')
      .where('what_happened', '=', 'Told me about a debt on the wing he is frightened of.')
      .executeTakeFirstOrThrow()
    const response = await page.goto(`/concerns/${concern.id}`)
    assert.equal(response?.status(), 404)
    assert.ok(!(await page.locator('body').innerText()).includes('debt on the wing'))
    await checkPage(page, 'a sensitive concern refused')
    const refused = await journey.db
      .selectFrom('audit_event')
      .select('actor_username as username')
      .where('action', '=', 'concern.view-refused')
      .where(sql<boolean>`details @> ${JSON.stringify({ concernId: concern.id })}::jsonb`)
      .execute()
    assert.deepEqual(refused, [{ username: 'demo.partner' }])
  })

  it('never writes what was seen or heard, or who it was about, to the log', () => {
    const log = journey.logLines.join('\n')
    for (const text of [
      'Gave away his radio at the chapel group',
      'debt on the wing',
      person.prisonNumber,
      person.lastName,
    ])
      assert.ok(!log.includes(text), `the log holds ${text}`)
  })
})

async function signIn(page: Page, username: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill('demo')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}
