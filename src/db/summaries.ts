import { expressionBuilder, type ExpressionBuilder, type StringReference } from 'kysely'
import type { Db } from './database.ts'
import type { Database } from './schema.ts'

/**
 * Issue 12: how other areas name a person or a member of staff, read through the owners' views
 * (`person_summary`, `staff_summary`, migration 0028) and written once here.
 */

/** The views alone, for a subquery inside another area's query (whose own tables this builder need not know). */
const views = expressionBuilder<Database, never>()

/** A person as every list names them, from `person_summary` joined as `p` (or, in the people area, `person`). */
export const personNameColumns = [
  'p.prison_number as prisonNumber',
  'p.first_name as firstName',
  'p.last_name as lastName',
] as const

/**
 * The person with this prison number on a prison's roll, from `person_summary` as `p`, for the caller to
 * select what it needs: no row where they are elsewhere, so another prison's person is not confirmed.
 *
 * ```ts
 * const person = await onRollAt(db, 'LEI', 'A1234BC').select('p.id').executeTakeFirst()
 * ```
 */
export function onRollAt(db: Db, establishmentCode: string, prisonNumber: string) {
  return db
    .selectFrom('person_summary as p')
    .where('p.establishment_code', '=', establishmentCode)
    .where('p.prison_number', '=', prisonNumber)
}

/**
 * The display name of the member of staff a column holds the id of; null where it holds none. Where the
 * column is never null, `.$notNull()` says so:
 *
 * ```ts
 * .select(['f.id', (eb) => staffNameOf(eb, 'f.recorded_by').$notNull().as('recordedByName')])
 * ```
 */
export function staffNameOf<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  staffUserId: StringReference<DB, TB>,
) {
  return views
    .selectFrom('staff_summary as named')
    .select('named.display_name')
    .where('named.id', '=', eb.ref(staffUserId).$castTo<string>())
    .$asScalar()
    .$castTo<string | null>()
}
