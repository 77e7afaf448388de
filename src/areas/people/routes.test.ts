import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine, signedInAs } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'
import { opened } from '../../../test/support/page-steps.ts'
import { ROLL_PAGE_SIZE } from './roll.ts'
import { parse, type HTMLElement } from 'node-html-parser'
import { assertDrawnAs } from '../../../test/support/macro-markup.ts'

const textOf = (element: HTMLElement | null) => element?.text.trim()

describePagesOnEachEngine('people pages', { staff: ['officer'] }, (site) => {
  let elsewhere: { code: string }
  before(async () => {
    elsewhere = await givenEstablishment(site.db)
  })

  describe('GET /roll', () => {
    it('lists the people of the user’s establishment and finds one by surname', async () => {
      const aled = await givenPerson(site.db, site.home.code, {
        firstName: 'Aled',
        lastName: 'Pritchard',
        cellId: site.home.cellId,
      })
      await givenPerson(site.db, elsewhere.code, { firstName: 'Aled', lastName: 'Elsewhere' })
      const officer = await site.signedInAs('officer')
      const page = await officer.get('/roll?search=aled')
      assert.equal(page.statusCode, 200)
      const roll = readPage(page.body)
      assert.equal(roll.link('Pritchard, Aled'), `/people/${aled.prisonNumber}`)
      assert.doesNotMatch(roll.text, /Elsewhere/)
      assert.match(roll.text, /\b1 person\b/)
    })

    it('pages the roll, and says in the title which page is shown', async () => {
      const prison = await givenEstablishment(site.db, { name: 'HMP Paged' })
      for (let added = 0; added <= ROLL_PAGE_SIZE; added++) await givenPerson(site.db, prison.code)
      const officer = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [prison.code] })
      const browser = await signedInAs(site.app, officer.username)
      const first = await opened(browser, '/roll')
      assert.equal(first.title, 'Roll: HMP Paged (page 1 of 2) - Waymark')
      assert.equal((await opened(browser, first.link('Next page'))).title, 'Roll: HMP Paged (page 2 of 2) - Waymark')
    })

    it('shows a name with markup in it as the text it is, once escaped, on the roll and in the record’s header', async () => {
      const person = await givenPerson(site.db, site.home.code, {
        firstName: '<b>Bryn</b>',
        lastName: `O'Hara & "Sons"`,
        cellId: site.home.cellId,
      })
      const officer = await site.signedInAs('officer')
      for (const address of [`/roll?search=${encodeURIComponent("O'Hara")}`, `/people/${person.prisonNumber}`]) {
        const { body } = await officer.get(address)
        assert.ok(!body.includes('<b>Bryn</b>'), address)
        assert.match(
          body,
          /O(&#39;|&#x27;)Hara &amp; (&quot;|&#34;)Sons(&quot;|&#34;), &lt;b&gt;Bryn&lt;\/b&gt;/,
          address,
        )
        assert.doesNotMatch(body, /&amp;amp;|&amp;lt;/, `${address}: escaped once`)
      }
    })

    it('draws its search, wing and button as govukInput, govukSelect and govukButton draw them, keeping what was asked for', async () => {
      const officer = await site.as('officer')
      const first = parse((await officer.get('/roll')).body)
      const wing = first.querySelectorAll('#wing option')[1].getAttribute('value') ?? ''
      const search = 'O’Brien & "Bryn"'
      const page = await officer.get(`/roll?search=${encodeURIComponent(search)}&wing=${encodeURIComponent(wing)}`)
      assert.equal(page.statusCode, 200)
      const form = parse(page.body).querySelector('form[role="search"]')!
      const [searchGroup, wingGroup] = form.querySelectorAll('.govuk-form-group')
      assertDrawnAs(searchGroup.outerHTML, 'govukInput', 'govuk/components/input/macro.njk', {
        label: { text: textOf(searchGroup.querySelector('label')) },
        hint: { text: textOf(searchGroup.querySelector('.govuk-hint')) },
        id: 'search',
        name: 'search',
        value: search,
        type: 'search',
        spellcheck: false,
      })
      const options = wingGroup.querySelectorAll('option')
      assert.deepEqual(
        options.filter((option) => option.hasAttribute('selected')).map((option) => option.getAttribute('value')),
        [wing],
      )
      assertDrawnAs(wingGroup.outerHTML, 'govukSelect', 'govuk/components/select/macro.njk', {
        label: { text: textOf(wingGroup.querySelector('label')) },
        id: 'wing',
        name: 'wing',
        items: options.map((option, index) =>
          index === 0
            ? { value: '', text: option.text }
            : { value: option.getAttribute('value'), text: option.text, selected: option.hasAttribute('selected') },
        ),
      })
      const button = form.querySelector('button')!
      assertDrawnAs(button.outerHTML, 'govukButton', 'govuk/components/button/macro.njk', {
        text: textOf(button),
        classes: 'govuk-button--secondary',
      })
    })

    for (const role of ['partner', 'monitor'] as const)
      it(`refuses a ${role === 'partner' ? 'partner worker' : 'monitor'} the roll, its dates of birth and cells, and leaves it out of their menu`, async () => {
        await givenPerson(site.db, site.home.code, { firstName: 'Carys', lastName: 'Bevan', cellId: site.home.cellId })
        const user = (await givenStaffUser(site.db, { role, establishmentCodes: [site.home.code] })).username
        const browser = await signedInAs(site.app, user)
        const roll = await browser.get('/roll?search=bevan')
        assert.equal(roll.statusCode, 403)
        assert.doesNotMatch(readPage(roll.body).text, /Bevan/)
        const start = await browser.get('/')
        const firstPage = await browser.get(String(start.headers.location))
        assert.equal(firstPage.statusCode, 200)
        assert.equal(readPage(firstPage.body).root.querySelectorAll('a[href="/roll"]').length, 0, 'no link to the roll')
      })
  })

  describe('GET /people/:prisonNumber', () => {
    it('shows a person in the user’s establishment and records the view in the audit trail', async () => {
      const person = await givenPerson(site.db, site.home.code, { firstName: 'Rhys', lastName: 'Morgan' })
      const officer = await site.signedInAs('officer')
      const page = await officer.get(`/people/${person.prisonNumber}`)
      assert.equal(page.statusCode, 200)
      assert.equal(readPage(page.body).heading(), 'Morgan, Rhys')
      const audit = await site.db.selectFrom('audit_event').selectAll().where('person_id', '=', person.id).execute()
      assert.deepEqual(
        audit.map((entry) => entry.action),
        ['person.viewed'],
      )
    })

    it('draws the person’s facts and characteristics as govukSummaryList draws them, in English and Welsh', async () => {
      const inCell = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId, ethnicity: null })
      const noCell = await givenPerson(site.db, site.home.code, { firstName: 'Siân', lastName: 'O’Neill' })
      const officer = await site.signedInAs('officer')
      let lists = 0
      for (const language of ['en', 'cy']) {
        await officer.get(`/language/${language}?returnTo=/roll`)
        for (const person of [inCell, noCell]) {
          const page = await officer.get(`/people/${person.prisonNumber}`)
          assert.equal(page.statusCode, 200)
          for (const list of parse(page.body).querySelectorAll('main dl.govuk-summary-list')) {
            lists += 1
            const rows = list.querySelectorAll('.govuk-summary-list__row').map((row) => ({
              key: { text: textOf(row.querySelector('dt')) },
              value: { text: textOf(row.querySelector('dd')) },
            }))
            const classes = list.classList.value.filter((name) => name !== 'govuk-summary-list').join(' ')
            assertDrawnAs(list.outerHTML, 'govukSummaryList', 'govuk/components/summary-list/macro.njk', {
              rows,
              classes: classes || undefined,
            })
          }
        }
      }
      assert.equal(lists, 8)
    })

    it('gives 404 for a person in another establishment, as if they did not exist', async () => {
      const person = await givenPerson(site.db, elsewhere.code)
      const officer = await site.signedInAs('officer')
      const page = await officer.get(`/people/${person.prisonNumber}`)
      assert.equal(page.statusCode, 404)
      assert.equal(readPage(page.body).heading(), 'Page not found')
    })
  })
})
