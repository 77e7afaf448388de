import { sql } from 'kysely'
import type { Db } from '../../src/db/database.ts'
import type { AuditEventTable } from '../../src/db/schema.ts'

/**
 * The audit trail about one person, or of what one user did, oldest first: each entry's action and details,
 * and any other columns a test names in `also` (`['actor_username']`, for who viewed a concern).
 */
export function auditTrailOf<Also extends keyof AuditEventTable = never>(
  db: Db,
  of: { personId: string } | { actorId: string },
  also: readonly Also[] = [],
) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'details', ...also] as const)
    .$call((query) =>
      'personId' in of ? query.where('person_id', '=', of.personId) : query.where('actor_id', '=', of.actorId),
    )
    .orderBy('id')
    .execute()
}

/**
 * Runs `body` while the audit trail refuses entries of one action (a real trigger, as a full disk or a lost
 * connection would refuse them), and takes the refusal away after, whatever `body` did.
 */
export async function whileAuditRefuses<T>(db: Db, action: string, body: () => Promise<T>): Promise<T> {
  if (!/^[a-z.-]+$/.test(action)) throw new Error('an action such as api.called')
  await sql`
    create function test_refuse_audit() returns trigger language plpgsql as $$
    begin raise exception 'the audit trail is failing'; end $$
  `.execute(db)
  await sql
    .raw(
      `create trigger test_refuse_audit before insert on audit_event
       for each row when (new.action = '${action}') execute function test_refuse_audit()`,
    )
    .execute(db)
  try {
    return await body()
  } finally {
    await sql`drop trigger test_refuse_audit on audit_event; drop function test_refuse_audit`.execute(db)
  }
}
