import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixedClock } from '../../platform/clock.ts'
import { givenPerson } from '../../../test/support/builders.ts'
import { type Browser, describePagesOnEachEngine, signedInAs } from '../../../test/support/app.ts'
import { givenIncident } from '../../../test/support/measures-builders.ts'
import { assumptionsFormAtDefaults } from '../../../test/support/costing-builders.ts'
import { readPage } from '../../../test/support/page.ts'

describePagesOnEachEngine(
  'costing pages',
  {
    clock: fixedClock('2026-11-25T09:00:00Z'),
    home: { function: 'training', name: 'HMP Home' },
    staff: ['governor', 'safercustody', 'officer', 'monitor', 'admin', 'director'],
  },
  (site) => {
    const todayTotal = (html: string) => readPage(html).summary()['Today’s situation, a year']
    /** The source the unit costs table gives beside a unit cost. */
    const sourceOf = (page: ReturnType<typeof readPage>, what: string) =>
      page.table('Unit costs and their sources').find((cells) => cells[0] === what)?.[2] ?? ''
    /** Sends the assumptions form from the costing page: its defaults, with `changes` typed over them. */
    const changeAssumptions = async (browser: Browser, changes: Record<string, string>) =>
      browser.post('/costing/assumptions', { ...assumptionsFormAtDefaults, ...changes }, { from: '/costing' })
    /** Sends the self-harm incident's unit cost form from its own page. */
    const changeSelfHarmIncidentCost = async (browser: Browser, form: { amount: string; source: string }) =>
      browser.post('/costing/unit-costs/self-harm-incident', form, { from: '/costing/unit-costs/self-harm-incident' })

    before(async () => {
      const person = await givenPerson(site.db, site.home.code)
      await givenIncident(site.db, site.home.code, person.id, '2026-10-03T21:00:00Z')
      await givenIncident(site.db, site.home.code, person.id, '2026-10-09T21:00:00Z')
    })

    it('shows a governor today’s yearly cost, the package, no effect assumed, and every unit cost with its source', async () => {
      const page = await (await site.as('governor')).get('/costing')
      assert.equal(page.statusCode, 200)
      const costing = readPage(page.body)
      assert.equal(costing.heading(), 'The cost of what works')
      assert.match(costing.text, /HMP Home, 25 November 2026/)
      // Two incidents at the default £800.00 each; nothing else happened.
      assert.equal(todayTotal(page.body), '£1,600')
      assert.match(costing.text, /No effect is assumed\./)
      assert.match(
        sourceOf(costing, 'A self-harm incident'),
        /^Demo figure \(staff response, treatment in prison and recording\)/,
      )
      const packageRows = costing.table('The package of what works, a year')
      assert.ok(packageRows.some((cells) => cells[3] === 'No target set: costs nothing'))
      // No target is set at all: the package is not costed, rather than costed at £0.
      assert.equal(
        costing.summary()['The package of what works, a year'],
        'Not costed: no targets are set on the measures page',
      )
      assert.ok(costing.links().some((link) => link.href === '/costing/unit-costs/self-harm-incident'))
      assert.equal(costing.link('Print this page'), '/costing/print')
      assert.equal(costing.hasForm('/costing/assumptions'), true, 'a governor may change the assumptions')
      assert.ok(costing.stylesheets().includes('/assets/costing/costing.css'))
    })

    it('lets safer custody read the page but not change it, and refuses an officer and a monitor', async () => {
      const lead = await site.as('safercustody')
      const page = await lead.get('/costing')
      assert.equal(page.statusCode, 200)
      const read = readPage(page.body)
      assert.equal(read.hasForm('/costing/assumptions'), false)
      assert.equal(read.links().filter((link) => link.href.startsWith('/costing/unit-costs/')).length, 0)
      assert.equal((await lead.get('/costing/unit-costs/staff-hour')).statusCode, 403)
      assert.equal((await changeAssumptions(lead, {})).statusCode, 403)
      for (const role of ['officer', 'monitor'] as const) {
        const browser = await site.as(role)
        assert.equal((await browser.get('/costing')).statusCode, 403, role)
        assert.equal((await browser.get('/costing/print')).statusCode, 403, role)
      }
    })

    it('refuses a negative cost with the message beside the field, keeping what was typed and the cost saved', async () => {
      const governor = await site.as('governor')
      const refused = await changeSelfHarmIncidentCost(governor, { amount: '-20', source: 'Our finance team' })
      assert.equal(refused.statusCode, 400)
      const form = readPage(refused.body)
      assert.match(form.title, /^Error: Change a unit cost/)
      assert.match(form.errors()[0]?.text ?? '', /Enter the cost in pounds and pence/)
      assert.match(form.fieldError('amount'), /^Enter the cost in pounds and pence/)
      assert.equal(form.valueOfField('amount'), '-20')
      assert.equal(form.valueOfField('source'), 'Our finance team')
      assert.equal(todayTotal((await governor.get('/costing')).body), '£1,600')
    })

    it('saves a governor’s cost and source, and the totals follow', async () => {
      const governor = await site.as('governor')
      const source = 'Our finance team, 2026.\nSee the <b>ledger</b> & its notes.'
      const saved = await changeSelfHarmIncidentCost(governor, { amount: '1,250', source })
      assert.equal(saved.statusCode, 303)
      assert.equal(saved.headers.location, '/costing#unit-costs')
      const page = await governor.get('/costing')
      assert.equal(todayTotal(page.body), '£2,500')
      const costing = readPage(page.body)
      assert.match(costing.banner(), /The unit cost and its source are saved\./)
      assert.equal(
        sourceOf(costing, 'A self-harm incident'),
        'Our finance team, 2026. See the <b>ledger</b> & its notes.',
      )
      assert.ok(costing.ownLines().includes(source), 'in the lines it was written in, markup as typed')
    })

    it('says a course of one staff hour in the singular, by the hours a governor sets', async () => {
      const governor = await site.as('governor')
      const unitCostOf = async (what: string) =>
        readPage((await governor.get('/costing')).body)
          .table('The package of what works, a year')
          .find((cells) => cells[0] === what)?.[4]
      try {
        assert.equal((await changeAssumptions(governor, { 'hours-acct': '1' })).statusCode, 303)
        assert.match(
          (await unitCostOf('ACCT (Assessment, Care in Custody and Teamwork) training')) ?? '',
          /a case manager course and 1 staff hour$/,
        )
        assert.match((await unitCostOf('Mental health first aid training')) ?? '', /the course and 14 staff hours$/)
      } finally {
        // Back to the defaults, and to the page that says so (its notice shown, not left for the next test).
        const restored = await changeAssumptions(governor, {})
        await governor.get(String(restored.headers.location))
      }
    })

    it('answers an address naming no unit cost as a page that does not exist, and shows no notice an address names', async () => {
      const governor = await site.as('governor')
      assert.equal((await governor.get('/costing/unit-costs/a-cup-of-tea')).statusCode, 404)
      const page = await governor.get('/costing?done=unit-cost')
      assert.equal(page.statusCode, 200)
      assert.equal(readPage(page.body).mentions(/are saved\./), false)
    })

    it('refuses an expected change with no source beside the source, keeping every value typed', async () => {
      const governor = await site.as('governor')
      const refused = await changeAssumptions(governor, { 'hours-acct': '9', 'incidents-fall-percent': '25' })
      assert.equal(refused.statusCode, 400)
      const form = readPage(refused.body)
      assert.deepEqual(form.errors(), [
        {
          text: 'Expected fall in self-harm incidents (%): Name the source of the expected change, or leave the change blank',
          href: '#incidents-fall-percent-source',
        },
      ])
      assert.match(
        form.fieldError('incidents-fall-percent-source'),
        /Name the source/,
        'the message is beside the source',
      )
      assert.equal(form.valueOfField('hours-acct'), '9')
      assert.equal(form.valueOfField('incidents-fall-percent'), '25')
      const page = await governor.get('/costing')
      const costing = readPage(page.body)
      assert.equal(costing.valueOfField('hours-acct'), '7', 'nothing of the refused form was saved')
      assert.match(costing.text, /No effect is assumed\./)
    })

    it('shows the saving a governor states with its source, and only then', async () => {
      const governor = await site.as('governor')
      const saved = await changeAssumptions(governor, {
        'incidents-fall-percent': '10',
        'incidents-fall-percent-source': 'Pilot on B wing, 2025',
      })
      assert.equal(saved.statusCode, 303)
      const page = await governor.get('/costing')
      const costing = readPage(page.body)
      assert.equal(costing.mentions(/No effect is assumed\./), false)
      assert.match(
        costing.text,
        /You stated that self-harm incidents would fall by 10% \(source: Pilot on B wing, 2025\): £250 a year less on incidents, of £2,500\./,
      )
      assert.equal(costing.summary()['Savings you stated, a year'], '£250')
    })

    it('prints: the print version has no forms and serves its print stylesheet to anyone', async () => {
      const print = await (await site.as('governor')).get('/costing/print')
      assert.equal(print.statusCode, 200)
      const paper = readPage(print.body)
      assert.equal(paper.hasForm('/costing/assumptions'), false)
      assert.match(paper.text, /Use your browser’s print command/)
      // On paper, no instructions for a form that is not there, and the records' figures read as figures.
      assert.equal(paper.mentions(/Leave a count blank|To show a saving|Blank: /), false)
      assert.match(paper.text, /Staff counted for training \d+, from the records /)
      const css = await site.app.inject({ method: 'GET', url: '/assets/costing/costing.css' })
      assert.equal(css.statusCode, 200)
      assert.match(css.body, /@media print/)
    })

    it('lets a group director read the page but not change it', async () => {
      const director = await site.as('director')
      const page = await director.get('/costing')
      assert.equal(page.statusCode, 200)
      assert.equal(readPage(page.body).hasForm('/costing/assumptions'), false)
      assert.doesNotMatch(readPage(page.body).text, /Leave a count blank|To show a saving|Set the targets/)
      assert.equal((await director.get('/costing/unit-costs/inquest')).statusCode, 403)
    })

    it('counts the characters of a source in Welsh for a Welsh reader, not in govuk-frontend’s English', async () => {
      const governor = await signedInAs(site.app, site.staff.governor.username)
      await governor.get('/language/cy?returnTo=%2Fcosting')
      const form = await governor.get('/costing/unit-costs/inquest')
      assert.equal(form.statusCode, 200)
      const welsh = readPage(form.body)
      assert.match(welsh.text, /Gallwch roi hyd at 300 nod/)
      assert.equal(welsh.mentions('You can enter up to'), false)
    })

    it('gives 404 for a unit cost that does not exist', async () => {
      assert.equal((await (await site.as('admin')).get('/costing/unit-costs/biscuits')).statusCode, 404)
    })
  },
)
