import type { Insertable, SelectQueryBuilder } from 'kysely'
import type { Db } from './database.ts'
import type { Database } from './schema.ts'

/** The tables that hold one row of a prison's own settings, keyed by its code alone; its owning area writes it. */
export type PrisonSettingsTable =
  | 'keywork_policy'
  | 'staff_policy'
  | 'concern_policy'
  | 'family_worry_setting'
  | 'regime_framework'
  | 'care_plan_setting'

/** What a prison saves into one of them: every column but its code (a column left out keeps its default, or what it held). */
export type PrisonSettings<T extends PrisonSettingsTable> = Omit<Insertable<Database[T]>, 'establishment_code'>

// Each table beside its own row, so a call is checked against the table it names; the body sees them all as one.
type SettingsOfEachTable = {
  [T in PrisonSettingsTable]: [table: T, establishmentCode: string, settings: PrisonSettings<T>]
}[PrisonSettingsTable]

/**
 * Issue 12: a prison's settings are its first save or a change to the row it has, written the same way for
 * every area that keeps some:
 *
 * ```ts
 * await writePrisonSettings(db, 'staff_policy', establishmentCode, { supervision_interval_weeks: 6 })
 * ```
 */
export async function writePrisonSettings(db: Db, ...[table, establishmentCode, settings]: SettingsOfEachTable) {
  await db
    .insertInto(table)
    .values({ establishment_code: establishmentCode, ...settings })
    .onConflict((conflict) => conflict.column('establishment_code').doUpdateSet(settings))
    .execute()
}

/**
 * Issue 12: a prison's row of its settings, read the same way by every area that keeps some, for the owner
 * to select its columns from; no row where the prison has saved none, and the area's defaults stand:
 *
 * ```ts
 * const row = await prisonSettingsOf(db, 'staff_policy', establishmentCode).select('supervision_interval_weeks').executeTakeFirst()
 * ```
 */
export function prisonSettingsOf<T extends PrisonSettingsTable>(
  db: Db,
  table: T,
  establishmentCode: string,
): SelectQueryBuilder<Database, T, object> {
  // Every settings table is keyed by the prison's code, which Kysely cannot see through the type parameter.
  const settingsTable: PrisonSettingsTable = table
  return db.selectFrom(settingsTable).where('establishment_code', '=', establishmentCode)
}
