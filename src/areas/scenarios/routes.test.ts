import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenRegimeSlots,
  givenWant,
} from '../../../test/support/attendance-builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import type { Actor } from '../../platform/permissions.ts'
import { chartColoursUnchecked } from '../../../test/support/charts.ts'
import { readPage, textOf, type Page } from '../../../test/support/page.ts'
import { followed, opened, sentBack } from '../../../test/support/page-steps.ts'

/** The row headings of the comparison's table with this caption (or, for the cohorts, the table after this heading). */
function rowHeadings(page: Page, title: string): string[] {
  const tables = page.root.querySelectorAll('main table')
  const table =
    tables.find((each) => textOf(each.querySelector('caption')) === title) ??
    page.root
      .querySelectorAll('main h2')
      .find((heading) => textOf(heading) === `By ${title.toLowerCase()}`)
      ?.nextElementSibling?.closest('table')
  assert.ok(table, `a table of the figures by ${title}`)
  return table.querySelectorAll('th[scope="row"]').map(textOf)
}

/** The text of each label in the page's chart, its lines joined by a space. */
function chartLabels(page: Page): string[] {
  return page.root.querySelectorAll('main svg[role="img"] text').map((label) => {
    const lines = label.querySelectorAll('tspan')
    return lines.length > 0 ? lines.map(textOf).join(' ') : textOf(label)
  })
}

