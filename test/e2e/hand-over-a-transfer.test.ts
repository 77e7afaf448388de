import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, openFromMenu, startJourney, type Journey } from '../support/browser.ts'
import { TEST_PASSWORD, givenEstablishment, givenPerson, givenStaffUser } from '../support/builders.ts'

type Person = { prisonNumber: string; firstName: string; lastName: string }

describe('handing over a transfer from one prison to another', () => {
  let journey: Journey
  let person: Person
  let handoverUrl: string

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    // Someone on a wing at Northgate with no handover already waiting.
    person = await journey.db
      .selectFrom('person as p')
      .innerJoin('journey_stage as j', 'j.person_id', 'p.id')
      .select(['p.prison_number as prisonNumber', 'p.first_name as firstName', 'p.last_name as lastName'])
      .where('p.establishment_code', '=', 'NHI')
      .where('j.stage', '=', 'residential')
      .where('j.ended_at', 'is', null)
      .where('p.id', 'not in', (eb) => eb.selectFrom('handover').select('person_id'))
      .orderBy('p.prison_number')
      .limit(1)
      .executeTakeFirstOrThrow()
  })
  after(async () => {
    await journey?.close()
  })

  it('lets the safer custody lead at Northgate see the gaps, the accountability map and start a transfer handover', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.safercustody')

    await openFromMenu(page, 'Safer custody', 'Responsibility gaps')
    await page.waitForURL('**/responsibility-gaps')
    assert.equal(await heading(page), 'People with nobody named as responsible')
    assert.ok((await page.getByRole('table').getByRole('link').count()) > 0, 'the demo has people with nobody named')
    await checkPage(page, 'responsibility gaps')

    await openFromMenu(page, 'Safer custody', 'Accountability')
    await page.waitForURL('**/accountability')
    assert.equal(await heading(page), 'Accountability: HMP Northgate')
    assert.match(
      await page.getByRole('table').innerText(),
      /Safer custody lead\s+Safer custody lead\s+Sol Safercustody/,
    )
    await checkPage(page, 'accountability map')

    await page.goto(`/people/${person.prisonNumber}/journey`)
    assert.match(await page.locator('main').innerText(), /Responsible now/)
    await checkPage(page, 'journey')
    await page.getByRole('link', { name: 'Start a transfer handover' }).click()
    await page.waitForURL(`**/people/${person.prisonNumber}/handover`)

    await page.getByRole('button', { name: 'Start handover' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: /)
    assert.match(await page.getByRole('alert').innerText(), /Choose the establishment the person is moving to/)
    await checkPage(page, 'start a handover with errors')

    await page.getByLabel('Establishment the person is moving to').selectOption({ label: 'HMP Bryn Glas' })
    await page.getByLabel('Risks').fill('Low mood since a family bereavement last month.')
    await page.getByLabel('The person’s own wishes').fill('Wants to keep working in the kitchens.')
    await page.getByRole('button', { name: 'Start handover' }).click()
    await page.waitForURL(/\/handovers\/[0-9a-f-]{36}$/)
    handoverUrl = new URL(page.url()).pathname
    assert.equal(await heading(page), `Handover of ${person.lastName}, ${person.firstName}`)
    assert.match(await page.locator('main').innerText(), /Open care plans\s+None recorded in Waymark/)
    await checkPage(page, 'handover as sender')
    await page.context().close()
  })

  it('lets the safer custody lead at Bryn Glas acknowledge it, naming who is responsible, and then see the person', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.safercustody.bgi')
    assert.equal((await page.goto(`/people/${person.prisonNumber}`))?.status(), 404, 'not yet on Bryn Glas’s roll')

    await page.goto('/handovers')
    const incoming = page.getByRole('region', { name: 'Coming to this establishment' })
    assert.match(await incoming.innerText(), /To chase/, 'the demo handover past its chase days is marked')
    await checkPage(page, 'handovers at the receiving prison')
    await incoming.getByRole('link', { name: `${person.lastName}, ${person.firstName}` }).click()
    await page.waitForURL(`**${handoverUrl}`)
    assert.match(await page.locator('main').innerText(), /Wants to keep working in the kitchens/)
    await checkPage(page, 'handover as receiver')

    const responsible = page.getByLabel('Who is responsible for the person on arrival')
    const officer = (await responsible.locator('option').allInnerTexts()).find((text) => /Prison officer/.test(text))!
    await responsible.selectOption({ label: officer })
    await page.getByRole('button', { name: 'Acknowledge handover' }).click()
    await page.waitForURL(`**${handoverUrl}`)
    assert.match(await page.locator('main').innerText(), /Acknowledged by Sol Safercustody \(BGI\)/)

    const response = await page.goto(`/people/${person.prisonNumber}/journey`)
    assert.equal(response?.status(), 200)
    const main = await page.locator('main').innerText()
    assert.match(main, /HMP Bryn Glas/)
    assert.match(main, new RegExp(`${officer.replace(/ \(.*$/, '')}, reception officer`))
    assert.match(main, /Transfer in/)
    assert.match(main, /Transfer out/)
    await page.context().close()
  })

  it('no longer shows the person to Northgate’s officer', async () => {
    const { page } = await journey.newPage()
    await signIn(page, 'demo.officer')
    const response = await page.goto(`/people/${person.prisonNumber}`)
    assert.equal(response?.status(), 404)
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(person.lastName))
    await page.goto(`/roll?search=${person.prisonNumber}`)
    assert.match(await page.getByRole('status').innerText(), /No one matches/)
    await page.context().close()
  })

  it('marks a move from a young offender institution to an adult prison as a youth to adult transition, through to its acknowledgement', async () => {
    // The demo estate has no young offender institution (a fourth prison would change every other area's
    // seeded data): this journey adds a small one of its own.
    const yoi = await givenEstablishment(journey.db, { name: 'HMYOI Ashcombe', function: 'young-offender' })
    const lead = await givenStaffUser(journey.db, { role: 'safercustody', establishmentCodes: [yoi.code] })
    const young = await givenPerson(journey.db, yoi.code, {
      firstName: 'Kai',
      lastName: 'Turnbull',
      dateOfBirth: `${new Date().getUTCFullYear() - 21}-01-15`,
      cellId: yoi.cellId,
    })
    const { page } = await journey.newPage()
    await signIn(page, lead.username, TEST_PASSWORD)
    await page.goto(`/people/${young.prisonNumber}/handover`)
    await page.getByLabel('Establishment the person is moving to').selectOption({ label: 'HMP Bryn Glas' })
    await page.getByLabel('Risks').fill('Anxious about moving to an adult prison.')
    await page.getByLabel('The person’s own wishes').fill('Wants to keep his mentor from the youth offending team.')
    await page.getByRole('button', { name: 'Start handover' }).click()
    await page.waitForURL(/\/handovers\/[0-9a-f-]{36}$/)
    const url = new URL(page.url()).pathname
    assert.match(await page.locator('main').innerText(), /Youth to adult transition/)
    await checkPage(page, 'youth to adult handover as sender')
    await page.context().close()

    const receiving = await journey.newPage()
    await signIn(receiving.page, 'demo.safercustody.bgi')
    await receiving.page.goto('/handovers')
    const incoming = receiving.page.getByRole('region', { name: 'Coming to this establishment' })
    const row = incoming.getByRole('row').filter({ hasText: 'Turnbull, Kai' })
    assert.match(await row.innerText(), /Youth to adult transition/)
    await row.getByRole('link', { name: 'Turnbull, Kai' }).click()
    await receiving.page.waitForURL(`**${url}`)
    assert.match(await receiving.page.locator('main').innerText(), /Wants to keep his mentor/)
    const responsible = receiving.page.getByLabel('Who is responsible for the person on arrival')
    const officer = (await responsible.locator('option').allInnerTexts()).find((text) => /Prison officer/.test(text))!
    await responsible.selectOption({ label: officer })
    await receiving.page.getByRole('button', { name: 'Acknowledge handover' }).click()
    await receiving.page.waitForURL(`**${url}`)
    assert.match(await receiving.page.locator('main').innerText(), /Acknowledged by Sol Safercustody \(BGI\)/)
    assert.equal((await receiving.page.goto(`/people/${young.prisonNumber}/journey`))?.status(), 200)
    assert.match(await receiving.page.locator('main').innerText(), /Transfer in/)
    await checkPage(receiving.page, 'journey after a youth to adult transition')
    await receiving.context.close()
  })

  it('met no script error, refused script or missing asset on any page', () => {
    assert.deepEqual(journey.pageProblems, [])
  })
})

async function signIn(page: Page, username: string, password = 'demo') {
  await page.goto('/sign-in')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/roll')
}

async function heading(page: Page): Promise<string> {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim()
}
