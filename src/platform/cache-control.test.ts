import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { buildApp } from '../app.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { givenStaffUser } from '../../test/support/builders.ts'
import { buildAppCollectingRoutes, permissionOf, signedInAs, testConfig } from '../../test/support/app.ts'
import { givenCarePlanPrison, type CarePlanPrison } from '../../test/support/care-plan-builders.ts'
import { givenPersonAccount, signedInAsPerson } from '../../test/support/my-view-builders.ts'
import { fixedClock } from './clock.ts'

for (const engine of testEngines()) {
  describe(`Cache-Control on what sits behind sign-in, on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let routes: RouteOptions[]
    let prison: CarePlanPrison
    let admin: string
    const clock = fixedClock('2026-11-25T10:00:00Z')

    before(async () => {
      database = await engine.open()
      ;({ app, routes } = await buildAppCollectingRoutes(async () => {
        const built = await buildApp({ db: database.db, config: testConfig({ signInAttemptsPerMinute: 1000 }), clock })
        await built.ready()
        return built
      }))
      prison = await givenCarePlanPrison(database.db)
      admin = (await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code] })).username
      await givenPersonAccount(database.db, prison.person, { username: 'kiosk.person' })
    })
    after(async () => {
      await app.close()
      await database.close()
    })

    it('tells the browser to keep no copy of the roll, the staff list, the equality CSV or any other page a member of staff opens', async () => {
      const browser = await signedInAs(app, admin)
      const pages = [
        ...new Set(
          routes
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
      const lead = await signedInAs(app, prison.lead.username)
      const opened = await lead.post(`/people/${prison.person.prisonNumber}/care-plans`, { reason: 'Said goodbye' })
      const planPath = String(opened.headers.location).split('?')[0]
      const response = await lead.get(`/api${planPath}`)
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
      assert.equal(response.headers['cache-control'], 'no-store')
    })

    it('tells an in-cell device or kiosk to keep no copy of the person’s own pages', async () => {
      const person = await signedInAsPerson(app, 'kiosk.person')
      for (const url of ['/my', '/my/timetable', '/my/worries', '/my/officer']) {
        const response = await person.get(url)
        assert.equal(response.statusCode, 200, url)
        assert.equal(response.headers['cache-control'], 'no-store', url)
      }
    })

    it('keeps the assets cacheable for someone signed in', async () => {
      const signedIn = await signedInAs(app, admin)
      const stylesheet = await signedIn.get('/assets/govuk/govuk-frontend.min.css')
      assert.equal(stylesheet.statusCode, 200)
      assert.match(String(stylesheet.headers['cache-control']), /max-age=/)
    })
  })
}
