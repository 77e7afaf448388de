import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenSystemAtHome } from '../../../test/support/api-client.ts'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { fixedClock } from '../../platform/clock.ts'

type Measures = {
  month: string
  measures: {
    code: string
    name: string
    value: number | null
    target: number | null
    met: boolean | null
    trend: { month: string; value: number | null }[]
  }[]
}

describe('measures for other systems', () => {
  describePagesOnEachEngine(
    'GET /api/measures',
    { clock: fixedClock('2026-12-01T10:00:00Z'), services: true, staff: ['governor'] },
    (site) => {
      const dashboard = () => givenSystemAtHome(site, ['ROLE_WAYMARK__MEASURES__RO'])

      it('gives the figures the measures page shows, against the governors’ targets, and no one’s name', async () => {
        await givenPerson(site.db, site.home.code, { firstName: 'Rhodri', lastName: 'Pennant' })
        const refused = await site.services.measures.setTarget(site.staff.governor, 'needs-met', 75)
        assert.equal(refused, null)
        const answer = await (await dashboard()).get('/api/measures')
        assert.equal(answer.statusCode, 200, answer.body)
        const figures = answer.json<Measures>()
        assert.equal(figures.month, '2026-12')
        const page = await site.services.measures.dashboard(site.staff.governor)
        assert.deepEqual(
          figures.measures.map((measure) => [measure.code, measure.value, measure.target, measure.met]),
          page.measures.map((measure) => [measure.code, measure.value, measure.target, measure.met]),
        )
        const needs = figures.measures.find((measure) => measure.code === 'needs-met')
        assert.equal(needs?.target, 75)
        assert.equal(needs?.trend.length, 12)
        assert.equal(needs?.trend.at(-1)?.month, '2026-12')
        assert.match(figures.measures.find((measure) => measure.code === 'key-work')?.name ?? '', /\(last 28 days\)$/)
        assert.doesNotMatch(answer.body, /Rhodri|Pennant|Test governor/)
      })

      it('is refused for a prison the client may not ask about, and to a client without the measures role', async () => {
        const other = await givenEstablishment(site.db)
        assert.equal((await (await dashboard()).get('/api/measures', { 'caseload-id': other.code })).statusCode, 403)
        const roll = await givenSystemAtHome(site, ['ROLE_WAYMARK__PEOPLE__RO'])
        assert.equal((await roll.get('/api/measures')).statusCode, 403)
      })
    },
  )
})
