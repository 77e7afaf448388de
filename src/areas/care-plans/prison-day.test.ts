import { it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { startedHandover } from '../../../test/support/journey-builders.ts'
import { givenCarePlanPrison, givenOpenedPlan } from '../../../test/support/care-plan-builders.ts'

/**
 * A plan opened at half past midnight on 1 July in the prison, which is 23:30 on 30 June in UTC: every date
 * Waymark writes of it for people and other systems is the prison's, 1 July.
 */
describeServicesOnEachEngine('a care plan’s dates in summer', '2026-06-30T23:30:00Z', ({ database, services }) => {
  const prison = arrangedBefore(() => givenCarePlanPrison(database.db))

  it('gives the ACCT alert in the export the day the plan opened in the prison', async () => {
    const { person } = await givenOpenedPlan(database.db, services.carePlans, prison)
    const { alerts, csv } = await services.carePlans.exportAlerts(prison.lead)
    const alert = alerts.find((each) => each.prisonNumber === person.prisonNumber)
    assert.equal(alert?.activeFrom, '2026-07-01')
    assert.ok(csv.includes(`${person.prisonNumber},HA,ACCT open,2026-07-01,`))
  })

  it('dates the plan in a transfer’s handover by the prison’s day', async () => {
    const { person, id } = await givenOpenedPlan(database.db, services.carePlans, prison)
    const receiving = await givenPrisonWithStaff(database.db, { lead: 'safercustody' }, { function: 'training' })
    const { summary } = await startedHandover(database.db, services.journey, prison.lead, person.prisonNumber, {
      toEstablishmentCode: receiving.code,
      risks: 'On an ACCT',
    })
    const carried = (summary as { openCarePlans: { id: string; description: string }[] }).openCarePlans
    assert.deepEqual(carried, [{ id, description: 'ACCT care plan opened 2026-07-01 (awaiting immediate action)' }])
  })
})
