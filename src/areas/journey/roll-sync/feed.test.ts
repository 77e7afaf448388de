import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  prisonerRecord,
  startPrisonerSearch,
  type PrisonerSearchStandIn,
} from '../../../../test/support/prisoner-search.ts'
import { pageAddress, rollFeedFromText, rollFeedFromUrl, RollFeedError, type RollFeed } from './feed.ts'

async function pagesOf(feed: RollFeed) {
  const pages: { page: number; numbers: unknown[] }[] = []
  for await (const { page, records } of feed)
    pages.push({ page, numbers: records.map((record) => (record as { prisonerNumber: string }).prisonerNumber) })
  return pages
}

describe('reading a prison’s roll from Prisoner Search', () => {
  let search: PrisonerSearchStandIn
  const roll = ['A1001AA', 'A1002AA', 'A1003AA', 'A1004AA', 'A1005AA'].map((prisonerNumber) =>
    prisonerRecord({ prisonerNumber }),
  )
  before(async () => {
    search = await startPrisonerSearch({ NHI: roll })
  })
  after(() => search.close())
  beforeEach(() => {
    search.requests.length = 0
    search.authorizations.length = 0
  })

  it('asks for each page from 0, of the size it wants, until the last, keeping the address’s own query', () => {
    assert.equal(
      pageAddress('https://search.example/prisoner-search/prison/NHI?responseFields=prisonerNumber', 2, 50),
      'https://search.example/prisoner-search/prison/NHI?responseFields=prisonerNumber&page=2&size=50',
    )
  })

  it('reads every page in turn, with the token as a bearer', async () => {
    const pages = await pagesOf(rollFeedFromUrl(search.rollAddress('NHI'), { pageSize: 2, token: 'a-token' }))
    assert.deepEqual(pages, [
      { page: 0, numbers: ['A1001AA', 'A1002AA'] },
      { page: 1, numbers: ['A1003AA', 'A1004AA'] },
      { page: 2, numbers: ['A1005AA'] },
    ])
    assert.deepEqual(search.authorizations, ['Bearer a-token', 'Bearer a-token', 'Bearer a-token'])
  })

  it('sends no authorization without a token', async () => {
    await pagesOf(rollFeedFromUrl(search.rollAddress('NHI'), { pageSize: 5 }))
    assert.deepEqual(search.authorizations, [undefined])
  })

  it('waits longer before each try of a failing page: half a second, then twice as long each time', async () => {
    const waits: number[] = []
    search.failPage('NHI', 0, 3, 503)
    const pages = await pagesOf(
      rollFeedFromUrl(search.rollAddress('NHI'), { pageSize: 5, sleep: async (ms) => void waits.push(ms) }),
    )
    assert.deepEqual(waits, [500, 1000, 2000])
    assert.equal(pages.length, 1)
  })

  it('tries a page again after too many requests (429), and after a dropped connection', async () => {
    search.failPage('NHI', 0, 1, 429)
    search.failPage('NHI', 0, 1, 'drop')
    const pages = await pagesOf(rollFeedFromUrl(search.rollAddress('NHI'), { pageSize: 5, sleep: async () => {} }))
    assert.equal(pages.length, 1)
    assert.deepEqual(search.requests, ['NHI:0', 'NHI:0', 'NHI:0'])
  })

  it('says why the last try failed when every try has', async () => {
    search.failPage('NHI', 0, 2, 'drop')
    const feed = rollFeedFromUrl(search.rollAddress('NHI'), { attempts: 2, sleep: async () => {} })
    await assert.rejects(pagesOf(feed), new RollFeedError(0, 'page 0 could not be reached, 2 times'))
  })

  it('stops, without trying again, at an answer that is not a Prisoner Search page', async () => {
    search.answerNextWith(JSON.stringify({ error: 'not here' }))
    await assert.rejects(
      pagesOf(rollFeedFromUrl(search.rollAddress('NHI'), { sleep: async () => {} })),
      /page 0 is not a Prisoner Search page/,
    )
    search.answerNextWith('<html>sign in</html>')
    await assert.rejects(
      pagesOf(rollFeedFromUrl(search.rollAddress('NHI'), { sleep: async () => {} })),
      /page 0 is not JSON/,
    )
    assert.deepEqual(search.requests, ['NHI:0', 'NHI:0'])
  })
})

describe('reading a prison’s roll from a file', () => {
  it('takes one Prisoner Search page, or an array of records', async () => {
    const page = JSON.stringify({ content: [prisonerRecord({ prisonerNumber: 'A1001AA' })], totalPages: 1 })
    assert.deepEqual(await pagesOf(rollFeedFromText(page)), [{ page: 0, numbers: ['A1001AA'] }])
    const array = JSON.stringify([prisonerRecord({ prisonerNumber: 'A1002AA' })])
    assert.deepEqual(await pagesOf(rollFeedFromText(array)), [{ page: 0, numbers: ['A1002AA'] }])
  })

  it('refuses a file that is not JSON, or JSON of another shape', async () => {
    await assert.rejects(pagesOf(rollFeedFromText('prisonerNumber,firstName')), /the file is not JSON/)
    await assert.rejects(pagesOf(rollFeedFromText('{"prisoners": []}')), /neither a Prisoner Search page nor an array/)
  })
})
