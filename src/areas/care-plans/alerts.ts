/** S3: the ACCT alert: in the person's header, and exported for the prison's other systems. */
import { toCsv } from '../../platform/csv.ts'
import { londonDate } from '../../platform/dates.ts'
import type { Actor } from '../../platform/permissions.ts'
import { alertOf } from './rules.ts'
import * as store from './store.ts'
import type { CarePlanDeps } from './deps.ts'
import { carePlanHeaderAlertsOf } from './header-alert.ts'

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
        activeFrom: londonDate(alert.activeFrom),
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
