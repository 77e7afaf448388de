import { sql, type Kysely } from 'kysely'

/**
 * Issue 15: a system may bring a token from the prison's OAuth 2 server (HMPPS Auth) instead of Waymark's own.
 * Its roles come with each token, but which prisons it may ask about stays Waymark's to say: an administrator
 * registers its client id with them. Such a client has no secret of Waymark's, and a client id belongs to one
 * issuer only, so a token from one can never borrow a registration made for the other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_client
      add column tokens_from text not null default 'waymark' check (tokens_from in ('waymark', 'external'));
    alter table api_client alter column secret_hash drop not null;
    alter table api_client
      add constraint api_client_secret_only_for_waymark check ((tokens_from = 'waymark') = (secret_hash is not null));
  `.execute(db)
}
