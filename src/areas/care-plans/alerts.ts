/** S3: the ACCT alert: in the person's header, and exported for the prison's other systems. */
import type { Db } from '../../db/database.ts'
import { toCsv } from '../../platform/csv.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { PersonAlert } from '../people/service.ts'
import { alertOf } from './rules.ts'
import * as store from './store.ts'
import type { CarePlanDeps } from './deps.ts'

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

/** S3: the ACCT alert in the person's header (carePlanHeaderAlertsOf). */
export function headerAlertsOf(deps: CarePlanDeps, personId: string) {
  return carePlanHeaderAlertsOf(deps.db, personId)
}

/**
 * S3: the current ACCT alert of everyone on the prison's roll who has one, with the NOMIS and HMPPS
 * alerts codes, so other systems can be kept in step. Audited.
 */
export async function exportAlerts(deps: CarePlanDeps, actor: Actor) {
  const { db, audit } = deps
  const rows = await store.latestPlansOfPeopleAt(db, actor.establishmentCode)
  const alerts = rows
    .map((row) => {
      const alert = alertOf(row)
      return {
        prisonNumber: row.prisonNumber,
        alertCode: alert.code,
        description: alert.description,
        activeFrom: alert.activeFrom.toISOString().slice(0, 10),
        carePlanId: row.id,
      }
    })
    .sort((a, b) => a.prisonNumber.localeCompare(b.prisonNumber))
  await audit.record(db, actor, { action: 'care-plans.alerts-exported', details: { count: alerts.length } })
  return {
    alerts,
    csv: toCsv(
      ['prisonNumber', 'alertCode', 'description', 'activeFrom', 'carePlanId'],
      alerts.map((alert) => [
        alert.prisonNumber,
        alert.alertCode,
        alert.description,
        alert.activeFrom,
        alert.carePlanId,
      ]),
    ),
  }
}
