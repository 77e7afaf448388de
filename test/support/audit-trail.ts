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
