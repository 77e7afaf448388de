import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { givenApiClient } from '../../../test/support/api-client.ts'
import {
  givenAnotherPerson,
  givenCarePlanPrison,
  type CarePlanPrison,
} from '../../../test/support/care-plan-builders.ts'
import { fixedClock } from '../../platform/clock.ts'

describe('ACCT alerts for other systems', () => {
  const clock = fixedClock('2026-11-28T14:05:00Z')
  describePagesOnEachEngine<never, CarePlanPrison>(
    'GET /api/acct-alerts and a person’s',
    { clock, services: true, home: (db) => givenCarePlanPrison(db) },
    (site) => {
      it('gives the alert of an open care plan in the HMPPS alerts API’s shape, and nothing of the plan', async () => {
        const opened = await site.services.carePlans.openCarePlan(site.home.officer, site.home.person.prisonNumber, {
          reason: 'Said they could not go on',
          concernId: null,
        })
        assert.ok('carePlanId' in opened)
        const system = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CARE_PLANS__RO'],
          establishments: [site.home.code],
        })
        const inForce = await system.get('/api/acct-alerts')
        assert.equal(inForce.statusCode, 200, inForce.body)
        const page = inForce.json<{ content: Record<string, unknown>[]; totalElements: number }>()
        assert.equal(page.totalElements, 1)
        const [alert] = page.content
        assert.deepEqual(
          { ...alert, alertUuid: typeof alert?.alertUuid },
          {
            alertUuid: 'string',
            prisonNumber: site.home.person.prisonNumber,
            alertCode: { alertTypeCode: 'H', alertTypeDescription: 'Self harm', code: 'HA', description: 'ACCT open' },
            description: 'ACCT open',
            activeFrom: '2026-11-28',
            activeTo: null,
            isActive: true,
            createdAt: '2026-11-28T14:05:00.000Z',
            createdBy: 'WAYMARK',
            prisonCodeWhenCreated: site.home.code,
          },
        )
        assert.doesNotMatch(inForce.body, /could not go on/)

        const history = await system.get(`/api/people/${site.home.person.prisonNumber.toLowerCase()}/acct-alerts`)
        assert.equal(history.statusCode, 200)
        assert.deepEqual(
          history.json<{ alertUuid: string }[]>().map((each) => each.alertUuid),
          [alert?.alertUuid],
        )
      })

      it('answers 404 for someone not at the prison, and an empty list for someone with no care plan', async () => {
        const system = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__CARE_PLANS__RW'],
          establishments: [site.home.code],
        })
        const nobody = await system.get('/api/people/Z9999ZZ/acct-alerts')
        assert.equal(nobody.statusCode, 404)
        assert.equal(nobody.json<{ status: number }>().status, 404)
        const other = await givenAnotherPerson(site.db, site.home)
        const none = await system.get(`/api/people/${other.prisonNumber}/acct-alerts`)
        assert.equal(none.statusCode, 200)
        assert.deepEqual(none.json(), [])
        const badNumber = await system.get('/api/people/not-a-number/acct-alerts')
        assert.equal(badNumber.statusCode, 400)
      })

      it('is refused to a system that may read the roll but not care plans', async () => {
        const system = await givenApiClient(site.app, site.services, {
          roles: ['ROLE_WAYMARK__PEOPLE__RO'],
          establishments: [site.home.code],
        })
        assert.equal((await system.get('/api/acct-alerts')).statusCode, 403)
      })
    },
  )
})
