import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine, permissionOf } from '../../test/support/app.ts'
import { givenCarePlanPrison } from '../../test/support/care-plan-builders.ts'
import { givenPersonAccount, signedInAsPerson } from '../../test/support/my-view-builders.ts'
import { fixedClock } from './clock.ts'

describePagesOnEachEngine(
  'Cache-Control on what sits behind sign-in',
  {
    clock: fixedClock('2026-11-25T10:00:00Z'),
    config: { signInAttemptsPerMinute: 1000 },
    routes: true,
    home: givenCarePlanPrison,
    staff: ['admin'],
  },
  (site) => {
    before(async () => {
      await givenPersonAccount(site.db, site.home.person, { username: 'kiosk.person' })
    })

    it('tells the browser to keep no copy of the roll, the staff list, the equality CSV or any other page a member of staff opens', async () => {
      const browser = await site.signedInAs('admin')
      const pages = [
        ...new Set(
          site.routes
            .filter((route) => route.method === 'GET' || (Array.isArray(route.method) && route.method.includes('GET')))
            .filter((route) => permissionOf(route) !== 'public' && !route.url.includes(':') && !route.url.includes('*'))
            .map((route) => route.url),
        ),
      ]
      for (const required of ['/roll', '/staff', '/equality.csv']) assert.ok(pages.includes(required), required)
      const cached: string[] = []
      for (const url of pages) {
        const response = await browser.get(url)
        if (response.headers['cache-control'] !== 'no-store') cached.push(`${url} (${response.statusCode})`)
      }
      assert.deepEqual(cached, [])
    })

    it('tells the browser to keep no copy of a care plan read through the API', async () => {
      const lead = await site.signedInAs(site.home.lead)
      const opened = await lead.post(`/people/${site.home.person.prisonNumber}/care-plans`, { reason: 'Said goodbye' })
      const planPath = String(opened.headers.location).split('?')[0]
      const response = await lead.get(`/api${planPath}`)
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
      assert.equal(response.headers['cache-control'], 'no-store')
    })

    it('tells an in-cell device or kiosk to keep no copy of the person’s own pages', async () => {
      const person = await signedInAsPerson(site.app, 'kiosk.person')
      for (const url of ['/my', '/my/timetable', '/my/worries', '/my/officer']) {
        const response = await person.get(url)
        assert.equal(response.statusCode, 200, url)
        assert.equal(response.headers['cache-control'], 'no-store', url)
      }
    })

    it('keeps the assets cacheable for someone signed in', async () => {
      const signedIn = await site.signedInAs('admin')
      for (const url of ['/assets/govuk/govuk-frontend.min.css', '/assets/moj/moj-frontend.min.js']) {
        const asset = await signedIn.get(url)
        assert.equal(asset.statusCode, 200, url)
        assert.match(String(asset.headers['cache-control']), /max-age=/, url)
      }
      // Only the minified files are served from a design system's package, not its sources.
      assert.equal((await signedIn.get('/assets/govuk/all.mjs')).statusCode, 404)
    })
  },
)
