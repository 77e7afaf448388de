import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine, signedInAs } from '../../../test/support/app.ts'
import { givenIncident, givenSnapshot } from '../../../test/support/measures-builders.ts'
import type { Actor } from '../../platform/permissions.ts'
import { measures } from './rules.ts'
import { chartColoursUnchecked } from '../../../test/support/charts.ts'
import { readPage, regionOf } from '../../../test/support/page.ts'
import { parse } from 'node-html-parser'
import { createViewEnvironment } from '../../platform/views.ts'
import { allMessages } from '../../app.ts'
import { createTranslator, languages } from '../../platform/i18n.ts'
import { measureLabels } from './routes.ts'

describe('measureLabels', () => {
  const translator = createTranslator(allMessages, { strict: true })
  for (const language of languages)
    it(`words each month and each unit's figures in ${language} as the messages do, asked once or many times`, () => {
      const t = translator.forLanguage(language)
      const plural = translator.pluralFor(language)
      const { monthLabel, figure } = measureLabels(t, plural)
      for (const round of [1, 2]) {
        for (let month = 1; month <= 12; month += 1) {
          const mm = String(month).padStart(2, '0')
          assert.equal(monthLabel(`2026-${mm}`), `${t(`measures.month.${mm}`)} 26`, `round ${round}`)
        }
        for (const unit of new Set(measures.map((measure) => measure.unit)))
          for (const value of [0, 1, 1.5, 12.25, 100, 1234])
            assert.equal(figure(value, unit), plural(`measures.unit.${unit}`, value), `${unit} ${value}`)
        assert.equal(figure(null, 'percent'), t('measures.dashboard.noFigure'))
      }
    })

  it('says one day and one hour in the singular in English, and keeps the noun singular after any number in Welsh', () => {
    const [en, cy] = languages.map((language) =>
      measureLabels(translator.forLanguage(language), translator.pluralFor(language)),
    )
    assert.deepEqual(
      [
        en.figure(1, 'days'),
        en.figure(2, 'days'),
        en.figure(1, 'hours'),
        en.figure(1.5, 'hours'),
        en.figure(1, 'percent'),
      ],
      ['1 day', '2 days', '1 hour', '1.5 hours', '1%'],
    )
    assert.deepEqual(
      [cy.figure(1, 'days'), cy.figure(2, 'days'), cy.figure(3, 'hours')],
      ['1 diwrnod', '2 diwrnod', '3 awr'],
    )
  })
})

