import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { holdsApiRole } from '../../platform/api-callers.ts'
import {
  basicCredentials,
  caseloadOf,
  clientSecretMatches,
  externalClientIdOf,
  hashClientSecret,
  newClientId,
  newClientSecret,
  readNewClient,
  readNewExternalClient,
  rolesOfExternalToken,
  usernameOfCall,
} from './rules.ts'

describe('the API’s rules', () => {
  describe('a new client', () => {
    const prisons = new Set(['NHI', 'EWI'])

    it('is read with its roles in capitals and its prisons as codes, each once', () => {
      assert.deepEqual(
        readNewClient(
          {
            name: ' Wing kiosk ',
            roles: 'role_waymark__people__ro, ROLE_WAYMARK__PEOPLE__RO',
            establishments: 'nhi,EWI',
          },
          prisons,
        ),
        {
          ok: true,
          client: { name: 'Wing kiosk', roles: ['ROLE_WAYMARK__PEOPLE__RO'], establishmentCodes: ['NHI', 'EWI'] },
        },
      )
    })

    it('is refused with every reason at once: no name, a role Waymark has not, a prison it does not know', () => {
      assert.deepEqual(readNewClient({ name: '', roles: 'ROLE_ADMIN', establishments: 'ZZZ' }, prisons), {
        ok: false,
        problems: [
          { field: 'name', problem: 'missing' },
          { field: 'roles', problem: 'unknown', values: ['ROLE_ADMIN'] },
          { field: 'establishments', problem: 'unknown', values: ['ZZZ'] },
        ],
      })
      assert.deepEqual(readNewClient({ name: 'x'.repeat(101), roles: '', establishments: '' }, prisons), {
        ok: false,
        problems: [
          { field: 'name', problem: 'too-long' },
          { field: 'roles', problem: 'missing' },
          { field: 'establishments', problem: 'missing' },
        ],
      })
    })

    it('gets an id that says whose it is, and a secret no one could guess', () => {
      assert.match(newClientId('NOMIS sync (Berwyn)'), /^nomis-sync-berwyn-[0-9a-f]{8}$/)
      assert.match(newClientId('!!!'), /^client-[0-9a-f]{8}$/)
      const secret = newClientSecret()
      assert.equal(Buffer.from(secret, 'base64url').length, 32)
      assert.notEqual(newClientSecret(), secret)
    })
  })

  it('matches a secret only against its own hash', () => {
    const secret = newClientSecret()
    assert.equal(clientSecretMatches(secret, hashClientSecret(secret)), true)
    assert.equal(clientSecretMatches(`${secret}x`, hashClientSecret(secret)), false)
    assert.equal(clientSecretMatches(secret, 'not a hash'), false)
  })

  it('reads Basic credentials as OAuth 2 clients send them, form-encoded, and nothing else', () => {
    const encoded = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`
    assert.deepEqual(basicCredentials(encoded('kiosk-1:s%3Acret+x')), { clientId: 'kiosk-1', secret: 's:cret x' })
    assert.equal(basicCredentials(encoded('no-colon')), null)
    assert.equal(basicCredentials(encoded(':secret')), null)
    assert.equal(basicCredentials('Bearer abc'), null)
    assert.equal(basicCredentials(undefined), null)
    assert.equal(basicCredentials(encoded('kiosk:%E0%A4%A')), null)
  })

  describe('the prison a call is about', () => {
    it('is the Caseload-Id sent, in any case, when the client was registered for it', () => {
      assert.deepEqual(caseloadOf('nhi', ['NHI', 'EWI']), { ok: true, establishmentCode: 'NHI' })
    })
    it('is refused with 403 when the client was not registered for it', () => {
      assert.deepEqual(caseloadOf('EWI', ['NHI']), {
        ok: false,
        status: 403,
        developerMessage: 'This client may not ask about the prison EWI',
      })
    })
    it('may be left out by a client of one prison, and not by a client of several', () => {
      assert.deepEqual(caseloadOf(undefined, ['NHI']), { ok: true, establishmentCode: 'NHI' })
      assert.equal(caseloadOf(' ', ['NHI', 'EWI']).ok, false)
    })
  })

  it('lets a read-write role do what its read-only one does, and not the other way', () => {
    assert.equal(holdsApiRole(['ROLE_WAYMARK__PEOPLE__RW'], 'ROLE_WAYMARK__PEOPLE__RO'), true)
    assert.equal(holdsApiRole(['ROLE_WAYMARK__PEOPLE__RO'], 'ROLE_WAYMARK__PEOPLE__RW'), false)
    assert.equal(holdsApiRole(['ROLE_WAYMARK__CONCERNS__RW'], 'ROLE_WAYMARK__PEOPLE__RO'), false)
  })

  describe('a client of the external issuer', () => {
    const prisons = new Set(['NHI', 'EWI'])

    it('is registered by its id at the issuer, named by it unless given a name, with its prisons', () => {
      assert.deepEqual(
        readNewExternalClient({ externalClientId: ' hmpps-wing-kiosk ', establishments: 'nhi,NHI' }, prisons),
        {
          ok: true,
          client: { clientId: 'hmpps-wing-kiosk', name: 'hmpps-wing-kiosk', establishmentCodes: ['NHI'] },
        },
      )
      assert.deepEqual(
        readNewExternalClient({ externalClientId: 'a1b2', name: 'Healthcare', establishments: 'EWI' }, prisons),
        { ok: true, client: { clientId: 'a1b2', name: 'Healthcare', establishmentCodes: ['EWI'] } },
      )
    })

    it('is refused roles of its own, an id with spaces, and prisons Waymark does not know', () => {
      assert.deepEqual(
        readNewExternalClient(
          { externalClientId: 'wing kiosk', roles: 'ROLE_WAYMARK__PEOPLE__RO', establishments: 'ZZZ' },
          prisons,
        ),
        {
          ok: false,
          problems: [
            { field: 'externalClientId', problem: 'not-a-client-id' },
            { field: 'roles', problem: 'from-the-issuer' },
            { field: 'establishments', problem: 'unknown', values: ['ZZZ'] },
          ],
        },
      )
      assert.deepEqual(
        readNewExternalClient({ externalClientId: 'x'.repeat(100), establishments: 'NHI' }, prisons).ok,
        true,
      )
      assert.deepEqual(
        readNewExternalClient({ externalClientId: 'x'.repeat(101), establishments: 'NHI' }, prisons).ok,
        false,
      )
      assert.deepEqual(readNewExternalClient({ establishments: 'NHI' }, prisons), {
        ok: false,
        problems: [{ field: 'externalClientId', problem: 'missing' }],
      })
    })

    for (const [claims, audienceChecked, expected] of [
      [{ client_id: 'hmpps-wing-kiosk', azp: 'other', sub: 'someone' }, false, 'hmpps-wing-kiosk'],
      [{ azp: 'entra-app', sub: 'someone' }, true, 'entra-app'],
      // An ID token names its client in azp too: without an audience checked, azp names no system.
      [{ azp: 'entra-app', sub: 'someone' }, false, null],
      [{ sub: 'a.person' }, true, null],
      [{ client_id: 42 }, true, null],
    ] as const)
      it(`speaks for ${String(expected)} when the token says ${JSON.stringify(claims)}${audienceChecked ? ' and its audience is checked' : ''}`, () => {
        assert.equal(externalClientIdOf(claims, { audienceChecked }), expected)
      })

    it('holds the Waymark roles among its authorities and roles, and nothing else', () => {
      assert.deepEqual(
        rolesOfExternalToken({
          authorities: ['ROLE_WAYMARK__PEOPLE__RO', 'ROLE_PRISONER_SEARCH', 'ROLE_WAYMARK__ADMIN__RW'],
          roles: ['WAYMARK__CONCERNS__RW', 'ROLE_WAYMARK__PEOPLE__RO'],
          scope: 'read write ROLE_WAYMARK__CARE_PLANS__RO',
        }),
        ['ROLE_WAYMARK__PEOPLE__RO', 'ROLE_WAYMARK__CONCERNS__RW'],
      )
      assert.deepEqual(rolesOfExternalToken({ authorities: 'ROLE_WAYMARK__PEOPLE__RO,ROLE_WAYMARK__MEASURES__RO' }), [
        'ROLE_WAYMARK__PEOPLE__RO',
        'ROLE_WAYMARK__MEASURES__RO',
      ])
      assert.deepEqual(rolesOfExternalToken({ authorities: [7, null] }), [])
      assert.deepEqual(rolesOfExternalToken({}), [])
    })

    it('was asked by the user its issuer names in the token before the one its Username header names', () => {
      assert.equal(usernameOfCall({ user_name: 'SOFFICER' }, 'someone.else'), 'SOFFICER')
      assert.equal(usernameOfCall({}, ' demo.officer '), 'demo.officer')
      assert.equal(usernameOfCall({ user_name: ' ' }, undefined), null)
      assert.equal(usernameOfCall({}, 'x'.repeat(120)), 'x'.repeat(100))
    })
  })
})
