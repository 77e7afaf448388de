import { it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenIncident } from '../../../test/support/measures-builders.ts'

/**
 * The safety figures count by the prison's calendar, which is London's: in summer its days and months begin
 * at 23:00 UTC the day before. Today here is 15 July 2026, so the rolling 12 months began on 16 July 2025.
 */
describeServicesOnEachEngine(
  'the safety figures by the prison’s days',
  '2026-07-15T09:00:00Z',
  ({ database, services }) => {
    it('counts an incident at half past midnight on the year’s first day, and none the evening before', async () => {
      const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      const person = await givenPerson(database.db, prison.code)
      // 00:30 on 16 July 2025 in the prison; 23:30 on the 15th in UTC.
      await givenIncident(database.db, prison.code, person.id, '2025-07-15T23:30:00Z')
      // 23:30 on 15 July 2025 in the prison: the day before the year began.
      await givenIncident(database.db, prison.code, person.id, '2025-07-15T22:30:00Z')
      const [row] = (await services.measures.safetyFigures(lead)).prisons
      assert.equal(row.incidents, 1)
      assert.equal((await services.measures.safetyCountsAt(prison.code)).incidents, 1)
      const { incidents } = await services.measures.listIncidents(lead)
      assert.deepEqual(
        incidents.map((incident) => incident.occurredAt.toISOString()),
        ['2025-07-15T23:30:00.000Z'],
      )
    })

    it('puts an incident in the month of the prison’s calendar: half past midnight on 1 July is July’s', async () => {
      const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      const person = await givenPerson(database.db, prison.code)
      await givenIncident(database.db, prison.code, person.id, '2026-06-30T23:30:00Z')
      await givenIncident(database.db, prison.code, person.id, '2026-06-30T22:30:00Z')
      const { trend } = await services.measures.safetyFigures(lead)
      assert.equal(trend.find((point) => point.month === '2026-06')?.value, 1)
      assert.equal(trend.find((point) => point.month === '2026-07')?.value, 1)
    })

    it('counts a death dated the year’s first day, and not one dated the day before', async () => {
      const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      for (const diedOn of ['2025-07-16', '2025-07-15']) {
        const person = await givenPerson(database.db, prison.code, { receptionOn: '2025-01-06' })
        const input = { diedOn, investigationReference: 'PPO-2025-0716' }
        assert.equal(await services.measures.recordDeath(lead, person.prisonNumber, input), null)
      }
      assert.equal((await services.measures.safetyFigures(lead)).prisons[0].deaths, 1)
    })

    it('counts a death dated today in the prison when it is still yesterday in UTC', async () => {
      // 00:30 on 16 July in the prison; the UTC date is the 15th.
      const lateClock = fixedClock('2026-07-15T23:30:00Z')
      const late = createServices({ db: database.db, clock: lateClock }).measures
      const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
      const person = await givenPerson(database.db, prison.code, { receptionOn: '2026-01-05' })
      const input = { diedOn: '2026-07-16', investigationReference: 'PPO-2026-0716' }
      assert.equal(await late.recordDeath(lead, person.prisonNumber, input), null)
      assert.equal((await late.safetyFigures(lead)).prisons[0].deaths, 1)
      assert.equal((await late.safetyCountsAt(prison.code)).deaths, 1)
    })
  },
)
