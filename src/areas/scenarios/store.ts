import { sql } from 'kysely'
import type { Db } from '../../db/database.ts'
import type { ScenarioChanges, ScenarioFigures } from './rules.ts'

const columns = [
  'id',
  'name',
  'changes',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'run_state as runState',
  'ran_at as ranAt',
  'figures',
  'run_error as runError',
] as const

export async function listScenarios(db: Db, establishmentCode: string) {
  return db
    .selectFrom('scenario')
    .select(columns)
    .where('establishment_code', '=', establishmentCode)
    .orderBy('created_at', 'desc')
    .execute()
}

/** A scenario of this prison's, or undefined: one elsewhere is as good as unknown. */
export async function findScenario(db: Db, establishmentCode: string, id: string) {
  return db
    .selectFrom('scenario')
    .select(columns)
    .where('establishment_code', '=', establishmentCode)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertScenario(
  db: Db,
  row: { establishmentCode: string; name: string; changes: ScenarioChanges; at: Date; by: string },
) {
  const inserted = await db
    .insertInto('scenario')
    .values({
      establishment_code: row.establishmentCode,
      name: row.name,
      changes: JSON.stringify(row.changes),
      created_at: row.at,
      created_by: row.by,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return inserted.id
}

/**
 * Saves changes made to the scenario as it was read (`from`): false, saving nothing, when another edit was saved
 * since, which these would otherwise undo without a word. New changes make the last run's figures stale: they are
 * cleared until it runs again, or, saved by the run that is starting, replaced by its own (it stays running).
 */
export async function saveChanges(
  db: Db,
  id: string,
  from: unknown,
  changes: ScenarioChanges,
  at: Date,
  { byTheRun = false } = {},
) {
  const result = await db
    .updateTable('scenario')
    .set({
      changes: JSON.stringify(changes),
      updated_at: at,
      figures: null,
      ...(byTheRun ? {} : { run_state: 'not-run' as const, ran_at: null }),
    })
    .where('id', '=', id)
    .where(unchangedFrom(from))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** The scenario's changes are still these, as stored (compared as JSON values, not as text). */
function unchangedFrom(changes: unknown) {
  return sql<boolean>`changes = ${JSON.stringify(changes)}::jsonb`
}

/**
 * Marks a run started, unless one is under way: false when another request got there first. A run left
 * "running" for ten minutes died with its process (a run takes seconds), so it may be started again.
 */
export async function startRun(db: Db, id: string, at: Date): Promise<boolean> {
  const stale = new Date(at.getTime() - 10 * 60_000)
  const started = await db
    .updateTable('scenario')
    .set({ run_state: 'running', run_error: null, ran_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('run_state', '!=', 'running'), eb('ran_at', '<', stale)]))
    .returning('id')
    .executeTakeFirst()
  return Boolean(started)
}

/**
 * Ends a run: its figures kept only where the scenario still has the changes (as stored) they were worked out
 * from; otherwise the run is over with no figures, and the scenario waits to be run with its new changes.
 */
export async function finishRun(db: Db, id: string, ranOn: unknown, figures: ScenarioFigures, at: Date) {
  const kept = await db
    .updateTable('scenario')
    .set({ run_state: 'done', figures: JSON.stringify(figures), ran_at: at, run_error: null })
    .where('id', '=', id)
    .where(unchangedFrom(ranOn))
    .returning('id')
    .execute()
  if (kept.length === 0)
    await db
      .updateTable('scenario')
      .set({ run_state: 'not-run', figures: null, run_error: null })
      .where('id', '=', id)
      .where('run_state', '=', 'running')
      .execute()
}

export async function failRun(db: Db, id: string, error: string) {
  await db.updateTable('scenario').set({ run_state: 'failed', run_error: error }).where('id', '=', id).execute()
}

/** The prison's activities, for adding a group to one in a scenario. */
export async function activitiesAt(db: Db, establishmentCode: string) {
  return db
    .selectFrom('activity')
    .select(['code', 'name', 'category'])
    .where('establishment_code', '=', establishmentCode)
    .where('is_active', '=', true)
    .orderBy('name')
    .execute()
}
