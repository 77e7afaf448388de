import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { checkFitsPhone, checkPage, type Journey, noticeShown, startJourney } from '../support/browser.ts'

/**
 * R1-R4: an activities manager adds a bakery course with a group to the offer; an officer assesses a
 * person's needs, the person asks for the course and it appears among what the allocator will look for;
 * the officer records a non-association. Every page is checked with axe.
 */
describe('an activities manager adds to the offer and an officer assesses a person against it', () => {
  let journey: Journey
  let manager: Page
  let officer: Page
  let person: { prisonNumber: string; firstName: string; lastName: string }
  let other: { prisonNumber: string; lastName: string }

  before(async () => {
    journey = await startJourney({ peopleAtFirst: 120, snapshot: true })
    ;({ page: manager } = await journey.newPage())
    ;({ page: officer } = await journey.newPage())
    const people = await journey.db
      .selectFrom('person')
      .select(['prison_number as prisonNumber', 'first_name as firstName', 'last_name as lastName'])
      .where('establishment_code', '=', 'NHI')
      .where('cohort', '=', 'mainstream')
      .orderBy('prison_number')
      .limit(2)
      .execute()
    person = people[0]!
    other = people[1]!
  })
  after(async () => {
    await journey?.close()
  })

  async function signIn(page: Page, username: string) {
    await page.goto('/sign-in')
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/roll')
  }
  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText()

  it('shows the manager the prison’s offer from the navigation', async () => {
    await signIn(manager, 'demo.activities')
    await manager.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Regime', exact: true }).click()
    await manager.waitForURL('**/regime/offer')
    assert.equal(await heading(manager), 'Regime offer')
    assert.ok((await manager.getByRole('link', { name: 'Thinking Skills Programme' }).count()) === 1)
    await checkPage(manager, 'regime offer')
    await checkFitsPhone(manager, 'the regime offer')
  })

  it('says what is missing when a new activity is saved empty', async () => {
    await manager.getByRole('button', { name: 'Add an activity' }).click()
    await manager.waitForURL('**/regime/offer/new')
    await checkPage(manager, 'add an activity')
    await manager.getByRole('button', { name: 'Save activity' }).click()
    await manager.waitForLoadState()
    assert.match(await manager.title(), /^Error: /)
    const summary = await manager.getByRole('alert').innerText()
    assert.match(summary, /Enter an activity code/)
    assert.match(summary, /Select the category/)
    await checkPage(manager, 'add an activity with errors')
  })

  it('adds a bakery course that meets the need for work skills', async () => {
    await manager.getByLabel('Activity code').fill('edu-bakery-l1')
    await manager.getByLabel('Name').fill('Bakery skills, level 1')
    await manager.getByLabel('Education').check()
    await manager.getByLabel('Group', { exact: true }).check()
    await manager.getByLabel('Work skills').check()
    await manager.getByRole('button', { name: 'Save activity' }).click()
    await noticeShown(manager, 'Activity added')
    await manager.waitForURL('**/regime/offer/EDU-BAKERY-L1')
    assert.equal(await heading(manager), 'Bakery skills, level 1')
    assert.match(await manager.getByRole('alert').innerText(), /Activity added/)
    await checkPage(manager, 'activity added')
  })

  it('refuses a group whose minimum is above its capacity, then adds it', async () => {
    await manager.getByRole('button', { name: 'Add a group' }).click()
    await manager.waitForURL('**/groups/new')
    await checkPage(manager, 'add a group')
    await manager.getByLabel('Group code').fill('a')
    await manager.getByLabel('Location').fill('Main kitchen bakery')
    await manager.getByLabel('Monday morning (MON_AM)').check()
    await manager.getByLabel('Wednesday morning (WED_AM)').check()
    await manager.getByLabel('Capacity').fill('8')
    await manager.getByLabel('Minimum size').fill('10')
    await manager.getByRole('button', { name: 'Save group' }).click()
    await manager.waitForLoadState()
    assert.match(
      await manager.getByRole('alert').innerText(),
      /minimum size \(10\) cannot be more than the capacity \(8\)/,
    )
    assert.equal(await manager.getByLabel('Location').inputValue(), 'Main kitchen bakery')
    await checkPage(manager, 'add a group with errors')
    await manager.getByLabel('Minimum size').fill('4')
    await manager.getByRole('button', { name: 'Save group' }).click()
    await noticeShown(manager, 'Group added')
    await manager.waitForURL('**/regime/offer/EDU-BAKERY-L1')
    const row = manager.getByRole('row').filter({ hasText: 'EDU-BAKERY-L1/a' })
    assert.match(await row.innerText(), /Monday morning, Wednesday morning/)
    await checkPage(manager, 'group added')
  })

  it('shows the usable day, the framework and the needs analysis', async () => {
    await manager.goto('/regime/usable-day')
    assert.equal(await manager.getByLabel('Monday morning runs').isChecked(), true)
    await checkPage(manager, 'usable day')
    await manager.goto('/regime/framework')
    assert.match(await manager.locator('main').innerText(), /HMP Northgate is a reception prison/)
    await checkPage(manager, 'regime framework')
    await manager.goto('/needs-analysis')
    assert.equal(await heading(manager), 'Population needs analysis')
    await checkPage(manager, 'needs analysis')
    await manager.getByRole('link', { name: /^People with Work skills in the Mainstream cohort$/ }).click()
    await manager.waitForURL('**/needs-analysis/people?need=work-skills&cohort=mainstream')
    await checkPage(manager, 'people behind a gap')
  })

  it('lets an officer reassess a person, who asks for the bakery course, and the course is among their wants', async () => {
    await signIn(officer, 'demo.officer')
    await officer.goto(`/people/${person.prisonNumber}/needs-assessment`)
    await checkPage(officer, 'needs assessment')
    await officer.getByRole('button', { name: 'Reassess' }).click()
    await officer.waitForURL('**/needs-assessment/new')
    await checkPage(officer, 'needs assessment form')
    const answer = async (question: string, choice: string) =>
      officer.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check()
    await answer('When is this assessment?', 'Review')
    await answer('Is there a health or mental health need staff should know about?', 'Yes')
    await officer.getByLabel('If yes, who to ask').fill('')
    await answer('What work have they done?', 'None')
    await officer.getByLabel('Activity they asked for 1 (optional)').selectOption({ label: 'Bakery skills, level 1' })
    await officer.getByRole('button', { name: 'Save assessment' }).click()
    await officer.waitForLoadState()
    assert.match(await officer.getByRole('alert').innerText(), /Enter who to ask about their health/)
    await checkPage(officer, 'needs assessment form with errors')
    await officer.getByLabel('If yes, who to ask').fill('Mental health in-reach team')
    await officer.getByRole('button', { name: 'Save assessment' }).click()
    await noticeShown(officer, 'Assessment saved')
    await officer.waitForURL(`**/people/${person.prisonNumber}/needs-assessment`)
    const wants = await officer.locator('#wants').innerText()
    assert.match(wants, /Bakery skills, level 1/)
    assert.match(await officer.locator('main').innerText(), /Work skills\s+High/)
    await checkPage(officer, 'needs assessment saved')
  })

  it('lets the officer record a non-association, shown on both people’s records', async () => {
    await officer.locator('.moj-sub-navigation').getByRole('link', { name: 'Non-associations' }).click()
    await officer.waitForURL(`**/people/${person.prisonNumber}/non-associations`)
    await officer.getByText('Record a non-association').click()
    await officer.getByLabel('Prison number of the other person').fill(other.prisonNumber)
    await officer.getByLabel('Threat').check()
    await officer.getByLabel('Do not locate on the same wing or in any regime activity').check()
    await officer.getByRole('button', { name: 'Record non-association' }).click()
    await noticeShown(officer, 'Non-association recorded')
    await officer.waitForURL('**/non-associations')
    const row = officer.getByRole('row').filter({ hasText: other.prisonNumber })
    assert.match(await row.innerText(), /Threat/)
    await checkPage(officer, 'non-association recorded')
    await officer.goto(`/people/${other.prisonNumber}/non-associations`)
    assert.equal(await officer.getByRole('row').filter({ hasText: person.prisonNumber }).count(), 1)
    await officer.goto('/non-associations')
    await checkPage(officer, 'prison non-associations')
    await checkFitsPhone(officer, 'the prison’s non-associations')
    await officer.goto('/needs-assessments')
    await checkPage(officer, 'needs assessments due')
    assert.deepEqual(journey.pageProblems, [])
  })
})
