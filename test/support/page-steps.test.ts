import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { followed, opened, sentBack, sentBackWith } from './page-steps.ts'

const refusedForm = `<main><div class="govuk-error-summary"><ul class="govuk-error-summary__list">
  <li><a href="#reason">Enter why</a></li></ul></div><h1>Close the non-association</h1></main>`
const closedPage = `<main><h1>Non-associations</h1></main>`

const answer = (statusCode: number, body = '', location?: string) => ({
  statusCode,
  body,
  headers: location ? { location } : {},
})

/** A browser whose every page is one of these, and a 404 elsewhere; it keeps the addresses it was asked for. */
function browserOf(pages: Record<string, string>) {
  const asked: string[] = []
  return {
    asked,
    get: async (url: string) => {
      asked.push(url)
      return answer(url in pages ? 200 : 404, pages[url] ?? '')
    },
  } as unknown as Parameters<typeof opened>[0] & { asked: string[] }
}

describe('page steps', () => {
  it('reads a page that opens, and fails a test whose page does not', async () => {
    const browser = browserOf({ '/non-associations': closedPage })
    assert.equal((await opened(browser, '/non-associations')).heading(), 'Non-associations')
    await assert.rejects(() => opened(browser, '/nowhere'), /nowhere/)
  })

  it('reads a form sent back with 400, and fails a test whose form was taken', () => {
    assert.deepEqual(sentBack(answer(400, refusedForm)).errorTexts(), ['Enter why'])
    assert.throws(() => sentBack(answer(303, '', '/non-associations'), 'an empty reason'), /an empty reason/)
  })

  it('checks the error summary of a form sent back, each message with its field', () => {
    const page = sentBackWith(answer(400, refusedForm), [{ text: 'Enter why', href: '#reason' }])
    assert.equal(page.heading(), 'Close the non-association')
    assert.throws(() => sentBackWith(answer(400, refusedForm), [{ text: 'Enter why', href: '#note' }]))
  })

  it('follows a form that was taken to where it leads, and fails a test whose form was sent back', async () => {
    const browser = browserOf({ '/non-associations': closedPage })
    const page = await followed(browser, answer(303, '', '/non-associations#cohorts'))
    assert.equal(page.heading(), 'Non-associations')
    assert.deepEqual(browser.asked, ['/non-associations'])
    await assert.rejects(() => followed(browser, answer(400, refusedForm)))
  })
})
