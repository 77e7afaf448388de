import type { CommandActor } from '../../platform/audit.ts'
import type { ApiDeps } from './deps.ts'
import {
  hashClientSecret,
  newClientId,
  newClientSecret,
  readNewClient,
  readNewExternalClient,
  type NewClientProblem,
  type NewExternalClientProblem,
} from './rules.ts'
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
      tokensFrom: 'waymark',
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

/**
 * An administrator registers a system whose tokens come from the external issuer (`waymark api-client add
 * --external-client-id`): its client id there and the prisons it may ask about. It has no secret of Waymark's,
 * and its roles come with each token.
 */
export async function addExternalClient(
  deps: ApiDeps,
  actor: CommandActor,
  input: {
    externalClientId?: string | undefined
    name?: string | undefined
    roles?: string | undefined
    establishments?: string | undefined
  },
): Promise<{ ok: true; clientId: string } | { ok: false; problems: NewExternalClientProblem[] }> {
  const read = readNewExternalClient(input, await store.knownEstablishmentCodes(deps.db))
  if (!read.ok) return read
  const { client } = read
  return deps.db.transaction().execute(async (trx) => {
    // One registration per client id, revoked or not: a revoked one stays revoked, as a secret once leaked would.
    if (await store.findClient(trx, client.clientId))
      return { ok: false as const, problems: [{ field: 'externalClientId' as const, problem: 'taken' as const }] }
    await store.insertClient(trx, {
      clientId: client.clientId,
      name: client.name,
      tokensFrom: 'external',
      secretHash: null,
      roles: [],
      establishmentCodes: client.establishmentCodes,
      createdAt: deps.clock.now(),
    })
    await deps.audit.record(trx, actor, {
      action: 'api-client.added',
      details: {
        clientId: client.clientId,
        tokensFrom: 'external',
        establishments: client.establishmentCodes.join(','),
      },
    })
    return { ok: true as const, clientId: client.clientId }
  })
}

/**
 * The registered clients, without their secrets' hashes. A client of the external issuer shows no roles: its
 * roles are whatever each of its tokens holds.
 */
export async function listClients(deps: ApiDeps) {
  const clients = await store.listClients(deps.db)
  return clients.map(({ secretHash: _hash, roles, ...client }) =>
    client.tokensFrom === 'external' ? client : { ...client, roles },
  )
}

/** A client revoked can get no new token, and its tokens still unexpired are refused at once. */
export async function revokeClient(deps: ApiDeps, actor: CommandActor, clientId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await store.revokeClient(trx, clientId, deps.clock.now())
    if (revoked) await deps.audit.record(trx, actor, { action: 'api-client.revoked', details: { clientId } })
    return revoked
  })
}
