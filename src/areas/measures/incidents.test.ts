import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenIncident } from '../../../test/support/measures-builders.ts'
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
    const pages = []
    for (let page = 1; page <= 6; page += 1) pages.push(await services.measures.listIncidents(lead, { page }))
    assert.deepEqual(
      pages.map(({ page, pageCount, total, incidents }) => [page, pageCount, total, incidents.length]),
      [
        [1, 5, 201, 50],
        [2, 5, 201, 50],
        [3, 5, 201, 50],
        [4, 5, 201, 50],
        [5, 5, 201, 1],
        [5, 5, 201, 1],
      ],
    )
    const listed = pages
      .slice(0, 5)
      .flatMap(({ incidents }) => incidents.map((incident) => incident.occurredAt.getTime()))
    assert.equal(new Set(listed).size, 201)
    assert.deepEqual(
      listed,
      [...listed].sort((a, b) => b - a),
    )
  })
})
