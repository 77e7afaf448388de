import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson } from '../../../test/support/builders.ts'
import { describePagesOnEachEngine } from '../../../test/support/app.ts'
import { fixedClock } from '../../platform/clock.ts'

const administrator = { id: null, username: 'test-administrator' }
const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`

describe('the systems API', () => {
  const clock = fixedClock('2026-12-01T09:00:00Z')
  describePagesOnEachEngine(
    'tokens and the roll for other systems',
    { clock, services: true, staff: ['officer'] },
    (site) => {
      let otherPrison: string
      const registered = async (roles: string, establishments = site.home.code) => {
        const added = await site.services.api.addClient(administrator, { name: 'Wing kiosk', roles, establishments })
        assert.ok(added.ok)
        return added
      }
      /** What a client sends to /oauth/token: its id and secret in Basic authentication, and the grant. */
      const askForToken = (clientId: string, secret: string, grantType = 'client_credentials') =>
        site.app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { authorization: basic(clientId, secret) },
          payload: { grant_type: grantType },
        })
      const tokenFor = async (client: { clientId: string; clientSecret: string }) => {
        const response = await askForToken(client.clientId, client.clientSecret)
        assert.equal(response.statusCode, 200, response.body)
        return response.json<{ access_token: string }>().access_token
      }
      const people = (token: string, headers: Record<string, string> = {}, query = '') =>
        site.app.inject({
          method: 'GET',
          url: `/api/people${query}`,
          headers: { authorization: `Bearer ${token}`, ...headers },
        })

      it('gives a registered client a token of an hour, and the roll of its prison a page at a time', async () => {
        otherPrison = (await givenEstablishment(site.db)).code
        await givenPerson(site.db, site.home.code, {
          firstName: 'Aled',
          lastName: 'Ashworth',
          cellId: site.home.cellId,
        })
        await givenPerson(site.db, site.home.code, { firstName: 'Bryn', lastName: 'Bowen' })
        await givenPerson(site.db, otherPrison, { firstName: 'Not', lastName: 'Here' })
        const client = await registered('ROLE_WAYMARK__PEOPLE__RO')
        const tokenResponse = await askForToken(client.clientId, client.clientSecret)
        assert.equal(tokenResponse.statusCode, 200)
        assert.equal(tokenResponse.headers['cache-control'], 'no-store')
        const answer = tokenResponse.json<{ access_token: string; token_type: string; expires_in: number }>()
        assert.equal(answer.token_type, 'bearer')
        assert.equal(answer.expires_in, 3600)

        const first = await people(answer.access_token, { 'caseload-id': site.home.code }, '?size=1')
        assert.equal(first.statusCode, 200, first.body)
        const page = first.json<{ content: Record<string, unknown>[]; totalElements: number; totalPages: number }>()
        assert.equal(page.totalElements, 2)
        assert.equal(page.totalPages, 2)
        assert.equal(page.content.length, 1)
        assert.equal(page.content[0]?.lastName, 'Ashworth')
        assert.equal(page.content[0]?.cellLocation, 'A-1-001')
        // Need to know: who a person is and where, never their protected characteristics.
        assert.deepEqual(Object.keys(page.content[0] ?? {}).sort(), [
          'cellLocation',
          'cohort',
          'dateOfBirth',
          'firstName',
          'lastName',
          'prisonerNumber',
          'receptionDate',
          'wing',
        ])
        const second = (await people(answer.access_token, { 'caseload-id': site.home.code }, '?size=1&page=1')).json<{
          content: { lastName: string }[]
        }>()
        assert.deepEqual(
          second.content.map((person) => person.lastName),
          ['Bowen'],
        )
      })

      it('gives one person on the roll by prison number, and 404 for someone at another prison', async () => {
        const aled = await givenPerson(site.db, site.home.code, { firstName: 'Aled', lastName: 'Ashworth' })
        const elsewhere = await givenPerson(site.db, (await givenEstablishment(site.db)).code)
        const token = await tokenFor(await registered('ROLE_WAYMARK__PEOPLE__RO'))
        const one = (prisonNumber: string) => people(token, { 'caseload-id': site.home.code }, `/${prisonNumber}`)
        const found = await one(aled.prisonNumber.toLowerCase())
        assert.equal(found.statusCode, 200, found.body)
        assert.deepEqual(
          { prisonerNumber: aled.prisonNumber, firstName: 'Aled', lastName: 'Ashworth' },
          (({ prisonerNumber, firstName, lastName }) => ({ prisonerNumber, firstName, lastName }))(
            found.json<Record<string, unknown>>(),
          ),
        )
        const refused = await one(elsewhere.prisonNumber)
        assert.equal(refused.statusCode, 404)
        assert.deepEqual(refused.json(), {
          status: 404,
          userMessage: 'Not Found',
          developerMessage: 'No such person at this prison',
        })
        assert.equal((await one('not-a-number')).statusCode, 400)
      })

      it('answers 403 in HMPPS’s error shape for a prison the client was not registered for', async () => {
        const token = await tokenFor(await registered('ROLE_WAYMARK__PEOPLE__RO'))
        const response = await people(token, { 'caseload-id': otherPrison })
        assert.equal(response.statusCode, 403)
        assert.deepEqual(response.json(), {
          status: 403,
          userMessage: 'Forbidden',
          developerMessage: `This client may not ask about the prison ${otherPrison}`,
        })
      })

      it('answers 401 in the same shape without a token, or with one it did not issue', async () => {
        const none = await site.app.inject({ method: 'GET', url: '/api/people' })
        assert.equal(none.statusCode, 401)
        assert.equal(none.headers['www-authenticate'], 'Bearer')
        assert.deepEqual(Object.keys(none.json<object>()).sort(), ['developerMessage', 'status', 'userMessage'])
        const forged = await people('eyJhbGciOiJub25lIn0.eyJjbGllbnRfaWQiOiJ4In0.')
        assert.equal(forged.statusCode, 401)
        assert.equal(
          forged.json<{ developerMessage: string }>().developerMessage,
          'The token is not one this Waymark issued',
        )
      })

      it('refuses a signed-in member of staff: the API is for systems, with a token', async () => {
        const officer = await site.as('officer')
        const response = await officer.get('/api/people')
        assert.equal(response.statusCode, 401)
      })

      it('answers 403 to a client without the role the call needs', async () => {
        const token = await tokenFor(await registered('ROLE_WAYMARK__CONCERNS__RO'))
        const response = await people(token, { 'caseload-id': site.home.code })
        assert.equal(response.statusCode, 403)
        assert.equal(
          response.json<{ developerMessage: string }>().developerMessage,
          'This client does not hold ROLE_WAYMARK__PEOPLE__RO',
        )
      })

      it('refuses a wrong secret and a grant it does not know, in OAuth’s words', async () => {
        const client = await registered('ROLE_WAYMARK__PEOPLE__RO')
        const wrong = await askForToken(client.clientId, 'not-the-secret')
        assert.equal(wrong.statusCode, 401)
        assert.deepEqual(wrong.json(), { error: 'invalid_client' })
        const password = await askForToken(client.clientId, client.clientSecret, 'password')
        assert.equal(password.statusCode, 400)
        assert.deepEqual(password.json(), { error: 'unsupported_grant_type' })
      })

      it('refuses a page too large, in the error shape, not a 500', async () => {
        const token = await tokenFor(await registered('ROLE_WAYMARK__PEOPLE__RW'))
        const response = await people(token, { 'caseload-id': site.home.code }, '?size=1000')
        assert.equal(response.statusCode, 400)
        assert.equal(response.json<{ status: number }>().status, 400)
      })

      it('keeps every call in the audit trail with its client, its route and who asked', async () => {
        const client = await registered('ROLE_WAYMARK__PEOPLE__RO')
        const token = await tokenFor(client)
        await people(token, { 'caseload-id': site.home.code, username: 'JSMITH_GEN' })
        const entries = await site.db
          .selectFrom('audit_event')
          .select(['action', 'actor_id', 'establishment_code', 'details'])
          .where('actor_username', '=', `api-client:${client.clientId}`)
          .orderBy('id')
          .execute()
        assert.deepEqual(
          entries.map((entry) => entry.action),
          ['api-client.token-issued', 'api.called'],
        )
        const call = entries[1]
        assert.equal(call?.actor_id, null)
        assert.equal(call?.establishment_code, site.home.code)
        assert.deepEqual(call?.details, {
          clientId: client.clientId,
          method: 'GET',
          route: '/api/people',
          status: 200,
          username: 'JSMITH_GEN',
        })
      })

      it('keeps whom a call asked about, and a call refused for another prison, on record too', async () => {
        const client = await registered('ROLE_WAYMARK__PEOPLE__RO')
        const token = await tokenFor(client)
        const aled = await givenPerson(site.db, site.home.code, { firstName: 'Aled', lastName: 'Audit' })
        await people(token, { 'caseload-id': site.home.code }, `/${aled.prisonNumber}`)
        assert.equal((await people(token, { 'caseload-id': otherPrison })).statusCode, 403)
        const calls = await site.db
          .selectFrom('audit_event')
          .select(['establishment_code', 'details'])
          .where('actor_username', '=', `api-client:${client.clientId}`)
          .where('action', '=', 'api.called')
          .orderBy('id')
          .execute()
        assert.deepEqual(
          calls.map(({ establishment_code, details }) => [establishment_code, details]),
          [
            [
              site.home.code,
              {
                clientId: client.clientId,
                method: 'GET',
                route: '/api/people/:prisonNumber',
                status: 200,
                username: null,
                'address.prisonNumber': aled.prisonNumber,
              },
            ],
            [null, { clientId: client.clientId, method: 'GET', route: '/api/people', status: 403, username: null }],
          ],
        )
      })

      it('refuses the tokens of a client once it is revoked, at once', async () => {
        const client = await registered('ROLE_WAYMARK__PEOPLE__RO')
        const token = await tokenFor(client)
        assert.equal(await site.services.api.revokeClient(administrator, client.clientId), true)
        const response = await people(token, { 'caseload-id': site.home.code })
        assert.equal(response.statusCode, 401)
        const again = await askForToken(client.clientId, client.clientSecret)
        assert.equal(again.statusCode, 401)
      })

      it('refuses a token an hour after it was issued', async () => {
        const token = await tokenFor(await registered('ROLE_WAYMARK__PEOPLE__RO'))
        assert.equal((await people(token, { 'caseload-id': site.home.code })).statusCode, 200)
        clock.advanceMinutes(61)
        const response = await people(token, { 'caseload-id': site.home.code })
        assert.equal(response.statusCode, 401)
        assert.match(response.json<{ developerMessage: string }>().developerMessage, /expired/)
      })
    },
  )
})
