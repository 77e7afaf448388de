import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { AreaRoutes } from './area.ts'
import { pageHelperApp } from '../../test/support/page-helper-app.ts'
import { DateInputField, withDateInputs } from './date-input.ts'
import { formPageOf, registerFormPage, registerFormPost } from './form-page.ts'
import type { Refusal } from './forms.ts'
import type { Actor } from './permissions.ts'

const officer = { id: 'u1', username: 'officer', displayName: 'An Officer', role: 'officer' } as Actor
const ShelfParams = z.object({ shelf: z.string().max(10) })
const BookForm = z.object({ title: z.string().trim().min(1).max(20) })
const ReviewForm = z.object({ stars: z.coerce.number().int().min(1).max(5), note: z.string().max(5) })
const RenewalForm = withDateInputs(['dueOn'], z.object({ dueOn: DateInputField, title: z.string().min(1) }))

/** What the library's pretend use cases were asked to store, and what they answer. */
const stored: string[] = []
function lend(shelf: string, title: string): Promise<Refusal | { loanId: string }> {
  if (title === 'Lost') return Promise.resolve({ field: 'title', messageKey: 'library.error.lost' })
  stored.push(`${shelf}:${title}`)
  return Promise.resolve({ loanId: `loan-${stored.length}` })
}
function shelve(title: string): Promise<Refusal[]> {
  if (title !== 'Full') return Promise.resolve([])
  return Promise.resolve([
    { field: 'title', messageKey: 'library.error.full' },
    { field: 'title', messageKey: 'library.error.again' },
  ])
}

function registerLibrary(app: AreaRoutes) {
  app.get('/library/:shelf', { config: { permission: 'keywork.view' } }, async (request) => ({
    done: request.done?.word ?? null,
  }))
  const showShelf = formPageOf('shelf.njk', async (_request, { shelf }: { shelf: string }, sentBack) => ({
    shelf,
    ...(sentBack ? {} : { values: { title: 'A first book' } }),
  }))
  registerFormPage(app, {
    path: '/shelves/:shelf/loans',
    params: ShelfParams,
    permission: 'keywork.view',
    show: showShelf,
    form: BookForm,
    messages: { title: 'library.error.title' },
    save: (_actor, { shelf }, form) => lend(shelf, form.title),
    next: ({ shelf }, _form, loan) => `/shelves/${shelf}?loan=${loan.loanId}`,
  })
  registerFormPost(app, {
    path: '/shelves/:shelf/returns',
    params: ShelfParams,
    permission: 'keywork.allocate',
    show: showShelf,
    form: BookForm,
    messages: { title: 'library.error.title' },
    save: (_actor, _params, form) => shelve(form.title),
    onePerField: true,
    next: ({ shelf }) => `/library/${shelf}#returns`,
    done: 'returned',
  })
  registerFormPost(app, {
    path: '/shelves/:shelf/renewals',
    params: ShelfParams,
    permission: 'keywork.view',
    show: showShelf,
    form: RenewalForm,
    messages: { dueOn: 'library.error.dueOn', title: 'library.error.title' },
    save: (_actor, { shelf }, form) => lend(shelf, `${form.title} until ${form.dueOn}`),
    dateInputs: ['dueOn'],
    next: ({ shelf }) => `/library/${shelf}`,
    done: 'renewed',
  })
  // Each shelf's review is a small form of its own, with one place for its message.
  registerFormPost(app, {
    path: '/shelves/:shelf/reviews',
    params: ShelfParams,
    permission: 'keywork.view',
    show: showShelf,
    form: ReviewForm,
    messages: (_request, _error, { shelf }) => {
      const review = { field: `review-${shelf}`, messageKey: 'library.error.review' }
      return { stars: review, note: review }
    },
    onePerField: true,
    save: () => Promise.resolve(null),
    next: ({ shelf }) => `/library/${shelf}`,
    done: 'reviewed',
  })
}

