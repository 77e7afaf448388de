import type { CommandActor } from '../../platform/audit.ts'
import type { ApiDeps } from './deps.ts'
import { hashClientSecret, newClientId, newClientSecret, readNewClient, type NewClientProblem } from './rules.ts'
import * as store from './store.ts'

/**
 * An administrator registers a system (`waymark api-client add`): its roles and prisons are kept, and its
 * secret is given once, here, and kept only as a hash.
 */
export async function addClient(
  deps: ApiDeps,
  actor: CommandActor,
  input: { name?: string | undefined; roles?: string | undefined; establishments?: string | undefined },
): Promise<{ ok: true; clientId: string; clientSecret: string } | { ok: false; problems: NewClientProblem[] }> {
  const read = readNewClient(input, await store.knownEstablishmentCodes(deps.db))
  if (!read.ok) return read
  const clientId = newClientId(read.client.name)
  const clientSecret = newClientSecret()
  await deps.db.transaction().execute(async (trx) => {
    await store.insertClient(trx, {
      clientId,
      name: read.client.name,
      secretHash: hashClientSecret(clientSecret),
      roles: read.client.roles,
      establishmentCodes: read.client.establishmentCodes,
      createdAt: deps.clock.now(),
    })
    await deps.audit.record(trx, actor, {
      action: 'api-client.added',
      details: {
        clientId,
        roles: read.client.roles.join(','),
        establishments: read.client.establishmentCodes.join(','),
      },
    })
  })
  return { ok: true, clientId, clientSecret }
}

/** The registered clients, without their secrets' hashes. */
export async function listClients(deps: ApiDeps) {
  const clients = await store.listClients(deps.db)
  return clients.map(({ secretHash: _hash, ...client }) => client)
}

/** A client revoked can get no new token, and its tokens still unexpired are refused at once. */
export async function revokeClient(deps: ApiDeps, actor: CommandActor, clientId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await store.revokeClient(trx, clientId, deps.clock.now())
    if (revoked) await deps.audit.record(trx, actor, { action: 'api-client.revoked', details: { clientId } })
    return revoked
  })
}
