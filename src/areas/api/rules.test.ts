import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { holdsApiRole } from '../../platform/api-callers.ts'
import {
  basicCredentials,
  caseloadOf,
  clientSecretMatches,
  hashClientSecret,
  newClientId,
  newClientSecret,
  readNewClient,
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
})
