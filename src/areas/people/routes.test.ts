import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine, signedInAs } from '../../../test/support/app.ts'
import { readPage } from '../../../test/support/page.ts'

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

    it('gives 404 for a person in another establishment, as if they did not exist', async () => {
      const person = await givenPerson(site.db, elsewhere.code)
      const officer = await site.signedInAs('officer')
      const page = await officer.get(`/people/${person.prisonNumber}`)
      assert.equal(page.statusCode, 404)
      assert.equal(readPage(page.body).heading(), 'Page not found')
    })
  })
})
