import type { Db } from '../db/database.ts'
import type { Actor } from './permissions.ts'
import type { Clock } from './clock.ts'

/** Past tense, area first: `person.viewed`, `roll.exported`. */
export type AuditAction = string

export type AuditEntry = {
  action: AuditAction
  personId?: string | undefined
  establishmentCode?: string | undefined
  /** Why, where the page asked for a reason. */
  reason?: string | undefined
  /** Ids and counts only: never names or the text of a concern. */
  details?: Record<string, string | number | boolean | null>
}

/**
 * An entry about one person (their record viewed, something recorded for them): it is filed under the prison
 * that holds the person, not the user's own, so a prison finds every reading of its people's records even
 * when someone from another prison read them.
 */
export function aboutPerson(
  action: AuditAction,
  person: { id: string; establishmentCode: string },
  details?: AuditEntry['details'],
): AuditEntry {
  return { action, personId: person.id, establishmentCode: person.establishmentCode, ...(details && { details }) }
}

/** Waymark's own commands (`waymark import`, `waymark export`): audited under their name, with no account. */
export type CommandActor = { id: null; username: string }

export type Audit = {
  /** By a user, a command, or whoever made the change an event reports (`{ id, username }`). */
  record: (
    db: Db,
    actor: Actor | CommandActor | { id: string | null; username: string },
    entry: AuditEntry,
  ) => Promise<void>
  /**
   * Several entries by one actor in one insert, each as `record` would write it: a page that reads several
   * prisons side by side files an entry under each without a query for each.
   */
  recordEach: (
    db: Db,
    actor: Actor | CommandActor | { id: string | null; username: string },
    entries: readonly AuditEntry[],
  ) => Promise<void>
}

/**
 * Appends to `audit_event`. The table refuses updates and deletes (a trigger), so the application cannot
 * rewrite what it has recorded; pass the service's transaction so the entry commits with the change.
 */
export function createAudit(clock: Clock): Audit {
  const rowOf = (actor: Actor | CommandActor | { id: string | null; username: string }, entry: AuditEntry) => ({
    occurred_at: clock.now(),
    actor_id: actor.id,
    actor_username: actor.username,
    action: entry.action,
    person_id: entry.personId ?? null,
    establishment_code: entry.establishmentCode ?? ('establishmentCode' in actor ? actor.establishmentCode : null),
    reason: entry.reason ?? null,
    details: JSON.stringify(entry.details ?? {}),
  })
  return {
    async record(db, actor, entry) {
      await db.insertInto('audit_event').values(rowOf(actor, entry)).execute()
    },
    async recordEach(db, actor, entries) {
      if (entries.length === 0) return
      await db
        .insertInto('audit_event')
        .values(entries.map((entry) => rowOf(actor, entry)))
        .execute()
    },
  }
}
