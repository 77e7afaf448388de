import { it } from 'node:test'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenIncident } from '../../../test/support/measures-builders.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'

describeServicesOnEachEngine('the self-harm incidents list (M2)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('lists every incident of the year, fifty to a page, newest first: none left out past the two hundredth', async () => {
    const { code } = await givenEstablishment(database.db)
    const lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [code] })
    const person = await givenPerson(database.db, code)
    // 201 incidents an hour apart, the newest at 08:00 today; and one a year and a day ago, out of the year.
    for (let n = 0; n < 201; n += 1)
      await givenIncident(database.db, code, person.id, new Date(Date.UTC(2026, 10, 25, 8 - n)).toISOString())
    await givenIncident(database.db, code, person.id, '2025-11-24T12:00:00Z')
    await readEveryPage((page) => services.measures.listIncidents(lead, { page }), 'incidents', {
      total: 201,
      size: 50,
      inOrderOf: {
        value: (incident) => incident.occurredAt.getTime(),
        descending: true,
        id: (incident) => incident.id,
      },
    })
  })
})
