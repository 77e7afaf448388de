import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { fixedClock } from '../../platform/clock.ts'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import {
  givenActivity,
  givenActivityAllocation,
  givenRegimeSlots,
  givenWant,
} from '../../../test/support/attendance-builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'
import type { Actor } from '../../platform/permissions.ts'
import { chartColoursUnchecked } from '../../../test/support/charts.ts'

type Browser = Awaited<ReturnType<typeof signedInAs>>

/** The row headings of the comparison's table with this caption (or, for the cohorts, after this heading). */
function rowHeadings(body: string, title: string): string[] {
  const table =
    body.split('<table').find((part) => new RegExp(`^[^>]*>\\s*<caption[^>]*>\\s*${title}\\s*</caption>`).test(part)) ??
    body.split(new RegExp(`<h2[^>]*>\\s*By ${title.toLowerCase()}\\s*</h2>`))[1]?.split('</table>')[0]
  assert.ok(table, `a table of the figures by ${title}`)
  return [...table.matchAll(/<th scope="row" class="govuk-table__header">\s*([\s\S]*?)\s*<\/th>/g)].map(
    (match) => match[1],
  )
}

for (const engine of testEngines()) {
  describe(`scenario pages on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let home: { code: string }
    let manager: Actor
    let officer: Actor
    let otherManager: Actor
    const browsers = new Map<string, Promise<Browser>>()
    /** One sign-in per user for the whole file: sign-in is rate limited. */
    const as = (username: string) => {
      if (!browsers.has(username)) browsers.set(username, signedInAs(app, username))
      return browsers.get(username)!
    }
    async function created(name: string): Promise<string> {
      const response = await (await as(manager.username)).post('/scenarios', { name }, { from: '/scenarios' })
      assert.equal(response.statusCode, 303)
      return String(response.headers.location)
    }

    before(async () => {
      database = await engine.open()
      app = await buildTestApp(database.db, { clock: fixedClock('2026-11-25T10:00:00Z') })
      home = await givenEstablishment(database.db)
      const elsewhere = await givenEstablishment(database.db)
      manager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [home.code] })
      officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })
      otherManager = await givenStaffUser(database.db, { role: 'activities', establishmentCodes: [elsewhere.code] })
      await givenRegimeSlots(database.db, home.code, { MON_AM: ['09:00', '12:00'], TUE_AM: ['09:00', '12:00'] })
      const english = await givenActivity(database.db, home.code, {
        code: 'EDU-ENG',
        name: 'English',
        groups: [{ code: 'a', slots: ['MON_AM'], capacity: 2 }],
      })
      // Religion as people answer it: a faith, preferring not to say, and never asked.
      const religions = ['buddhist', 'not-stated', null]
      for (let n = 0; n < 3; n++) {
        const person = await givenPerson(database.db, home.code)
        await database.db.updateTable('person').set({ religion: religions[n] }).where('id', '=', person.id).execute()
        await givenWant(database.db, person.id, english.id, 3)
        if (n < 2) await givenActivityAllocation(database.db, person.id, english.groups[0].id)
      }
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    it('creates a scenario from the set-up and shows its groups to change', async () => {
      const location = await created('Evening English')
      assert.match(location, /^\/scenarios\/[0-9a-f-]{36}$/)
      const page = await (await as(manager.username)).get(location)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<h1 class="govuk-heading-l">Evening English<\/h1>/)
      assert.match(page.body, /English, group a \(Monday morning\)/)
      assert.match(page.body, /Runs now: Monday morning, Tuesday morning/)
    })

    it('refuses a change in places that is not a number, keeping what was typed', async () => {
      const location = await created('Typo')
      const page = await (
        await as(manager.username)
      ).post(location, { 'capacity-education': 'half', extraSlots: 'MON_ED' }, { from: location })
      assert.equal(page.statusCode, 400)
      assert.match(page.body, /Enter a change between -90 and 200 per cent for Education/)
      assert.match(page.body, /value="half"/)
      assert.match(page.body, /value="MON_ED" checked/)
    })

    it('runs a scenario with an evening group and compares it with today as a chart and a table', async () => {
      const location = await created('Evening class')
      const browser = await as(manager.username)
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

      const ran = await browser.post(`${location}/run`, {}, { from: location })
      assert.equal(ran.statusCode, 303)
      const compare = await browser.get(String(ran.headers.location))

      assert.equal(compare.statusCode, 200)
      assert.match(compare.body, /<svg role="img" aria-labelledby="chart-title chart-description"/)
      assert.deepEqual(chartColoursUnchecked(compare.body), [])
      assert.match(compare.body, /<th scope="col" class="govuk-table__header govuk-table__header--numeric">Today<\/th>/)
      assert.match(
        compare.body,
        /<th scope="col" class="govuk-table__header govuk-table__header--numeric">Evening class<\/th>/,
      )
      // Today two of three have English; the scenario places all three.
      assert.match(compare.body, /1 \(33%\)/)
      assert.match(compare.body, /0 \(0%\)/)
      assert.match(compare.body, /By protected characteristic/)
      assert.deepEqual(rowHeadings(compare.body, 'Sex'), ['Male'])
      assert.deepEqual(rowHeadings(compare.body, 'Religion'), ['Buddhist', 'Prefers not to say', 'Not recorded'])
      assert.deepEqual(rowHeadings(compare.body, 'Ethnic group'), ['White'])
      assert.deepEqual(rowHeadings(compare.body, 'Cohort'), ['Mainstream'])
    })

    it('runs the sizes as typed when Run the scenario is pressed without saving them first, and keeps them', async () => {
      const location = await created('Half the English places')
      const browser = await as(manager.username)
      const ran = await browser.post(
        `${location}/run`,
        { changesForm: 'shown', 'capacity-education': '-50' },
        { from: location },
      )
      assert.equal(ran.statusCode, 303)
      const compare = await browser.get(String(ran.headers.location))
      // One place left in the class of two: two of the three have no session, against one today.
      assert.match(compare.body, /2 \(67%\)/)
      const page = await browser.get(location)
      assert.match(page.body, /id="capacity-education" name="capacity-education" type="text" value="-50"/)
    })

    it('refuses to run while a run is under way, keeping what was typed and saving nothing', async () => {
      const location = await created('Busy English')
      const browser = await as(manager.username)
      await database.db
        .updateTable('scenario')
        .set({ run_state: 'running', ran_at: new Date('2026-11-25T09:59:00Z') })
        .where('id', '=', location.split('/').pop()!)
        .execute()
      const refused = await browser.post(
        `${location}/run`,
        { changesForm: 'shown', 'capacity-education': '-25', extraSlots: 'MON_ED' },
        { from: location },
      )
      assert.equal(refused.statusCode, 409)
      assert.match(refused.body, /This scenario is already running: wait for it to finish/)
      assert.match(refused.body, /id="capacity-education" name="capacity-education" type="text" value="-25"/)
      assert.match(refused.body, /value="MON_ED" checked/)
      const page = await browser.get(location)
      assert.doesNotMatch(page.body, /value="-25"/)
    })

    it('refuses to run a size that is not a number, keeping it and running nothing', async () => {
      const location = await created('Typo before a run')
      const browser = await as(manager.username)
      const refused = await browser.post(
        `${location}/run`,
        { changesForm: 'shown', 'minSize-education': 'two' },
        { from: location },
      )
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /Enter a minimum size between 0 and 200 for Education/)
      assert.match(refused.body, /value="two"/)
      const row = await database.db
        .selectFrom('scenario')
        .select('run_state')
        .where('id', '=', location.split('/').pop()!)
        .executeTakeFirstOrThrow()
      assert.equal(row.run_state, 'not-run')
    })

    it('shows a long scenario name whole in the chart', async () => {
      const name = 'Smaller education groups, an evening English class and weekend gym on B wing'
      const location = await created(name)
      const browser = await as(manager.username)
      const ran = await browser.post(`${location}/run`, {}, { from: location })
      assert.equal(ran.statusCode, 303)
      const compare = await browser.get(String(ran.headers.location))
      const chart = /<svg role="img" aria-labelledby=[\s\S]*?<\/svg>/.exec(compare.body)?.[0] ?? ''
      const names = [
        ...chart.matchAll(/<text[^>]*font-size="14" fill="[^"]*">((?:<tspan[^>]*>[^<]*<\/tspan>)+)<\/text>/g),
      ].map((match) => [...match[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((line) => line[1]).join(' '))
      assert.deepEqual(names, ['Today', name, 'Today', name, 'Today', name])
    })

    it('asks for a scenario to be chosen before comparing', async () => {
      const page = await (await as(manager.username)).get('/scenarios/compare')
      assert.equal(page.statusCode, 400)
      assert.match(page.body, /Choose at least one scenario to compare/)
    })

    it('is a 404 for another prison’s scenario and not for officers', async () => {
      const location = await created('Ours alone')
      assert.equal((await (await as(otherManager.username)).get(location)).statusCode, 404)
      assert.equal((await (await as(officer.username)).get('/scenarios')).statusCode, 403)
    })
  })
}
