import { sql, type RawBuilder, type Updateable } from 'kysely'
import type { Database } from './schema.ts'

/** Each named column of a table, as the row that was refused holds it: of the column's own type. */
type NewRowValues<T extends keyof Database> = {
  [C in keyof Updateable<Database[T]>]?: RawBuilder<Exclude<Updateable<Database[T]>[C], undefined>>
}

/**
 * Issue 12: what an insert that meets a row already there sets in it, for a batch whose rows each carry their
 * own values: these columns of the row that was refused (Postgres's `excluded`), named once rather than read
 * one by one. The table is named so the columns are checked against it:
 *
 * ```ts
 * .onConflict((conflict) =>
 *   conflict.columns(['establishment_code', 'measure', 'month']).doUpdateSet(fromTheNewRow<'measure_snapshot'>(['value'])),
 * )
 * ```
 */
export function fromTheNewRow<T extends keyof Database>(
  columns: readonly (keyof Database[T] & string)[],
): NewRowValues<T> {
  // `excluded.x` is the refused row's x, so of column x's type; Object.fromEntries cannot say so itself.
  return Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)])) as NewRowValues<T>
}
