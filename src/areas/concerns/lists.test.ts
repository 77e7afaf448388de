import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenConcern } from '../../../test/support/concern-builders.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'

describeServicesOnEachEngine('the concerns lists (S1)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('list every open concern, fifty to a page, the first to act on first: none left out past the two hundredth', async () => {
    const { lead, ...prison } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
    const person = await givenPerson(database.db, prison.code)
    // 201 open concerns, each to be acted on a minute after the one before; one acted on, in the other list.
    for (let n = 0; n < 201; n += 1)
      await givenConcern(database.db, {
        personId: person.id,
        establishmentCode: prison.code,
        raisedBy: lead.id,
        raisedAt: '2026-11-25T08:00:00Z',
        escalateAt: new Date(Date.UTC(2026, 10, 25, 10, n)),
      })
    await givenConcern(database.db, {
      personId: person.id,
      establishmentCode: prison.code,
      raisedBy: lead.id,
      raisedAt: '2026-11-24T08:00:00Z',
      actedAt: '2026-11-24T09:00:00Z',
    })
    const pages = []
    for (let page = 1; page <= 6; page += 1) pages.push(await services.concerns.listConcerns(lead, 'open', { page }))
    assert.deepEqual(
      pages.map(({ page, pageCount, total, concerns }) => [page, pageCount, total, concerns.length]),
      [
        [1, 5, 201, 50],
        [2, 5, 201, 50],
        [3, 5, 201, 50],
        [4, 5, 201, 50],
        [5, 5, 201, 1],
        [5, 5, 201, 1],
      ],
    )
    const listed = pages.slice(0, 5).flatMap(({ concerns }) => concerns.map((concern) => concern.escalateAt.getTime()))
    assert.equal(new Set(listed).size, 201)
    assert.deepEqual(
      listed,
      [...listed].sort((a, b) => a - b),
    )
    const acted = await services.concerns.listConcerns(lead, 'acted')
    assert.deepEqual([acted.total, acted.concerns.length, acted.pageCount], [1, 1, 1])
  })
})
