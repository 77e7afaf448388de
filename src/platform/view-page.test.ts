import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { AreaRoutes } from './area.ts'
import { pageHelperApp } from '../../test/support/page-helper-app.ts'
import type { Actor } from './permissions.ts'
import { registerViewPage } from './view-page.ts'

const officer = { id: 'u1', username: 'officer', displayName: 'An Officer', role: 'officer' } as Actor
const ShelfParams = z.object({ shelf: z.string().max(10) })
const ShelfQuery = z.object({ page: z.coerce.number().int().min(1).default(1) })

/** Who the library's pretend use case was asked by, and about what. */
const asked: string[] = []

function registerLibrary(app: AreaRoutes) {
  registerViewPage(app, {
    path: '/readers/:reader',
    params: z.object({ reader: z.string().max(10) }),
    permission: 'keywork.view',
    template: 'reader.njk',
    view: async (actor, address) => ({ address }),
  })
  registerViewPage(app, {
    path: '/shelves/:shelf',
    params: ShelfParams,
    query: ShelfQuery,
    permission: 'keywork.view',
    template: 'shelf.njk',
    view: async (actor, { shelf, page }) => {
      asked.push(`${actor.username}:${shelf}:${page}`)
      return { shelf, books: page === 1 ? ['Emma'] : [] }
    },
    extras: (request, view) => ({ heading: request.t(`shelf ${view.shelf}`) }),
  })
}

describe('registerViewPage', () => {
  let app: FastifyInstance
  before(async () => {
    app = await pageHelperApp(officer, registerLibrary)
  })
  after(() => app.close())

  it('shows the use case’s view, asked as the signed-in user with the address’s params and query, and the extras', async () => {
    const response = await app.inject({ method: 'GET', url: '/shelves/A?page=1' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      template: 'shelf.njk',
      shelf: 'A',
      books: ['Emma'],
      heading: 'text of shelf A',
    })
    assert.equal(asked.at(-1), 'officer:A:1')
  })

  it('gives the query its schema’s defaults and types', async () => {
    await app.inject({ method: 'GET', url: '/shelves/B' })
    assert.equal(asked.at(-1), 'officer:B:1')
    const second = await app.inject({ method: 'GET', url: '/shelves/B?page=2' })
    assert.deepEqual(second.json<{ books: string[] }>().books, [])
  })

  it('answers an address that fails its schema with a 400, without asking the use case', async () => {
    const before = asked.length
    assert.equal((await app.inject({ method: 'GET', url: `/shelves/${'A'.repeat(11)}` })).statusCode, 400)
    assert.equal((await app.inject({ method: 'GET', url: '/shelves/A?page=0' })).statusCode, 400)
    assert.equal(asked.length, before)
  })

  it('takes who is shown from the path alone: an unchecked query cannot stand in for a param, nor add to the address', async () => {
    const response = await app.inject({ method: 'GET', url: '/readers/A?reader=B&version=abc' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json<{ address: unknown }>().address, { reader: 'A' })
    const shelf = await app.inject({ method: 'GET', url: '/shelves/A?shelf=B' })
    assert.equal(shelf.json<{ shelf: string }>().shelf, 'A')
  })
})
