import type { CryptoKey } from 'jose'
import type { PlatformDeps } from '../../platform/use-cases.ts'
import type { ExternalIssuer } from './external-issuer.ts'

/** The key this process signs with, and every published key by id, read once from the database. */
export type SigningKeys = { kid: string; privateKey: CryptoKey; publicKeys: Map<string, CryptoKey> }

export type ApiDeps = PlatformDeps & {
  /** Who Waymark says issued its tokens (`iss`): its public address, which every process shares. */
  issuer: string
  /** Filled on first use and kept for the life of the service; one per process. */
  keys: { loaded?: Promise<SigningKeys> }
  /** The OAuth 2 server whose tokens are accepted beside Waymark's own (`API_TOKEN_ISSUER`), if one is set. */
  externalIssuer: ExternalIssuer | null
}

/** Whoever a client's own calls are audited as: no account of Waymark's, the client by its id. */
export function clientAuditActor(clientId: string) {
  return { id: null, username: `api-client:${clientId}` }
}
