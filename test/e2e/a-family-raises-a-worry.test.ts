import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkPage, type Journey, noticeShown, signInAsStaff, startJourney } from '../support/browser.ts'

/**
 * Issue 14: a mother, on her phone with JavaScript off, raises a worry in Welsh about her son at HMP Bryn
 * Glas; the safer custody lead there sees it at once and records what was done; she sees "acted on", and
 * nothing else. axe cannot run where JavaScript is off, so each page is checked again in a second browser.
 */
describe('a family member raises a worry in Welsh, without an account, and sees that it was acted on', () => {
  let journey: Journey
  let family: Page
  let checker: Page
  let son: { prisonNumber: string; firstName: string; lastName: string; dateOfBirth: string }
  let reference = ''
  let code = ''

  before(async () => {
    journey = await startJourney({ snapshot: true })
    son = await journey.db
      .selectFrom('person')
      .select([
        'prison_number as prisonNumber',
        'first_name as firstName',
        'last_name as lastName',
        'date_of_birth as dateOfBirth',
      ])
      .where('establishment_code', '=', 'BGI')
      .orderBy('prison_number')
      .executeTakeFirstOrThrow()
    ;({ page: family } = await journey.newPage({ javaScriptEnabled: false }))
    ;({ page: checker } = await journey.newPage())
    await family.setViewportSize({ width: 375, height: 800 })
  })
  after(async () => {
    await journey?.close()
  })

  it('finds the page from the sign-in page and reads what to do now, in Welsh, on a phone', async () => {
    await family.goto('/sign-in')
    await family
      .getByRole('link', { name: 'Worried about someone in prison? Tell the prison, without signing in' })
      .click()
    await family.waitForURL('**/worried-about-someone')
    await family.getByRole('link', { name: 'Cymraeg' }).click()
    await family.waitForURL('**/worried-about-someone')
    assert.equal(await family.getByRole('heading', { level: 1 }).innerText(), 'Yn poeni am rywun yn y carchar')
    const main = await family.locator('main').innerText()
    assert.match(main, /ffoniwch 999/)
    assert.match(main, /HMP Bryn Glas: 01632 960 \d{3}/)
    assert.match(main, /116 123/)

    await checker.goto('/language/cy?returnTo=/worried-about-someone')
    await checkPage(checker, 'families: the public page in Welsh')
    await checker.setViewportSize({ width: 375, height: 800 })
    await checkPage(checker, 'families: the public page in Welsh on a phone')
    await checker.goto('/language/en?returnTo=/worried-about-someone')
    await checkPage(checker, 'families: the public page in English on a phone')
    await checker.goto('/language/cy?returnTo=/worried-about-someone')
  })

  it('refuses the form sent empty, beside each field, and takes it when filled in', async () => {
    await family.getByRole('button', { name: 'Anfon eich pryder' }).click()
    await family.waitForLoadState()
    assert.match(await family.title(), /^Gwall: /)
    assert.match(await family.getByRole('alert').first().innerText(), /Dewiswch y carchar y mae’r person ynddo/)
    await checker.getByRole('button', { name: 'Anfon eich pryder' }).click()
    await checker.waitForLoadState()
    await checkPage(checker, 'families: the form refused')

    const [year, month, day] = son.dateOfBirth.split('-') as [string, string, string]
    await family.getByLabel('Ym mha garchar mae’r person?').selectOption({ label: 'HMP Bryn Glas' })
    await family.getByLabel('Enw llawn y person').fill(`${son.firstName} ${son.lastName}`)
    const born = family.getByRole('group', { name: 'Dyddiad geni’r person' })
    await born.getByLabel('Diwrnod').fill(String(Number(day)))
    await born.getByLabel('Mis').fill(String(Number(month)))
    await born.getByLabel('Blwyddyn').fill(year)
    await family
      .getByLabel('Beth sy’n eich poeni chi?')
      .fill('Ffoniodd neithiwr a dweud ei fod yn flin am bopeth, fel petai’n ffarwelio.')
    await family.getByRole('group', { name: 'Pa mor fuan mae angen i rywbeth ddigwydd?' }).getByLabel('Nawr').check()
    await family
      .getByRole('group', { name: /Ydych chi’n meddwl y gallen nhw niweidio eu hunain/ })
      .getByLabel('Ydw', { exact: true })
      .check()
    await family.getByLabel('Sut ydych chi’n adnabod y person?').fill('Mam')
    await family.getByLabel('Eich enw').fill('Eirlys Prydderch')
    await family.getByLabel('Rhif ffôn').fill('01632 960 555')
    await family.getByLabel('Na chaiff, peidiwch â dweud mai fi oedd e').check()
    await family.getByRole('button', { name: 'Anfon eich pryder' }).click()
    await family.waitForURL('**/worried-about-someone/sent')
    assert.equal(await family.getByRole('heading', { level: 1 }).innerText(), 'Diolch, rydym wedi’i anfon ymlaen')
    const sent = await family.locator('main').innerText()
    reference = /Eich cyfeirnod\s+(W-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(sent)?.[1] ?? ''
    code = /Eich cod dilyn\s+([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})/.exec(sent)?.[1] ?? ''
    assert.ok(reference && code, sent)
    assert.ok(!sent.includes(son.lastName), 'the answer does not say whether he is there')
  })

  it('checks the thank-you page in a second browser, with a worry about no one there', async () => {
    await checker.goto('/worried-about-someone')
    await checker.getByLabel('Ym mha garchar mae’r person?').selectOption({ label: 'HMP Bryn Glas' })
    await checker.getByLabel('Enw llawn y person').fill('Neb Yma')
    await checker.getByLabel('Rhif carchar y person, os ydych chi’n ei wybod').fill('Z9999ZZ')
    await checker.getByLabel('Beth sy’n eich poeni chi?').fill('Prawf.')
    await checker
      .getByRole('group', { name: 'Pa mor fuan mae angen i rywbeth ddigwydd?' })
      .getByLabel('Yr wythnos hon')
      .check()
    await checker
      .getByRole('group', { name: /Ydych chi’n meddwl y gallen nhw niweidio eu hunain/ })
      .getByLabel('Nac ydw')
      .check()
    await checker.getByLabel('Sut ydych chi’n adnabod y person?').fill('Ffrind')
    await checker.getByLabel('Eich enw').fill('Prawf')
    await checker.getByLabel('Cyfeiriad e-bost').fill('prawf@example.com')
    await checker.getByLabel('Caiff, fe gaiff wybod mai fi oedd e').check()
    await checker.getByRole('button', { name: 'Anfon eich pryder' }).click()
    await checker.waitForURL('**/worried-about-someone/sent')
    assert.equal(await checker.getByRole('heading', { level: 1 }).innerText(), 'Diolch, rydym wedi’i anfon ymlaen')
    await checkPage(checker, 'families: the thank-you page in Welsh on a phone')
  })

  it('reaches the safer custody lead at Bryn Glas at once, who sees who raised it and records what was done', async () => {
    await journey.deliverEvents()
    const { page: lead } = await journey.newPage()
    await signInAsStaff(lead, 'demo.safercustody.bgi')
    await lead.goto('/concerns')
    const row = lead
      .getByRole('row')
      .filter({ hasText: son.prisonNumber })
      .filter({ hasText: 'From family or friends' })
    await row.getByRole('link').first().click()
    await lead.waitForLoadState()
    const concern = await lead.locator('main').innerText()
    assert.match(concern, /Ffoniodd neithiwr/)
    assert.match(concern, /Family or friends, through the public page/)
    assert.doesNotMatch(concern, /Eirlys/, 'the family’s name is not on the concern')
    await checkPage(lead, 'families: the concern from a family')

    await lead.getByRole('link', { name: 'See who raised it' }).click()
    await lead.waitForURL(/\/family-worries\/[0-9a-f-]{36}$/)
    const worry = await lead.locator('main').innerText()
    assert.match(worry, /Eirlys Prydderch/)
    assert.match(worry, /01632 960 555/)
    await checkPage(lead, 'families: the worry, for safer custody')
    await lead.getByLabel('Acted on').check()
    await lead.getByRole('button', { name: 'Save what the family sees' }).click()
    await noticeShown(lead, 'Saved: the family now sees this')
    assert.match(await lead.locator('main').innerText(), /Saved: the family now sees this/)
    const worryPage = lead.url()
    await lead.setViewportSize({ width: 375, height: 800 })
    await lead.goto(`/language/cy?returnTo=${encodeURIComponent(new URL(worryPage).pathname)}`)
    const welsh = await lead.locator('main').innerText()
    assert.match(welsh, /Mae rhywun wedi gweithredu arno/)
    assert.match(welsh, /Yn ofni hunanladdiad neu hunan-niwed\s+Ydyn/)
    assert.match(welsh, /A gaiff y person wybod pwy a’i cododd\s+Na chaiff/)
    await checkPage(lead, 'families: the worry, for safer custody, in Welsh on a phone')
    await lead.goto('/language/en?returnTo=/family-worries')
    await lead.setViewportSize({ width: 1280, height: 800 })

    await lead.goto('/family-worries')
    assert.match(await lead.locator('main').innerText(), /To match to a person/)
    await checkPage(lead, 'families: the worries to match')
    await lead.setViewportSize({ width: 375, height: 800 })
    await checkPage(lead, 'families: the worries to match on a phone')
  })

  it('shows the family “acted on” and the date with their reference and code, and nothing else', async () => {
    await family.goto('/worried-about-someone/follow-up')
    await family.getByLabel('Cyfeirnod').fill(reference)
    await family.getByLabel('Cod dilyn').fill(code)
    await family.getByRole('button', { name: 'Gwirio' }).click()
    await family.waitForLoadState()
    const result = await family.locator('main').innerText()
    assert.match(result, /Mae rhywun wedi gweithredu arno/)
    assert.match(result, /Ers \d/)
    assert.doesNotMatch(result, new RegExp(son.lastName))
    assert.doesNotMatch(result, /Ffoniodd/)

    await checker.goto('/worried-about-someone/follow-up')
    await checkPage(checker, 'families: check on a worry')
  })

  it('keeps the mail with the reference and code in the outbox, where an administrator reads it', async () => {
    const { page: admin } = await journey.newPage()
    await signInAsStaff(admin, 'demo.admin')
    await admin.goto('/mail-outbox')
    const outbox = await admin.locator('main').innerText()
    assert.match(outbox, /Eich pryder: cyfeirnod W-[A-Z0-9]{4}-[A-Z0-9]{4}/)
    assert.match(outbox, /prawf@example\.com/)
    await checkPage(admin, 'families: the mail outbox')
    await admin.setViewportSize({ width: 375, height: 800 })
    await admin.goto('/language/cy?returnTo=/mail-outbox')
    assert.match(await admin.locator('main').innerText(), /Blwch post allan/)
    await checkPage(admin, 'families: the mail outbox in Welsh on a phone')
    assert.deepEqual(journey.pageProblems, [])
  })
})
