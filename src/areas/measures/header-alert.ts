/** M2: the death in custody badge in the person's header, handed to the people area at start-up (not a use case). */
import type { Db } from '../../db/database.ts'
import type { PersonAlert } from '../people/service.ts'
import * as store from './store.ts'

/**
 * M2: the person's header says they died in custody, on every page of their record. A read of measures' own
 * records and nothing else, so people, built before every area, is handed it at start-up. Not audited: a badge.
 */
export async function deathHeaderAlertsOf(db: Db, personId: string): Promise<PersonAlert[]> {
  return (await store.deathOf(db, personId))
    ? [{ messageKey: 'measures.death.headerAlert', tabPath: 'journey', colour: 'red' }]
    : []
}
