import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { givenDedicatedOfficer } from '../../../test/support/journey-builders.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'

describeServicesOnEachEngine('the wellbeing flags list (K4)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('counts the flagged people on each wing first, and lists them fifty to a page, every wing or one', async () => {
    const prison = await givenEstablishment(database.db)
    const lead = await givenStaffUser(database.db, { role: 'safercustody', establishmentCodes: [prison.code] })
    const officer = await givenStaffUser(database.db, { role: 'keyworker', establishmentCodes: [prison.code] })
    // 55 on A wing and 3 on no wing, each allocated in September and not seen since: each flagged.
    const onWing = []
    for (let n = 0; n < 58; n += 1) {
      const person = await givenPerson(database.db, prison.code, { cellId: n < 55 ? prison.cellId : null })
      await givenDedicatedOfficer(database.db, person.id, officer.id, '2026-09-01T09:00:00Z')
      if (n < 55) onWing.push(person.id)
    }
    // And one seen last week: not flagged, not counted.
    const seen = await givenPerson(database.db, prison.code, { cellId: prison.cellId })
    await givenDedicatedOfficer(database.db, seen.id, officer.id, '2026-11-20T09:00:00Z')

    const everyone = await services.keywork.listWellbeingFlags(lead)
    assert.deepEqual(everyone.wings, [
      { key: 'A', name: 'A wing', people: 55 },
      { key: 'none', name: null, people: 3 },
    ])
    assert.equal(everyone.flaggedTotal, 58)
    const listed = await readEveryPage((page) => services.keywork.listWellbeingFlags(lead, { page }), 'people', {
      total: 58,
      size: 50,
    })
    assert.equal(new Set(listed.map((person) => person.id)).size, 58)
    assert.ok(!listed.some((person) => person.id === seen.id))

    const aWing = await readEveryPage(
      (page) => services.keywork.listWellbeingFlags(lead, { wing: 'A', page }),
      'people',
      { total: 55, size: 50 },
    )
    assert.deepEqual(aWing.map((person) => person.id).sort(), [...onWing].sort())
    const noWing = await services.keywork.listWellbeingFlags(lead, { wing: 'none' })
    assert.deepEqual([noWing.wing, noWing.wingName, noWing.total, noWing.flaggedTotal], ['none', null, 3, 58])
    // A wing no one flagged is on (or none at this prison) shows every wing.
    const unknown = await services.keywork.listWellbeingFlags(lead, { wing: 'Z' })
    assert.deepEqual([unknown.wing, unknown.total], [null, 58])
  })
})
