import { beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment } from '../../test/support/builders.ts'
import { commandOnDatabaseOfItsOwn } from '../../test/support/command-environment.ts'
import { apiClient } from './api-client.ts'

/** `waymark api-client` on the embedded database in a folder of its own. */
describe('waymark api-client', () => {
  let establishmentCode: string
  const command = commandOnDatabaseOfItsOwn('waymark-api-client-', async (db) => {
    establishmentCode = (await givenEstablishment(db)).code
  })
  const { errors } = command
  let printed: string
  beforeEach(() => {
    printed = ''
  })
  // What the command prints for the administrator to keep, collected as a terminal would show it.
  const output = { write: (text: string) => (printed += text) }

  it('registers a client and prints its id and secret once, as JSON', async () => {
    const code = await apiClient(
      [
        'add',
        '--name',
        'Wing kiosk',
        '--roles',
        'ROLE_WAYMARK__PEOPLE__RO,role_waymark__concerns__rw',
        '--establishments',
        establishmentCode.toLowerCase(),
      ],
      output,
    )
    assert.equal(code, 0, errors.join('\n'))
    const added = JSON.parse(printed) as { clientId: string; clientSecret: string }
    assert.match(added.clientId, /^wing-kiosk-[0-9a-f]{8}$/)
    assert.ok(added.clientSecret.length >= 43)

    printed = ''
    assert.equal(await apiClient(['list'], output), 0)
    const listed = JSON.parse(printed) as Record<string, unknown>[]
    assert.equal(listed.length, 1)
    assert.deepEqual(listed[0]?.roles, ['ROLE_WAYMARK__PEOPLE__RO', 'ROLE_WAYMARK__CONCERNS__RW'])
    assert.deepEqual(listed[0]?.establishmentCodes, [establishmentCode])
    // The secret is never shown again, not even as its hash.
    assert.ok(!printed.includes(added.clientSecret))
    assert.ok(!('secretHash' in (listed[0] ?? {})))
  })

  it('refuses a role or a prison it does not know, saying which, with exit code 2', async () => {
    const code = await apiClient(['add', '--name', 'Kiosk', '--roles', 'ROLE_ADMIN', '--establishments', 'ZZZ'], output)
    assert.equal(code, 2)
    assert.equal(printed, '')
    assert.ok(errors.includes('No such role: ROLE_ADMIN'))
    assert.ok(errors.includes('No establishment with the code ZZZ'))
  })

  it('revokes a client once, and says so when there is none to revoke', async () => {
    await apiClient(
      ['add', '--name', 'Old system', '--roles', 'ROLE_WAYMARK__PEOPLE__RO', '--establishments', establishmentCode],
      output,
    )
    const { clientId } = JSON.parse(printed) as { clientId: string }
    assert.equal(await apiClient(['revoke', '--client-id', clientId]), 0)
    assert.equal(await apiClient(['revoke', '--client-id', clientId]), 2)
    assert.ok(errors.includes(`No client ${clientId} is registered and not yet revoked`))
  })

  it('registers a client of the external issuer by its id there, with its prisons and no secret', async () => {
    const code = await apiClient(
      ['add', '--external-client-id', 'hmpps-wing-kiosk', '--establishments', establishmentCode.toLowerCase()],
      output,
    )
    assert.equal(code, 0, errors.join('\n'))
    assert.deepEqual(JSON.parse(printed), { clientId: 'hmpps-wing-kiosk', tokensFrom: 'external' })

    printed = ''
    assert.equal(await apiClient(['list'], output), 0)
    const listed = (JSON.parse(printed) as Record<string, unknown>[]).find(
      (client) => client.clientId === 'hmpps-wing-kiosk',
    )
    assert.equal(listed?.tokensFrom, 'external')
    assert.equal(listed?.name, 'hmpps-wing-kiosk')
    assert.deepEqual(listed?.establishmentCodes, [establishmentCode])
    // Its roles are whatever each token from the issuer holds: none are kept to be shown.
    assert.ok(!('roles' in (listed ?? {})))

    assert.equal(await apiClient(['revoke', '--client-id', 'hmpps-wing-kiosk']), 0)
    printed = ''
    await apiClient(['list'], output)
    const revoked = (JSON.parse(printed) as Record<string, unknown>[]).find(
      (client) => client.clientId === 'hmpps-wing-kiosk',
    )
    assert.ok(revoked?.revokedAt)
  })

  it('refuses roles for a client of the external issuer, and an id already registered, with exit code 2', async () => {
    const roles = await apiClient(
      [
        'add',
        '--external-client-id',
        'hmpps-healthcare',
        '--roles',
        'ROLE_WAYMARK__PEOPLE__RO',
        '--establishments',
        establishmentCode,
      ],
      output,
    )
    assert.equal(roles, 2)
    assert.ok(errors.includes('An external client’s roles come with its tokens from the issuer: leave out --roles'))
    const args = ['add', '--external-client-id', 'hmpps-healthcare', '--establishments', establishmentCode]
    assert.equal(await apiClient(args, output), 0)
    printed = ''
    assert.equal(await apiClient(args, output), 2)
    assert.equal(printed, '')
    assert.ok(errors.includes('A client with that id is already registered (revoked clients stay revoked)'))
    assert.equal(
      await apiClient(['add', '--external-client-id', 'has a space', '--establishments', establishmentCode]),
      2,
    )
    assert.ok(errors.includes('The --external-client-id must be up to 100 visible characters, without spaces'))
  })

  it('explains its use on an unknown action', async () => {
    assert.equal(await apiClient(['remove']), 2)
    assert.match(errors.join('\n'), /waymark api-client add --name NAME/)
  })
})
