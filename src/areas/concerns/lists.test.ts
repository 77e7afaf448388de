import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { readEveryPage } from '../../../test/support/paging.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'

describeServicesOnEachEngine('the concerns lists (S1)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('list every open concern, fifty to a page, the first to act on first: none left out past the two hundredth', async () => {
    const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    const person = await givenPerson(database.db, prison.code)
    // 201 open concerns, to be acted on three at a time a minute apart (ties across each page's edge, the 49th to
    // the 51st); one acted on, in the other list.
    for (let n = 0; n < 201; n += 1)
      await givenConcern(database.db, {
        personId: person.id,
        establishmentCode: prison.code,
        raisedBy: lead.id,
        raisedAt: '2026-11-25T08:00:00Z',
        escalateAt: new Date(Date.UTC(2026, 10, 25, 10, Math.floor(n / 3))),
      })
    await givenConcern(database.db, {
      personId: person.id,
      establishmentCode: prison.code,
      raisedBy: lead.id,
      raisedAt: '2026-11-24T08:00:00Z',
      actedAt: '2026-11-24T09:00:00Z',
    })
    await readEveryPage((page) => services.concerns.listConcerns(lead, 'open', { page }), 'concerns', {
      total: 201,
      size: 50,
      inOrderOf: { value: (concern) => concern.escalateAt.getTime(), id: (concern) => concern.id },
    })
    const acted = await services.concerns.listConcerns(lead, 'acted')
    assert.deepEqual([acted.total, acted.concerns.length, acted.pageCount], [1, 1, 1])
  })
})
