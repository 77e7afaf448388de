import type { Db } from '../../src/db/database.ts'

/** The audit trail about one person, or of what one user did, oldest first: each entry's action and details. */
export function auditTrailOf(db: Db, of: { personId: string } | { actorId: string }) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'details'])
    .$call((query) =>
      'personId' in of ? query.where('person_id', '=', of.personId) : query.where('actor_id', '=', of.actorId),
    )
    .orderBy('id')
    .execute()
}
