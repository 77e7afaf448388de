/** S3: the ACCT alert in the person's header, handed to the people area at start-up (not a use case). */
import type { Db } from '../../db/database.ts'
import type { PersonAlert } from '../people/service.ts'
import { alertOf } from './rules.ts'
import * as store from './store.ts'

/**
 * S3: the ACCT alert in the header of every page of the person's record while a plan is in progress: open
 * (HA), or closed with its post-closure review to come (HA1). For the people area, which shows it to those who
 * may see the care plan tab. A read of care plans' own records and nothing else, so people, built before every
 * area, is handed it at start-up. Not audited: the page it sits on audits its own view.
 */
export async function carePlanHeaderAlertsOf(db: Db, personId: string): Promise<PersonAlert[]> {
  const current = await store.currentPlanOf(db, personId)
  if (!current) return []
  const { code } = alertOf(current)
  const colour = code === 'HA' ? 'red' : 'orange'
  return [{ messageKey: `carePlans.headerAlert.${code}`, tabPath: 'care-plans', colour }]
}
