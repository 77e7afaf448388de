import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { compileErrors, validate } from '@readme/openapi-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenActivity, givenActivityAllocation } from '../../../test/support/attendance-builders.ts'
import { givenApiClient } from '../../../test/support/api-client.ts'
import { observationRows } from '../../../test/support/care-plan-builders.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { apiRoles } from './rules.ts'

type Schema = {
  type?: string | string[]
  description?: string
  example?: unknown
  $ref?: string
  properties?: Record<string, Schema>
}
type Operation = {
  summary?: string
  description?: string
  parameters?: { name: string; description?: string; schema?: Schema }[]
  responses: Record<string, { content?: Record<string, { schema: object }> }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

/**
 * Issue 15: the document other systems build their clients from. It must be valid OpenAPI 3.1 to an
 * independent validator, describe every field, and say true of every operation: each is called here as a
 * client would call it, and its answer checked against the schema the document gives for that status.
 */
describe('the OpenAPI document', () => {
  describePagesOnEachEngine(
    '/v3/api-docs',
    { clock: fixedClock('2026-12-01T09:00:00Z'), services: true, home: { function: 'reception' } },
    (site) => {
      const document = async () => (await site.app.inject({ method: 'GET', url: '/v3/api-docs' })).json<Document>()

      it('is valid OpenAPI 3.1 to an independent validator', async () => {
        const served = await document()
        assert.equal((served as unknown as { openapi: string }).openapi, '3.1.0')
        const result = await validate(structuredClone(served) as never)
        assert.ok(result.valid, result.valid ? '' : compileErrors(result))
      })

      it('leaves out the pages and the staff’s own JSON: only what other systems call', async () => {
        const paths = Object.keys((await document()).paths)
        assert.ok(paths.includes('/api/people'))
        assert.ok(paths.includes('/oauth/token'))
        for (const path of paths) assert.match(path, /^\/(api|oauth)\//)
        assert.ok(!paths.includes('/api/concerns/raised'), 'the session JSON of the concerns pages is not part of it')
      })

      it('describes every operation, parameter and field, with an example of every value', async () => {
        const { paths, components } = await document()
        const missing: string[] = []
        for (const [path, methods] of Object.entries(paths))
          for (const [method, operation] of Object.entries(methods)) {
            if (!operation.summary || !operation.description) missing.push(`${method} ${path}: summary or description`)
            for (const parameter of operation.parameters ?? [])
              if (!parameter.description || parameter.schema?.example === undefined)
                missing.push(`${method} ${path} ${parameter.name}`)
          }
        for (const [name, schema] of Object.entries(components.schemas))
          for (const [field, property] of Object.entries(schema.properties ?? {})) {
            // A field that is a shared schema may carry its description there.
            const shared =
              '$ref' in property ? components.schemas[String(property.$ref).split('/').pop() ?? ''] : undefined
            if (!property.description && !shared?.description) missing.push(`${name}.${field}: description`)
            const leaf = !['object', 'array'].includes(String(property.type)) && !('$ref' in property)
            if (leaf && property.example === undefined) missing.push(`${name}.${field}: example`)
          }
        assert.deepEqual(missing, [])
      })

      it('says true of every operation: each answers as its schema says', async () => {
        const prison = site.home
        const person = await givenPerson(site.db, prison.code, {
          firstName: 'Aled',
          lastName: 'Ashworth',
          cellId: prison.cellId,
        })
        const system = await givenApiClient(site.app, site.services, { roles: apiRoles, establishments: [prison.code] })
        // A session this morning with the person on its register, and an officer to record it under.
        const { groups } = await givenActivity(site.db, prison.code, { groups: [{ slots: ['TUE_AM'] }] })
        await givenActivityAllocation(site.db, person.id, groups[0].id)
        const officer = await givenStaffUser(site.db, { role: 'officer', establishmentCodes: [prison.code] })
        const attendanceLine = `/api/sessions/${groups[0].id}/2026-12-01/TUE_AM/attendance/${person.prisonNumber}`
        const plan = await site.services.carePlans.openCarePlan(officer, person.prisonNumber, {
          reason: 'Said they could not go on',
          concernId: null,
        })
        assert.ok('carePlanId' in plan)
        await site.services.carePlans.recordObservation(officer, person.prisonNumber, plan.carePlanId, {
          observedAt: new Date('2026-12-01T09:00:00Z'),
          seen: 'Asleep',
          wasConversation: false,
        })
        const [observed] = await observationRows(site.db, plan.carePlanId)
        await givenDedicatedOfficer(site.db, person.id, officer.id, '2026-11-02T09:00:00Z')
        const concernId = await givenConcern(site.db, {
          personId: person.id,
          establishmentCode: prison.code,
          raisedBy: officer.id,
          raisedAt: '2026-12-01T08:40:00Z',
        })
        // How a client calls each operation. A new operation without a line here fails this test.
        const calls: Record<string, () => Promise<{ statusCode: number; json: () => unknown }>> = {
          'post /oauth/token': () =>
            site.app.inject({
              method: 'POST',
              url: '/oauth/token',
              headers: { authorization: system.basic },
              payload: { grant_type: 'client_credentials' },
            }),
          'get /api/people': () => system.get('/api/people?page=0&size=5'),
          'get /api/acct-alerts': () => system.get('/api/acct-alerts'),
          'get /api/people/{prisonNumber}': () => system.get(`/api/people/${person.prisonNumber}`),
          'get /api/people/{prisonNumber}/journey': () => system.get(`/api/people/${person.prisonNumber}/journey`),
          'get /api/concerns': () => system.get('/api/concerns?state=open'),
          'get /api/concerns/{id}': () => system.get(`/api/concerns/${concernId}`),
          'get /api/people/{prisonNumber}/acct-alerts': () =>
            system.get(`/api/people/${person.prisonNumber}/acct-alerts`),
          'get /api/people/{prisonNumber}/timetable': () => system.get(`/api/people/${person.prisonNumber}/timetable`),
          'get /api/attendance': () => system.get('/api/attendance?date=2026-12-01'),
          'get /api/sessions/{groupId}/{sessionOn}/{slot}/attendance/{prisonNumber}': () => system.get(attendanceLine),
          'put /api/sessions/{groupId}/{sessionOn}/{slot}/attendance/{prisonNumber}': () =>
            system.put(attendanceLine, { outcome: 'attended' }, { username: officer.username }),
          'get /api/measures': () => system.get('/api/measures'),
          'get /api/care-plans': () => system.get('/api/care-plans?state=open'),
          'get /api/care-plans/{id}': () => system.get(`/api/care-plans/${plan.carePlanId}`),
          'get /api/care-plans/{id}/observations/{observationId}': () =>
            system.get(`/api/care-plans/${plan.carePlanId}/observations/${observed?.id}`),
          'post /api/care-plans/{id}/observations': () =>
            system.post(
              `/api/care-plans/${plan.carePlanId}/observations`,
              { observedAt: '2026-12-01T09:00:00Z', seen: 'Reading on the bed', wasConversation: false },
              { username: officer.username },
            ),
          'post /api/concerns': () =>
            system.post(
              '/api/concerns',
              {
                prisonNumber: person.prisonNumber,
                whatHappened: 'Quiet',
                urgency: 'today',
                safeNow: 'yes',
                selfHarmRisk: 'no',
              },
              { username: officer.username },
            ),
          'get /api/dedicated-officers': () => system.get('/api/dedicated-officers?page=0&size=5'),
          'get /api/dedicated-officers/{username}/caseload': () =>
            system.get(`/api/dedicated-officers/${officer.username}/caseload`),
          'get /api/people/{prisonNumber}/dedicated-officer': () =>
            system.get(`/api/people/${person.prisonNumber}/dedicated-officer`),
        }
        const { paths, components } = await document()
        const ajv = new Ajv2020({ strict: false, allErrors: true })
        for (const [path, methods] of Object.entries(paths))
          for (const [method, operation] of Object.entries(methods)) {
            const call = calls[`${method} ${path}`]
            assert.ok(call, `no call written for ${method} ${path}`)
            const response = await call()
            assert.ok(response.statusCode < 300, `${method} ${path} answered ${response.statusCode}`)
            const schema = operation.responses[String(response.statusCode)]?.content?.['application/json']?.schema
            assert.ok(schema, `${method} ${path} has no schema for ${response.statusCode}`)
            const check = ajv.compile(withComponentsOf(schema, components.schemas))
            assert.ok(check(response.json()), `${method} ${path}: ${JSON.stringify(check.errors)}`)
          }
      })
    },
  )
})

/** The answer's schema with the document's components beside it, so that its `$ref`s resolve in Ajv. */
function withComponentsOf(schema: object, schemas: Record<string, Schema>): object {
  const local = (value: object) =>
    JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/')) as object
  return { ...local(schema), $defs: local(schemas) }
}
