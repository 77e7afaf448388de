import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenApiClient } from '../../../test/support/api-client.ts'
import { givenPerson } from '../../../test/support/builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { fixedClock } from '../../platform/clock.ts'

type Listed = {
  content: { whatHappened: string | null; isSensitive: boolean; status: string }[]
  totalElements: number
}

describe('concerns for other systems', () => {
  describePagesOnEachEngine(
    'GET /api/concerns',
    { clock: fixedClock('2026-12-01T10:00:00Z'), services: true, staff: ['officer'] },
    (site) => {
      const seen = 'Gave away his radio and said he would not need it'
      const sensitive = 'Told healthcare about what happened to him as a child'

      it('lists the prison’s open concerns with what was seen, but a sensitive one’s detail only with its role', async () => {
        const person = await givenPerson(site.db, site.home.code, { cellId: site.home.cellId })
        for (const [minutes, isSensitive, whatHappened] of [
          [30, false, seen],
          [20, true, sensitive],
        ] as const)
          await givenConcern(site.db, {
            personId: person.id,
            establishmentCode: site.home.code,
            raisedBy: site.staff.officer.id,
            raisedAt: new Date(Date.parse('2026-12-01T10:00:00Z') - minutes * 60_000),
            isSensitive,
            whatHappened,
          })
        const wing = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CONCERNS__RO'],
          establishments: [site.home.code],
        })
        const listed = await wing.get('/api/concerns')
        assert.equal(listed.statusCode, 200, listed.body)
        const page = listed.json<Listed>()
        assert.equal(page.totalElements, 2)
        assert.deepEqual(
          page.content.map((concern) => [concern.isSensitive, concern.whatHappened, concern.status]),
          [
            [true, null, 'sent'],
            [false, seen, 'sent'],
          ],
        )
        assert.doesNotMatch(listed.body, /childhood|as a child/)
        // No member of staff's name travels either.
        assert.doesNotMatch(listed.body, /Test officer/)

        const saferCustody = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CONCERNS__RO', 'ROLE_WAYMARK__SENSITIVE_CONCERNS__RO'],
          establishments: [site.home.code],
        })
        const full = (await saferCustody.get('/api/concerns')).json<Listed>()
        assert.deepEqual(
          full.content.map((concern) => concern.whatHappened),
          [sensitive, seen],
        )
      })

      it('lists the acted-on ones apart, and refuses a state it does not know with 400', async () => {
        const system = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CONCERNS__RW'],
          establishments: [site.home.code],
        })
        const acted = (await system.get('/api/concerns?state=acted')).json<Listed>()
        assert.equal(acted.totalElements, 0)
        assert.equal((await system.get('/api/concerns?state=closed')).statusCode, 400)
      })

      it('is refused to a system without a concerns role', async () => {
        const roll = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__SENSITIVE_CONCERNS__RO'],
          establishments: [site.home.code],
        })
        assert.equal((await roll.get('/api/concerns')).statusCode, 403)
      })
    },
  )
})