describePagesOnEachEngine(
  'scenario pages',
  { clock: fixedClock('2026-11-25T10:00:00Z'), staff: ['activities', 'officer'] },
  (site) => {
    let otherManager: Actor
    async function created(name: string): Promise<string> {
      const response = await (await site.as('activities')).post('/scenarios', { name }, { from: '/scenarios' })
      assert.equal(response.statusCode, 303)
      return String(response.headers.location)
    }
    /** Presses Run the scenario on its page, with what is typed in its changes form and not saved, if anything. */
    async function pressRun(location: string, typed?: Record<string, string>) {
      const form = typed ? { changesForm: 'shown', ...typed } : {}
      return (await site.as('activities')).post(`${location}/run`, form, { from: location })
    }
    /** The scenario's id, from where its page is. */
    const idOf = (location: string) => location.split('/').pop()!

    before(async () => {
      const elsewhere = await givenEstablishment(site.db)
      otherManager = await givenStaffUser(site.db, { role: 'activities', establishmentCodes: [elsewhere.code] })
      await givenRegimeSlots(site.db, site.home.code, { MON_AM: ['09:00', '12:00'], TUE_AM: ['09:00', '12:00'] })
      const english = await givenActivity(site.db, site.home.code, {
        code: 'EDU-ENG',
        name: 'English',
        groups: [{ code: 'a', slots: ['MON_AM'], capacity: 2 }],
      })
      // Religion as people answer it: a faith, preferring not to say, and never asked.
      const religions = ['buddhist', 'not-stated', null]
      for (let n = 0; n < 3; n++) {
        const person = await givenPerson(site.db, site.home.code)
        await site.db.updateTable('person').set({ religion: religions[n] }).where('id', '=', person.id).execute()
        await givenWant(site.db, person.id, english.id, 3)
        if (n < 2) await givenActivityAllocation(site.db, person.id, english.groups[0].id)
      }
    })

    it('creates a scenario from the set-up and shows its groups to change', async () => {
      const location = await created('Evening English')
      assert.match(location, /^\/scenarios\/[0-9a-f-]{36}$/)
      const page = await (await site.as('activities')).get(location)
      assert.equal(page.statusCode, 200)
      const scenario = readPage(page.body)
      assert.equal(scenario.heading(), 'Evening English')
      assert.equal(scenario.isChecked('English, group a (Monday morning)'), false, 'the group, offered to close')
      assert.match(scenario.text, /Runs now: Monday morning, Tuesday morning/)
    })

    it('refuses a change in places that is not a number, keeping what was typed', async () => {
      const location = await created('Typo')
      const page = await (
        await site.as('activities')
      ).post(location, { 'capacity-education': 'half', extraSlots: 'MON_ED' }, { from: location })
      const refused = sentBack(page)
      assert.deepEqual(refused.errors(), [
        { text: 'Enter a change between -90 and 200 per cent for Education', href: '#capacity-education' },
      ])
      assert.equal(refused.valueOf('Change in places for Education, per cent'), 'half')
      assert.deepEqual(refused.chosen('extraSlots'), ['MON_ED'])
    })

    it('runs a scenario with an evening group and compares it with today as a chart and a table', async () => {
      const location = await created('Evening class')
      const browser = await site.as('activities')
      assert.equal(
        (await browser.post(location, { 'capacity-education': '-50', extraSlots: 'MON_ED' }, { from: location }))
          .statusCode,
        303,
      )
      const added = await browser.post(
        `${location}/groups`,
        { activityCode: 'EDU-ENG', code: 'eve', slots: 'MON_ED', capacity: '4', minSize: '0' },
        { from: location },
      )
      assert.equal(added.statusCode, 303)

      const ran = await pressRun(location)
      assert.equal(ran.statusCode, 303)
      const compare = await browser.get(String(ran.headers.location))

      assert.equal(compare.statusCode, 200)
      const comparison = readPage(compare.body)
      const images = comparison.images()
      assert.equal(images.length, 1, 'one chart')
      assert.match(images[0], /^Today and the scenarios Bars for mean hours out of cell/)
      assert.deepEqual(chartColoursUnchecked(compare.body), [])
      const figures = comparison.table('The figures')
      assert.deepEqual(figures[0], ['Option', 'Today', 'Evening class'])
      // Today two of three have English; the scenario places all three.
      assert.deepEqual(
        figures.find((row) => row[0] === 'People with no session'),
        ['People with no session', '1 (33%)', '0 (0%)'],
      )
      assert.ok(comparison.headings(2).includes('By protected characteristic'))
      assert.deepEqual(rowHeadings(comparison, 'Sex'), ['Male'])
      assert.deepEqual(rowHeadings(comparison, 'Religion'), ['Buddhist', 'Prefers not to say', 'Not recorded'])
      assert.deepEqual(rowHeadings(comparison, 'Ethnic group'), ['White'])
      assert.deepEqual(rowHeadings(comparison, 'Cohort'), ['Mainstream'])
    })

    it('runs the sizes as typed when Run the scenario is pressed without saving them first, and keeps them', async () => {
      const location = await created('Half the English places')
      const browser = await site.as('activities')
      const compare = await followed(browser, await pressRun(location, { 'capacity-education': '-50' }))
      // One place left in the class of two: two of the three have no session, against one today.
      assert.deepEqual(
        compare.table('The figures').find((row) => row[0] === 'People with no session'),
        ['People with no session', '1 (33%)', '2 (67%)'],
      )
      const page = await opened(browser, location)
      assert.equal(page.valueOf('Change in places for Education, per cent'), '-50')
      assert.equal(page.valueOfField('capacity-education'), '-50')
      // The one English class: a group, not "1 groups".
      assert.ok(page.text.includes('Education: 1 group '), page.text)
    })

    it('refuses to run while a run is under way, keeping what was typed and saving nothing', async () => {
      const location = await created('Busy English')
      const browser = await site.as('activities')
      await site.db
        .updateTable('scenario')
        .set({ run_state: 'running', ran_at: new Date('2026-11-25T09:59:00Z') })
        .where('id', '=', idOf(location))
        .execute()
      const refused = await pressRun(location, { 'capacity-education': '-25', extraSlots: 'MON_ED' })
      assert.equal(refused.statusCode, 409)
      const refusal = readPage(refused.body)
      assert.deepEqual(refusal.errors(), [
        { text: 'This scenario is already running: wait for it to finish', href: '#run' },
      ])
      assert.equal(refusal.valueOf('Change in places for Education, per cent'), '-25')
      assert.equal(refusal.valueOfField('capacity-education'), '-25')
      assert.deepEqual(refusal.chosen('extraSlots'), ['MON_ED'])
      const page = await opened(browser, location)
      assert.equal(page.valueOf('Change in places for Education, per cent'), '', 'nothing saved')
      assert.deepEqual(page.chosen('extraSlots'), [])
    })

    it('refuses to run a size that is not a number, keeping it and running nothing', async () => {
      const location = await created('Typo before a run')
      const refused = await pressRun(location, { 'minSize-education': 'two' })
      const refusal = sentBack(refused)
      assert.deepEqual(refusal.errors(), [
        { text: 'Enter a minimum size between 0 and 200 for Education', href: '#minSize-education' },
      ])
      assert.equal(refusal.valueOf('New minimum size for Education'), 'two')
      const row = await site.db
        .selectFrom('scenario')
        .select('run_state')
        .where('id', '=', idOf(location))
        .executeTakeFirstOrThrow()
      assert.equal(row.run_state, 'not-run')
    })

    it('shows a long scenario name whole in the chart', async () => {
      const name = 'Smaller education groups, an evening English class and weekend gym on B wing'
      const location = await created(name)
      const browser = await site.as('activities')
      const compare = await followed(browser, await pressRun(location))
      // Each of the chart's three parts names today and the scenario, the name whole over as many lines as it needs.
      const names = chartLabels(compare).filter((label) => label === 'Today' || label.startsWith(name.split(' ')[0]))
      assert.deepEqual(names, ['Today', name, 'Today', name, 'Today', name])
    })

    it('asks for a scenario to be chosen before comparing', async () => {
      const page = await (await site.as('activities')).get('/scenarios/compare')
      assert.deepEqual(sentBack(page).errors(), [
        { text: 'Choose at least one scenario to compare', href: '#scenario' },
      ])
      // Seven: refused, not compared as the first six with the seventh left out.
      const seven = Array.from({ length: 7 }, (_, n) => `scenario=${n}`).join('&')
      const tooMany = await (await site.as('activities')).get(`/scenarios/compare?${seven}`)
      assert.deepEqual(sentBack(tooMany).errors(), [{ text: 'Choose up to 6 scenarios to compare', href: '#scenario' }])
    })

    it('is a 404 for another prison’s scenario and not for officers', async () => {
      const location = await created('Ours alone')
      assert.equal((await (await site.as(otherManager)).get(location)).statusCode, 404)
      assert.equal((await (await site.as('officer')).get('/scenarios')).statusCode, 403)
    })

    it('is a 404, not a 500, for an address that looks like a scenario’s but is no id', async () => {
      const manager = await site.as('activities')
      const noId = '-'.repeat(36)
      assert.equal((await manager.get(`/scenarios/${noId}`)).statusCode, 404)
      assert.equal((await manager.get(`/scenarios/compare?scenario=${noId}`)).statusCode, 404)
    })
  },
)
