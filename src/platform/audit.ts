import type { Insertable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { AuditEventTable } from '../db/schema.ts'
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
 *
 * Entries recorded outside a transaction (a page's reading of a record) are committed in groups: while one
 * insert of a database's entries is under way, the entries of other requests wait for it and then go in
 * together as one insert (see `writeInGroups`). Each call still answers only once its own entry is committed.
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
      await write(db, [rowOf(actor, entry)])
    },
    async recordEach(db, actor, entries) {
      if (entries.length === 0) return
      await write(
        db,
        entries.map((entry) => rowOf(actor, entry)),
      )
    },
  }
}

type AuditRow = Insertable<AuditEventTable>

function write(db: Db, rows: AuditRow[]): Promise<void> {
  // Inside a transaction the entry must commit or roll back with the change, and on the embedded database the
  // transaction holds the only connection, so an entry waiting for another insert would wait for ever.
  if (db.isTransaction) return insert(db, rows)
  return writeInGroups(db, rows)
}

async function insert(db: Db, rows: AuditRow[]): Promise<void> {
  await db.insertInto('audit_event').values(rows).execute()
}

/** One call's entries, waiting for the insert under way on their database to finish. */
type Waiting = { rows: AuditRow[]; committed: () => void; failed: (error: unknown) => void }

/** Each database's entries outside a transaction: whether an insert of them is under way, and who waits. */
type Writer = { writing: boolean; waiting: Waiting[] }

/**
 * Kept per database handle, so the entries of two databases (tests open many) never share an insert, and
 * dropped with the handle.
 */
const writers = new WeakMap<Db, Writer>()

/**
 * Every page that reads a person's safety record audits it, so under load an insert of audit entries was
 * almost one statement in six, each its own commit: on the embedded database a statement on the server's one
 * thread, a query for the WAL's position and a sync of the disk; on PostgreSQL a round trip and a WAL flush.
 * Written in groups, one user alone still writes at once, and fifty at once write a few inserts in turn.
 */
function writeInGroups(db: Db, rows: AuditRow[]): Promise<void> {
  let writer = writers.get(db)
  if (!writer) writers.set(db, (writer = { writing: false, waiting: [] }))
  const answer = Promise.withResolvers<void>()
  writer.waiting.push({ rows, committed: answer.resolve, failed: answer.reject })
  if (!writer.writing) void writeWhileAnyWait(db, writer)
  return answer.promise
}

async function writeWhileAnyWait(db: Db, writer: Writer): Promise<void> {
  writer.writing = true
  try {
    while (writer.waiting.length > 0) await writeGroup(db, takeGroup(writer.waiting))
  } finally {
    writer.writing = false
  }
}

/**
 * Eight parameters a row, and PostgreSQL takes at most 65,535 in a statement: a group stops at a thousand rows
 * (a call's entries are never split), and the rest go in the next insert.
 */
const rowsInAGroup = 1000

function takeGroup(waiting: Waiting[]): Waiting[] {
  let taken = 1
  let rows = waiting[0].rows.length
  while (taken < waiting.length && rows + waiting[taken].rows.length <= rowsInAGroup)
    rows += waiting[taken++].rows.length
  return waiting.splice(0, taken)
}

/**
 * A statement is all or nothing, so one bad entry fails the group's insert: then each call's entries are
 * written on their own, and only the call whose entries fail hears of it. Should the group have committed
 * though its answer was lost (a connection dropped, a sync of the disk failed), its entries are recorded
 * twice, at the same instant: a reading counted twice, rather than a page refused or an entry lost.
 */
async function writeGroup(db: Db, group: Waiting[]): Promise<void> {
  try {
    await insert(
      db,
      group.flatMap((waiting) => waiting.rows),
    )
  } catch (error) {
    if (group.length === 1) return group[0].failed(error)
    await Promise.all(group.map((waiting) => insert(db, waiting.rows).then(waiting.committed, waiting.failed)))
    return
  }
  for (const waiting of group) waiting.committed()
}