describePagesOnEachEngine(
  'measures pages',
  {
    clock: fixedClock('2026-11-25T09:00:00Z'),
    home: { function: 'training', name: 'HMP Home' },
    staff: ['governor', 'monitor', 'officer', 'partner', 'safercustody'],
  },
  (site) => {
    let person: { id: string; prisonNumber: string }
    let second: { code: string }
    let groupDirector: Actor

    before(async () => {
      person = await givenPerson(site.db, site.home.code, { firstName: 'Aled', lastName: 'Rees' })
      second = await givenEstablishment(site.db, { function: 'reception', name: 'HMP Second' })
      groupDirector = await givenStaffUser(site.db, {
        role: 'director',
        establishmentCodes: [site.home.code, second.code],
      })
      await givenIncident(site.db, site.home.code, person.id, '2026-10-03T21:00:00Z')
      // Two prisons of the same function whose figures would rank them above and below Home.
      for (const [name, value] of [
        ['HMP Zeta', 99],
        ['HMP Alpha', 10],
      ] as const) {
        const prison = await givenEstablishment(site.db, { function: 'training', name })
        for (const measure of ['supervision', 'key-work', 'peer-supporters'])
          await givenSnapshot(site.db, prison.code, measure, '2026-11', value)
      }
    })

    it('shows a governor each measure with its figure, target, trend chart and table, and links to the records', async () => {
      const page = await (await site.as('governor')).get('/measures')
      assert.equal(page.statusCode, 200)
      const read = readPage(page.body)
      assert.equal(read.heading(), 'Measures of what works')
      assert.equal(read.images().length, measures.length)
      assert.ok(read.headings(2).includes('Staff with current ACCT training'))
      assert.match(
        regionOf(read, 'Staff with current ACCT training').text,
        /currently trained as an ACCT \(Assessment, Care in Custody and Teamwork\) assessor or case manager/,
      )
      assert.ok(read.headings(2).some((heading) => heading.startsWith('Progress meetings held against due')))
      assert.ok(read.images().some((image) => image.startsWith('Staff supervision held when due: the last 12 months')))
      assert.equal(
        read.link('See the records behind this figure (Staff supervision held when due)'),
        '/staff?supervision=overdue',
      )
      assert.equal(read.link('Set target (Staff supervision held when due)'), '/measures/supervision/target')
    })

    it('summarises every measure first: its figure, its target and whether it is met, each linked to its part of the page', async () => {
      const governor = await site.as('governor')
      const saved = await governor.post(
        '/measures/peer-supporters/target',
        { target: '5' },
        { from: '/measures/peer-supporters/target' },
      )
      assert.equal(saved.statusCode, 303)
      const read = readPage((await governor.get('/measures')).body)
      // Before the first measure's own part (after the banner that says the target was saved).
      const headings = read.headings(2)
      assert.equal(headings.indexOf('This month at a glance'), headings.indexOf('Peer supporters per 100 people') - 1)
      const rows = read.table('This month at a glance')
      assert.equal(rows.length, measures.length + 1)
      // Nobody at HMP Home is a peer supporter: none per 100 people, under the target of 5. A cell of the stacked
      // table reads its column's name (shown on a phone, hidden from screen readers) first.
      assert.deepEqual(rows[1], [
        'Peer supporters per 100 people',
        'Figure 0 per 100',
        'Target 5 per 100',
        'Against the target Target not met',
      ])
      assert.equal(read.link('Peer supporters per 100 people'), '#peer-supporters')
      const unset = rows.find(([name]) => name === 'Staff with a health and social care qualification')
      assert.deepEqual(unset?.slice(2), ['Target No target set', 'Against the target Not judged'])
      const counted = (words: string) => Number(new RegExp(`${words}: (\\d+)`).exec(read.text)?.[1])
      const judged = rows.slice(1).map((row) => row[3].replace('Against the target ', ''))
      assert.equal(counted('Target met'), judged.filter((word) => word === 'Target met').length)
      assert.equal(counted('Target not met'), judged.filter((word) => word === 'Target not met').length)
      assert.equal(counted('No target, or no figure to judge'), judged.filter((word) => word === 'Not judged').length)
    })

    it('draws each trend table as the GOV.UK table macro draws it: the months in words, the figures in units', async () => {
      const page = await (await site.as('governor')).get('/measures')
      const tables = parse(page.body).querySelectorAll('table.app-measure-table')
      assert.equal(tables.length, measures.length)
      const views = createViewEnvironment()
      // White space between tags aside, as a browser lays a table out.
      const folded = (html: string) => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim()
      for (const table of tables) {
        const rows = table
          .querySelectorAll('tbody tr')
          .map((row) => row.querySelectorAll('td').map((cell) => cell.text))
        assert.deepEqual(
          rows.map(([month]) => month),
          [
            'Dec 25',
            'Jan 26',
            'Feb 26',
            'Mar 26',
            'Apr 26',
            'May 26',
            'Jun 26',
            'Jul 26',
            'Aug 26',
            'Sep 26',
            'Oct 26',
            'Nov 26',
          ],
        )
        for (const [, figure] of rows) assert.match(figure, /^(No figure|[\d.]+(%| per 100| hours| days))$/)
        const drawn = views.renderString(
          '{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(table) }}',
          {
            table: {
              caption: table.querySelector('caption')?.text,
              captionClasses: 'govuk-visually-hidden',
              head: [{ text: 'Month' }, { text: 'Figure', format: 'numeric' }],
              rows: rows.map(([month, figure]) => [{ text: month }, { text: figure, format: 'numeric' }]),
              classes: 'govuk-table--small-text-until-tablet app-measure-table',
            },
          },
        )
        assert.equal(folded(table.outerHTML), folded(drawn))
      }
    })

    it('lets a governor set a target, and sends back a target out of range with what was typed', async () => {
      const governor = await site.as('governor')
      const form = await governor.get('/measures/key-work/target')
      // The measure's name as the caption of the heading, as it is on the dashboard, and its unit by the field.
      const target = readPage(form.body)
      assert.equal(target.heading(), 'Key work sessions held against due (last 28 days) Set a target')
      assert.equal(target.suffixOf('Key work sessions held against due (last 28 days) Set a target'), '%')
      const setTarget = (target: string) =>
        governor.post('/measures/key-work/target', { target }, { from: '/measures/key-work/target' })
      const refused = await setTarget('150')
      assert.equal(refused.statusCode, 400)
      const refusal = readPage(refused.body)
      assert.deepEqual(refusal.errors(), [{ text: 'Enter a target between 0 and 100', href: '#target' }])
      assert.equal(refusal.valueOfField('target'), '150')
      // Not a number at all is put right with the same words, and the same limits.
      const unreadable = readPage((await setTarget('most')).body)
      assert.deepEqual(unreadable.errors(), [{ text: 'Enter a target between 0 and 100', href: '#target' }])
      assert.equal(unreadable.valueOfField('target'), 'most')
      // Left empty is no target, not a target of 0.
      const empty = await setTarget('  ')
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(readPage(empty.body).errors(), [{ text: 'Enter a target between 0 and 100', href: '#target' }])
      const saved = await setTarget('75')
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/measures#key-work')
      const page = readPage((await governor.get('/measures')).body)
      assert.match(page.banner(), /Target saved/)
      assert.match(regionOf(page, 'Key work sessions held against due (last 28 days)').summary().Target, /75%/)
      // The form, opened again, says the target now in the measure's unit.
      assert.match(readPage((await governor.get('/measures/key-work/target')).body).text, /The target now is 75%\./)
    })

    it('shows prisons of the same function by name and ranks none by a figure', async () => {
      const page = await (await site.as('governor')).get('/measures?compare=yes')
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
      const alone = await givenEstablishment(site.db, { function: 'open', name: 'HMP Alone' })
      const governor = await givenStaffUser(site.db, { role: 'governor', establishmentCodes: [alone.code] })
      const page = await (await signedInAs(site.app, governor.username)).get('/measures?compare=yes')
      assert.equal(page.statusCode, 200)
      assert.equal(page.body.split('No other prison has the same function.').length - 1, 1)
      assert.ok(!readPage(page.body).headings(3).includes('Prisons of the same function'))
    })

    it('gives a monitor the figures without links to the records behind them or a way to set targets', async () => {
      const monitor = await site.as('monitor')
      const page = await monitor.get('/measures')
      assert.equal(page.statusCode, 200)
      const addresses = readPage(page.body).addresses()
      assert.ok(!addresses.some((address) => address.startsWith('/staff')), 'no link to the staff records')
      assert.ok(!addresses.includes('/care-plans'))
      assert.ok(!addresses.some((address) => address.endsWith('/target')), 'no way to set a target')
      assert.equal((await monitor.get('/measures/key-work/target')).statusCode, 403)
      const safety = await monitor.get('/safety-figures')
      assert.equal(safety.statusCode, 200)
      const figures = readPage(safety.body)
      assert.match(figures.text, /HMP Home/)
      assert.equal(figures.mentions('Rees'), false)
      assert.equal(figures.mentions(person.prisonNumber), false)
      assert.ok(!figures.addresses().includes('/self-harm-incidents'))
      assert.equal((await monitor.get('/self-harm-incidents')).statusCode, 403)
    })

    it('keeps the measures from officers and partners, and the safety figures from partners', async () => {
      assert.equal((await (await site.as('officer')).get('/measures')).statusCode, 403)
      assert.equal((await (await site.as('officer')).get('/safety-figures')).statusCode, 403)
      assert.equal((await (await site.as('partner')).get('/measures')).statusCode, 403)
      assert.equal((await (await site.as('partner')).get('/safety-figures')).statusCode, 403)
      assert.equal((await (await site.as('partner')).get('/self-harm-incidents')).statusCode, 403)
    })

    it('refuses an incident dated in year 0 beside its field, not with a 500', async () => {
      const from = `/self-harm-incidents/new?prisonNumber=${person.prisonNumber}`
      const refused = await (
        await site.as('officer')
      ).post(
        '/self-harm-incidents/new',
        { prisonNumber: person.prisonNumber, occurredOn: '01/01/0000', occurredAt: '14:30', method: 'cutting' },
        { from },
      )
      assert.equal(refused.statusCode, 400)
      assert.ok(
        readPage(refused.body)
          .errors()
          .some((error) => error.text === 'Enter a real date, for example 25/11/2026'),
      )
    })

    it('lets an officer record an incident, with each problem beside its field, and lists it', async () => {
      const officer = await site.as('officer')
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
        assert.ok(
          readPage(refused.body)
            .errors()
            .some((error) => error.text === message),
          message,
        )
      assert.equal(readPage(refused.body).valueOfField('occurredOn'), '31/02/2026')
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
      assert.equal(saved.headers.location, '/self-harm-incidents')
      const list = readPage((await officer.get('/self-harm-incidents')).body)
      assert.match(list.banner(), /Self-harm incident recorded/)
      assert.ok(
        list
          .table('Self-harm incidents')
          .some(
            ([when, who, method]) =>
              when === '24 November 2026 at 22:15' && who.startsWith('Rees, Aled') && method === 'Ligature',
          ),
      )
    })

    it('gives a 404 for a person at another prison', async () => {
      const elsewhere = await givenEstablishment(site.db)
      const stranger = await givenPerson(site.db, elsewhere.code)
      const page = await (
        await site.as('officer')
      ).get(`/self-harm-incidents/new?prisonNumber=${stranger.prisonNumber}`)
      assert.equal(page.statusCode, 404)
    })

    it('lets safer custody and governors record a death in custody from the person’s record, each problem beside its field', async () => {
      const died = await givenPerson(site.db, site.home.code, { firstName: 'Iolo', lastName: 'Price' })
      const lead = await site.as('safercustody')
      const record = readPage((await lead.get(`/people/${died.prisonNumber}`)).body)
      assert.equal(record.link('Record a death in custody'), `/people/${died.prisonNumber}/death-in-custody`)
      const asGovernor = readPage((await (await site.as('governor')).get(`/people/${died.prisonNumber}`)).body)
      assert.equal(asGovernor.link('Record a death in custody'), `/people/${died.prisonNumber}/death-in-custody`)
      const officer = await site.as('officer')
      assert.equal(
        readPage((await officer.get(`/people/${died.prisonNumber}`)).body).mentions('death-in-custody'),
        false,
      )
      assert.equal((await officer.get(`/people/${died.prisonNumber}/death-in-custody`)).statusCode, 403)
      assert.equal((await officer.get('/deaths-in-custody')).statusCode, 403)
      const from = `/people/${died.prisonNumber}/death-in-custody`
      const form = await lead.get(from)
      assert.equal(form.statusCode, 200)
      assert.equal(readPage(form.body).heading(), 'Record a death in custody')
      const recordDeath = (diedOn: string, investigationReference: string) =>
        lead.post(from, { diedOn, investigationReference }, { from })
      /** The form sent back with what is wrong (400). */
      const refused = async (diedOn: string, investigationReference: string) => {
        const response = await recordDeath(diedOn, investigationReference)
        assert.equal(response.statusCode, 400)
        return readPage(response.body)
      }
      const missingPage = await refused('31/02/2026', ' ')
      assert.match(missingPage.title, /^Error: /)
      assert.deepEqual(missingPage.errors(), [
        { text: 'Enter a real date, for example 25/11/2026', href: '#diedOn' },
        { text: 'Enter the investigation reference', href: '#investigationReference' },
      ])
      assert.equal(missingPage.valueOfField('diedOn'), '31/02/2026')
      const futurePage = await refused('26/11/2026', '')
      assert.deepEqual(futurePage.errors(), [
        { text: 'The date of death cannot be in the future', href: '#diedOn' },
        { text: 'Enter the investigation reference', href: '#investigationReference' },
      ])
      assert.equal(futurePage.valueOfField('diedOn'), '26/11/2026')
      const early = await refused('01/01/2000', 'PPO-2026-0001')
      assert.ok(
        early
          .errors()
          .some(
            (error) =>
              error.href === '#diedOn' &&
              error.text.startsWith(
                'The date of death must be on or after the day the person arrived at this prison (',
              ),
          ),
      )
      assert.equal(
        (await refused('20/11/2026', 'P'.repeat(41))).fieldError('investigationReference'),
        'The investigation reference must be 40 characters or fewer',
      )
      const saved = await recordDeath('20/11/2026', 'PPO-2026-0001')
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/deaths-in-custody')
      const list = readPage((await lead.get('/deaths-in-custody')).body)
      assert.match(list.banner(), /Death in custody recorded/)
      assert.ok(
        list
          .table('Deaths in custody')
          .some(([, who, reference]) => who.startsWith('Price, Iolo') && reference === 'PPO-2026-0001'),
      )
      assert.match(
        readPage((await lead.get(from)).body).text,
        /A death in custody on 20 November 2026 is already recorded/,
      )
      assert.match(readPage((await officer.get(`/people/${died.prisonNumber}`)).body).text, /Died in custody/)
      await refused('20/11/2026', 'PPO-2026-0002')
    })

    it('gives a 404 for a death in custody of a person at another prison, and keeps the form from monitors', async () => {
      const elsewhere = await givenEstablishment(site.db)
      const stranger = await givenPerson(site.db, elsewhere.code)
      const lead = await site.as('safercustody')
      const from = `/people/${person.prisonNumber}/death-in-custody`
      assert.equal((await lead.get(`/people/${stranger.prisonNumber}/death-in-custody`)).statusCode, 404)
      const posted = await lead.post(
        `/people/${stranger.prisonNumber}/death-in-custody`,
        { diedOn: '20/11/2026', investigationReference: 'PPO-2026-0003' },
        { from },
      )
      assert.equal(posted.statusCode, 404)
      assert.equal((await (await site.as('monitor')).get(from)).statusCode, 403)
      assert.equal((await (await site.as('monitor')).get('/deaths-in-custody')).statusCode, 403)
    })

    it('starts a group director on the safety figures of each of their prisons, with nothing of anyone’s record', async () => {
      const director = await site.as(groupDirector)
      const start = await director.get('/')
      assert.equal(start.statusCode, 303)
      assert.equal(start.headers.location, '/safety-figures')
      const safety = await director.get('/safety-figures')
      assert.equal(safety.statusCode, 200)
      const figures = readPage(safety.body)
      assert.match(figures.text, /HMP Home/)
      assert.match(figures.text, /HMP Second/)
      assert.ok(figures.headings(2).includes('Transfers refused or delayed'))
      // Few transfers here: the counts are protected, and both rows of each prison name it.
      const [, ...watch] = figures.table(/^Transfers/)
      // A cell of the stacked table reads its column's name (shown on a phone, hidden from screen readers) first.
      const counts = watch.flatMap((row) => row.slice(2))
      assert.ok(counts.some((cell) => cell.endsWith(' fewer than 5')))
      assert.ok(!counts.some((cell) => cell.endsWith(' 0')))
      assert.equal(watch.filter(([prison]) => prison === 'HMP Home').length, 2)
      assert.ok(!figures.addresses().some((address) => address.startsWith('/people/')))
      assert.equal(figures.mentions('Rees'), false)
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
      assert.match(
        readPage((await director.get('/roll')).body).text,
        /As a group director you see each prison’s figures/,
      )
    })

    it('shows the governor the safety figures per 1,000 with the month-by-month trend', async () => {
      const page = await (await site.as('governor')).get('/safety-figures')
      assert.equal(page.statusCode, 200)
      const figures = readPage(page.body)
      assert.ok(figures.headings(2).some((heading) => heading.startsWith('Self-harm incidents each month at')))
      assert.ok(figures.images().length > 0)
    })

    it('draws every trend chart only in the chart colours whose contrast is checked', async () => {
      for (const path of ['/measures', '/safety-figures']) {
        const page = await (await site.as('governor')).get(path)
        assert.ok(readPage(page.body).images().length > 0, path)
        assert.deepEqual(chartColoursUnchecked(page.body), [], path)
      }
    })
  },
)
