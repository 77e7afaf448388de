import { sql, type Kysely } from 'kysely'

/**
 * Issue 15: the prison's other systems call Waymark's API as registered clients. An administrator registers
 * each (`waymark api-client add`): its roles and the prisons it may ask about. The secret is shown once and kept
 * only as a hash. In the embedded mode Waymark signs the clients' tokens itself, with a key it makes on first
 * use and keeps here, so that every process (and a restart) signs and checks with the same key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_client (
      id uuid primary key default gen_random_uuid(),
      client_id text not null unique,
      name text not null,
      secret_hash text not null,
      roles text[] not null,
      establishment_codes text[] not null,
      created_at timestamptz not null,
      revoked_at timestamptz
    );

    create table api_signing_key (
      kid text primary key,
      private_jwk jsonb not null,
      public_jwk jsonb not null,
      created_at timestamptz not null
    );
  `.execute(db)
}