describe('registerFormPage and registerFormPost', () => {
  let app: FastifyInstance
  before(async () => {
    app = await pageHelperApp(officer, registerLibrary)
  })
  after(() => app.close())

  it('declares the GET and the POST of one address with the same params and permission', () => {
    const routes = app.printRoutes({ commonPrefix: false })
    assert.match(routes, /\/shelves\/:shelf\/loans \(GET, HEAD, POST\)/)
    assert.match(routes, /\/shelves\/:shelf\/returns \(POST\)/)
  })

  it('shows the form new, with what the page fills in and no errors', async () => {
    const response = await app.inject({ method: 'GET', url: '/shelves/A/loans' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      template: 'shelf.njk',
      errors: [],
      values: { title: 'A first book' },
      shelf: 'A',
    })
  })

  it('answers params that fail their schema with a 400 before showing anything', async () => {
    const response = await app.inject({ method: 'GET', url: `/shelves/${'A'.repeat(11)}/loans` })
    assert.equal(response.statusCode, 400)
  })

  it('goes on to where the stored record leads, with a 303', async () => {
    const response = await app.inject({ method: 'POST', url: '/shelves/A/loans', payload: { title: ' Emma ' } })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, `/shelves/A?loan=loan-${stored.length}`)
    assert.equal(stored.at(-1), 'A:Emma')
  })

  it('shows a form that fails its schema again with a 400, its message beside the field and what was typed', async () => {
    const before = stored.length
    const response = await app.inject({ method: 'POST', url: '/shelves/A/loans', payload: { title: ' ' } })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json(), {
      template: 'shelf.njk',
      errors: [{ field: 'title', text: 'text of library.error.title', href: '#title' }],
      values: { title: ' ' },
      shelf: 'A',
    })
    assert.equal(stored.length, before)
  })

  it('shows a form its use case refused again with a 400 and the refusal beside its field', async () => {
    const response = await app.inject({ method: 'POST', url: '/shelves/A/loans', payload: { title: 'Lost' } })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json<{ errors: unknown }>().errors, [
      { field: 'title', text: 'text of library.error.lost', href: '#title' },
    ])
  })

  it('takes a use case that answers its refusals as a list, none meaning stored, one message a field when asked', async () => {
    const refused = await app.inject({ method: 'POST', url: '/shelves/B/returns', payload: { title: 'Full' } })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(refused.json<{ errors: unknown }>().errors, [
      { field: 'title', text: 'text of library.error.full', href: '#title' },
    ])
    const returned = await app.inject({ method: 'POST', url: '/shelves/B/returns', payload: { title: 'Emma' } })
    assert.equal(returned.statusCode, 303)
    assert.equal(returned.headers.location, '/library/B#returns')
  })

  it('says once, on the page it leads to, what a form that names what it did has done', async () => {
    const returned = await app.inject({ method: 'POST', url: '/shelves/B/returns', payload: { title: 'Emma' } })
    const cookies = Object.fromEntries(returned.cookies.map((cookie) => [cookie.name, cookie.value]))
    const shelf = await app.inject({ method: 'GET', url: '/library/B', cookies })
    assert.deepEqual(shelf.json(), { done: 'returned' })
    const lent = await app.inject({ method: 'POST', url: '/shelves/A/loans', payload: { title: 'Emma' } })
    assert.deepEqual(lent.cookies, [])
  })

  it("leads the error summary to a date input's day box, and stores the day its three boxes name", async () => {
    const refused = await app.inject({
      method: 'POST',
      url: '/shelves/C/renewals',
      payload: { 'dueOn-day': '31', 'dueOn-month': '2', 'dueOn-year': '2027', title: '' },
    })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(refused.json<{ errors: unknown }>().errors, [
      { field: 'dueOn', text: 'text of library.error.dueOn', href: '#dueOn-day' },
      { field: 'title', text: 'text of library.error.title', href: '#title' },
    ])
    const renewed = await app.inject({
      method: 'POST',
      url: '/shelves/C/renewals',
      payload: { 'dueOn-day': '1', 'dueOn-month': '3', 'dueOn-year': '2027', title: 'Emma' },
    })
    assert.equal(renewed.statusCode, 303)
    assert.equal(stored.at(-1), 'C:Emma until 2027-03-01')
  })

  it("words a form's messages by its address, and shows one message a field when asked", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/shelves/D/reviews',
      payload: { stars: '9', note: 'far too long' },
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(response.json<{ errors: unknown }>().errors, [
      { field: 'review-D', text: 'text of library.error.review', href: '#review-D' },
    ])
  })
})
