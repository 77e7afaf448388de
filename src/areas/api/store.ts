import type { Db } from '../../db/database.ts'

export type StoredClient = {
  clientId: string
  name: string
  /** Who issues its tokens: Waymark, or the external issuer (`API_TOKEN_ISSUER`), whose clients have no secret. */
  tokensFrom: 'waymark' | 'external'
  secretHash: string | null
  roles: string[]
  establishmentCodes: string[]
  createdAt: Date
  revokedAt: Date | null
}

const clientColumns = [
  'client_id as clientId',
  'name',
  'tokens_from as tokensFrom',
  'secret_hash as secretHash',
  'roles',
  'establishment_codes as establishmentCodes',
  'created_at as createdAt',
  'revoked_at as revokedAt',
] as const

export async function insertClient(db: Db, client: Omit<StoredClient, 'revokedAt'>): Promise<void> {
  await db
    .insertInto('api_client')
    .values({
      client_id: client.clientId,
      name: client.name,
      tokens_from: client.tokensFrom,
      secret_hash: client.secretHash,
      roles: client.roles,
      establishment_codes: client.establishmentCodes,
      created_at: client.createdAt,
    })
    .execute()
}

export async function findClient(db: Db, clientId: string): Promise<StoredClient | undefined> {
  return db.selectFrom('api_client').select(clientColumns).where('client_id', '=', clientId).executeTakeFirst()
}

export async function listClients(db: Db): Promise<StoredClient[]> {
  return db.selectFrom('api_client').select(clientColumns).orderBy('created_at').orderBy('client_id').execute()
}

/** Revoked once: the first time is kept, so the audit trail and the record agree on when. */
export async function revokeClient(db: Db, clientId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_client')
    .set({ revoked_at: at })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function knownEstablishmentCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('establishment').select('code').execute()
  return new Set(rows.map((row) => row.code))
}

export type StoredKey = { kid: string; privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> }

/** Oldest first: two processes that each made a key on first use both sign with the first one stored. */
export async function signingKeys(db: Db): Promise<StoredKey[]> {
  return db
    .selectFrom('api_signing_key')
    .select(['kid', 'private_jwk as privateJwk', 'public_jwk as publicJwk'])
    .orderBy('created_at')
    .orderBy('kid')
    .execute()
}

export async function insertSigningKey(db: Db, key: StoredKey, at: Date): Promise<void> {
  await db
    .insertInto('api_signing_key')
    .values({ kid: key.kid, private_jwk: key.privateJwk, public_jwk: key.publicJwk, created_at: at })
    .execute()
}
