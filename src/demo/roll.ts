import type { Db } from '../db/database.ts'
import { personInCell } from '../areas/people/store.ts'

/**
 * The people on the demo's roll, each with the wing they are on (`w`, null for someone without a cell), for a
 * builder to narrow and put in the order its draws are made in.
 */
export function peopleOnTheirWings(db: Db) {
  return personInCell(db).select([
    'p.id',
    'p.prison_number as prisonNumber',
    'p.establishment_code as establishmentCode',
    'p.cohort',
    'p.reception_on as receptionOn',
    'p.sex',
    'w.id as wingId',
    'w.code as wingCode',
    'w.name as wingName',
  ])
}
