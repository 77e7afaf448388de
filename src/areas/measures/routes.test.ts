import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { fixedClock } from '../../platform/clock.ts'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { buildTestApp, signedInAs } from '../../../test/support/app.ts'
import { givenIncident, givenSnapshot } from '../../../test/support/measures-builders.ts'
import type { Actor } from '../../platform/permissions.ts'
import { measures } from './rules.ts'
import { chartColoursUnchecked } from '../../../test/support/charts.ts'

type Browser = Awaited<ReturnType<typeof signedInAs>>

for (const engine of testEngines()) {
  describe(`measures pages on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let home: { code: string; cellId: number }
    let person: { id: string; prisonNumber: string }
    let second: { code: string }
    const users = new Map<string, Actor>()
    const browsers = new Map<string, Promise<Browser>>()
    /** One sign-in per role for the whole file: sign-in is rate limited. */
    const as = (role: string) => {
      if (!browsers.has(role)) browsers.set(role, signedInAs(app, users.get(role)!.username))
      return browsers.get(role)!
    }

    before(async () => {
      database = await engine.open()
      app = await buildTestApp(database.db, { clock: fixedClock('2026-11-25T09:00:00Z') })
      home = await givenEstablishment(database.db, { function: 'training', name: 'HMP Home' })
      for (const role of ['governor', 'monitor', 'officer', 'partner', 'safercustody'] as const)
        users.set(role, await givenStaffUser(database.db, { role, establishmentCodes: [home.code] }))
      person = await givenPerson(database.db, home.code, { firstName: 'Aled', lastName: 'Rees' })
      second = await givenEstablishment(database.db, { function: 'reception', name: 'HMP Second' })
      users.set(
        'director',
        await givenStaffUser(database.db, { role: 'director', establishmentCodes: [home.code, second.code] }),
      )
      await givenIncident(database.db, home.code, person.id, '2026-10-03T21:00:00Z')
      // Two prisons of the same function whose figures would rank them above and below Home.
      for (const [name, value] of [
        ['HMP Zeta', 99],
        ['HMP Alpha', 10],
      ] as const) {
        const prison = await givenEstablishment(database.db, { function: 'training', name })
        for (const measure of ['supervision', 'key-work', 'peer-supporters'])
          await givenSnapshot(database.db, prison.code, measure, '2026-11', value)
      }
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    it('shows a governor each measure with its figure, target, trend chart and table, and links to the records', async () => {
      const page = await (await as('governor')).get('/measures')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<h1 class="govuk-heading-l">Measures of what works<\/h1>/)
      assert.equal((page.body.match(/<svg role="img"/g) ?? []).length, measures.length)
      assert.match(
        page.body,
        /<h2 class="govuk-heading-m" id="training-acct-heading">Staff with current ACCT training<\/h2>/,
      )
      assert.match(
        page.body,
        /currently trained as an ACCT \(Assessment, Care in Custody and Teamwork\) assessor or case manager/,
      )
      assert.match(page.body, /id="progress-meetings-heading">Progress meetings held against due/)
      assert.match(page.body, /<title id="chart-supervision-title">Staff supervision held when due: the last 12 months/)
      assert.match(page.body, /href="\/staff\?supervision=overdue"/)
      assert.match(page.body, /href="\/measures\/supervision\/target"/)
    })

    it('lets a governor set a target, and sends back a target out of range with what was typed', async () => {
      const governor = await as('governor')
      const form = await governor.get('/measures/key-work/target')
      // The measure's name as the caption of the heading, as it is on the dashboard, and its unit by the field.
      assert.match(
        form.body,
        /<span class="govuk-caption-l">Key work sessions held against due \(last 28 days\)<\/span> Set a target/,
      )
      assert.match(form.body, /<div class="govuk-input__suffix" aria-hidden="true">%<\/div>/)
      const refused = await governor.post(
        '/measures/key-work/target',
        { target: '150' },
        { from: '/measures/key-work/target' },
      )
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /govuk-error-summary/)
      assert.match(refused.body, /Enter a target between 0 and 100/)
      assert.match(refused.body, /value="150"/)
      const saved = await governor.post(
        '/measures/key-work/target',
        { target: '75' },
        { from: '/measures/key-work/target' },
      )
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/measures?done=target#key-work')
      const page = await governor.get('/measures?done=target')
      assert.match(page.body, /Target saved/)
      assert.match(page.body, /75%/)
    })

    it('shows prisons of the same function by name and ranks none by a figure', async () => {
      const page = await (await as('governor')).get('/measures?compare=yes')
      assert.equal(page.statusCode, 200)
      // Every like-for-like table lists the prisons in the order of their names, whatever their figures.
      const tables = page.body.split('Prisons of the same function</h3>').slice(1)
      assert.equal(tables.length, measures.length)
      for (const table of tables) {
        const alpha = table.indexOf('HMP Alpha')
        const zeta = table.indexOf('HMP Zeta')
        assert.ok(alpha > -1 && zeta > alpha)
      }
    })

    it('says once, not under every measure, that no other prison has the same function', async () => {
      const alone = await givenEstablishment(database.db, { function: 'open', name: 'HMP Alone' })
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [alone.code] })
      const page = await (await signedInAs(app, governor.username)).get('/measures?compare=yes')
      assert.equal(page.statusCode, 200)
      assert.equal(page.body.split('No other prison has the same function.').length - 1, 1)
      assert.doesNotMatch(page.body, /Prisons of the same function<\/h3>/)
    })

    it('gives a monitor the figures without links to the records behind them or a way to set targets', async () => {
      const monitor = await as('monitor')
      const page = await monitor.get('/measures')
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /href="\/staff/)
      assert.doesNotMatch(page.body, /href="\/care-plans"/)
      assert.doesNotMatch(page.body, /\/target"/)
      assert.equal((await monitor.get('/measures/key-work/target')).statusCode, 403)
      const safety = await monitor.get('/safety-figures')
      assert.equal(safety.statusCode, 200)
      assert.match(safety.body, /HMP Home/)
      assert.doesNotMatch(safety.body, /Rees/)
      assert.doesNotMatch(safety.body, new RegExp(person.prisonNumber))
      assert.doesNotMatch(safety.body, /href="\/self-harm-incidents"/)
      assert.equal((await monitor.get('/self-harm-incidents')).statusCode, 403)
    })

    it('keeps the measures from officers and partners, and the safety figures from partners', async () => {
      assert.equal((await (await as('officer')).get('/measures')).statusCode, 403)
      assert.equal((await (await as('officer')).get('/safety-figures')).statusCode, 403)
      assert.equal((await (await as('partner')).get('/measures')).statusCode, 403)
      assert.equal((await (await as('partner')).get('/safety-figures')).statusCode, 403)
      assert.equal((await (await as('partner')).get('/self-harm-incidents')).statusCode, 403)
    })

    it('lets an officer record an incident, with each problem beside its field, and lists it', async () => {
      const officer = await as('officer')
      const form = await officer.get(`/self-harm-incidents/new?prisonNumber=${person.prisonNumber}`)
      assert.equal(form.statusCode, 200)
      const from = `/self-harm-incidents/new?prisonNumber=${person.prisonNumber}`
      const refused = await officer.post(
        '/self-harm-incidents/new',
        { prisonNumber: person.prisonNumber, occurredOn: '31/02/2026', occurredAt: '25:00' },
        { from },
      )
      assert.equal(refused.statusCode, 400)
      for (const message of [
        'Enter a real date, for example 25/11/2026',
        'Enter a time in 24-hour time, for example 14:30',
        'Choose the method',
        'Choose the injury',
      ])
        assert.match(refused.body, new RegExp(message))
      assert.match(refused.body, /value="31\/02\/2026"/)
      const saved = await officer.post(
        '/self-harm-incidents/new',
        {
          prisonNumber: person.prisonNumber,
          occurredOn: '24/11/2026',
          occurredAt: '22:15',
          method: 'ligature',
          injury: 'none',
        },
        { from },
      )
      assert.equal(saved.statusCode, 303)
      const list = await officer.get('/self-harm-incidents?done=recorded')
      assert.match(list.body, /Self-harm incident recorded/)
      assert.match(list.body, /Ligature/)
      assert.match(list.body, /Rees, Aled/)
    })

    it('gives a 404 for a person at another prison', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const stranger = await givenPerson(database.db, elsewhere.code)
      const page = await (await as('officer')).get(`/self-harm-incidents/new?prisonNumber=${stranger.prisonNumber}`)
      assert.equal(page.statusCode, 404)
    })

    it('lets safer custody and governors record a death in custody from the person’s record, each problem beside its field', async () => {
      const died = await givenPerson(database.db, home.code, { firstName: 'Iolo', lastName: 'Price' })
      const lead = await as('safercustody')
      const record = await lead.get(`/people/${died.prisonNumber}`)
      assert.match(
        record.body,
        new RegExp(`href="/people/${died.prisonNumber}/death-in-custody">Record a death in custody<`),
      )
      assert.match((await (await as('governor')).get(`/people/${died.prisonNumber}`)).body, /death-in-custody/)
      const officer = await as('officer')
      assert.doesNotMatch((await officer.get(`/people/${died.prisonNumber}`)).body, /death-in-custody/)
      assert.equal((await officer.get(`/people/${died.prisonNumber}/death-in-custody`)).statusCode, 403)
      assert.equal((await officer.get('/deaths-in-custody')).statusCode, 403)
      const from = `/people/${died.prisonNumber}/death-in-custody`
      const form = await lead.get(from)
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /<h1 class="govuk-heading-l">Record a death in custody<\/h1>/)
      const missing = await lead.post(from, { diedOn: '31/02/2026', investigationReference: ' ' }, { from })
      assert.equal(missing.statusCode, 400)
      assert.match(missing.body, /<title>Error: /)
      assert.match(missing.body, /href="#diedOn">Enter a real date, for example 25\/11\/2026</)
      assert.match(missing.body, /href="#investigationReference">Enter the investigation reference</)
      assert.match(missing.body, /value="31\/02\/2026"/)
      const future = await lead.post(from, { diedOn: '26/11/2026', investigationReference: '' }, { from })
      assert.equal(future.statusCode, 400)
      assert.match(future.body, /href="#diedOn">The date of death cannot be in the future</)
      assert.match(future.body, /href="#investigationReference">Enter the investigation reference</)
      assert.match(future.body, /value="26\/11\/2026"/)
      const early = await lead.post(from, { diedOn: '01/01/2000', investigationReference: 'PPO-2026-0001' }, { from })
      assert.equal(early.statusCode, 400)
      assert.match(
        early.body,
        /href="#diedOn">The date of death must be on or after the day the person arrived at this prison \(/,
      )
      const long = await lead.post(from, { diedOn: '20/11/2026', investigationReference: 'P'.repeat(41) }, { from })
      assert.equal(long.statusCode, 400)
      assert.match(long.body, /The investigation reference must be 40 characters or fewer/)
      const saved = await lead.post(from, { diedOn: '20/11/2026', investigationReference: 'PPO-2026-0001' }, { from })
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/deaths-in-custody?done=recorded')
      const list = await lead.get('/deaths-in-custody?done=recorded')
      assert.match(list.body, /Death in custody recorded/)
      assert.match(list.body, /Price, Iolo/)
      assert.match(list.body, /PPO-2026-0001/)
      assert.match((await lead.get(from)).body, /A death in custody on 20 November 2026 is already recorded/)
      assert.match((await officer.get(`/people/${died.prisonNumber}`)).body, /Died in custody/)
      const again = await lead.post(from, { diedOn: '20/11/2026', investigationReference: 'PPO-2026-0002' }, { from })
      assert.equal(again.statusCode, 400)
    })

    it('gives a 404 for a death in custody of a person at another prison, and keeps the form from monitors', async () => {
      const elsewhere = await givenEstablishment(database.db)
      const stranger = await givenPerson(database.db, elsewhere.code)
      const lead = await as('safercustody')
      const from = `/people/${person.prisonNumber}/death-in-custody`
      assert.equal((await lead.get(`/people/${stranger.prisonNumber}/death-in-custody`)).statusCode, 404)
      const posted = await lead.post(
        `/people/${stranger.prisonNumber}/death-in-custody`,
        { diedOn: '20/11/2026', investigationReference: 'PPO-2026-0003' },
        { from },
      )
      assert.equal(posted.statusCode, 404)
      assert.equal((await (await as('monitor')).get(from)).statusCode, 403)
      assert.equal((await (await as('monitor')).get('/deaths-in-custody')).statusCode, 403)
    })

    it('starts a group director on the safety figures of each of their prisons, with nothing of anyone’s record', async () => {
      const director = await as('director')
      const start = await director.get('/')
      assert.equal(start.statusCode, 303)
      assert.equal(start.headers.location, '/safety-figures')
      const safety = await director.get('/safety-figures')
      assert.equal(safety.statusCode, 200)
      assert.match(safety.body, /HMP Home/)
      assert.match(safety.body, /HMP Second/)
      assert.match(safety.body, /Transfers refused or delayed/)
      // Few transfers here: the counts are protected, and both rows of each prison name it.
      const watch = safety.body.slice(
        safety.body.indexOf('<caption class="govuk-table__caption govuk-visually-hidden">Transfers'),
      )
      assert.match(watch, /<td class="govuk-table__cell govuk-table__cell--numeric">fewer than 5<\/td>/)
      assert.doesNotMatch(watch, /<td class="govuk-table__cell govuk-table__cell--numeric">0<\/td>/)
      assert.equal(watch.split('<td class="govuk-table__cell">HMP Home</td>').length - 1, 2)
      assert.doesNotMatch(safety.body, /href="\/people\//)
      assert.doesNotMatch(safety.body, /Rees/)
      assert.equal((await director.get('/measures')).statusCode, 200)
      assert.equal((await director.get('/equality')).statusCode, 200)
      for (const url of [
        '/roll',
        `/people/${person.prisonNumber}`,
        `/people/${person.prisonNumber}/concerns/new`,
        '/self-harm-incidents',
        '/deaths-in-custody',
        '/concerns',
        '/care-plans',
        '/staff',
      ])
        assert.equal((await director.get(url)).statusCode, 403, url)
      assert.match((await director.get('/roll')).body, /As a group director you see each prison’s figures/)
    })

    it('shows the governor the safety figures per 1,000 with the month-by-month trend', async () => {
      const page = await (await as('governor')).get('/safety-figures')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Self-harm incidents each month at/)
      assert.match(page.body, /<svg role="img"/)
    })

    it('draws every trend chart only in the chart colours whose contrast is checked', async () => {
      for (const path of ['/measures', '/safety-figures']) {
        const page = await (await as('governor')).get(path)
        assert.match(page.body, /<svg role="img"/)
        assert.deepEqual(chartColoursUnchecked(page.body), [], path)
      }
    })
  })
}
