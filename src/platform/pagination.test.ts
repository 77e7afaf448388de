import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { folded } from '../../test/support/macro-markup.ts'
import { allMessages } from '../app.ts'
import { createTranslator, languages } from './i18n.ts'
import { pageLinks, pageOf, readCountedPage } from './pagination.ts'
import { createViewEnvironment } from './views.ts'

const translator = createTranslator(allMessages, { strict: true })
const views = createViewEnvironment()
const pageLink = pageLinks('/roll', { wing: 'B' })

/** The pages govukPagination was given for page `page` of `pageCount`: first, last, two either side, ellipses. */
function pageItems(page: number, pageCount: number, t: (key: string, values: Record<string, number>) => string) {
  const items = []
  for (let n = 1; n <= pageCount; n += 1)
    if (n === 1 || n === pageCount || Math.abs(n - page) <= 2)
      items.push({
        number: n,
        href: pageLink(n),
        current: n === page,
        visuallyHiddenText: t('chrome.page', { number: n }),
      })
    else if (Math.abs(n - page) === 3) items.push({ ellipsis: true })
  return items
}

describe('waymarkPagination', () => {
  const cases = [
    [1, 1],
    [1, 2],
    [2, 2],
    [1, 5],
    [3, 5],
    [5, 5],
    [1, 24],
    [2, 24],
    [4, 24],
    [5, 24],
    [6, 24],
    [7, 24],
    [12, 24],
    [19, 24],
    [20, 24],
    [21, 24],
    [23, 24],
    [24, 24],
  ] as const

  for (const language of languages)
    for (const [page, pageCount] of cases)
      it(`draws page ${page} of ${pageCount} in ${language} as govukPagination draws it`, () => {
        const t = translator.forLanguage(language)
        const drawn = views.renderString(
          '{% from "pagination.njk" import waymarkPagination with context %}' +
            '{{ waymarkPagination(page, pageCount, pageLink, "roll.pagination") }}',
          { t, page, pageCount, pageLink },
        )
        const byMacro = views.renderString(
          '{% from "govuk/components/pagination/macro.njk" import govukPagination %}{{ govukPagination(params) }}',
          {
            params: {
              items: pageItems(page, pageCount, t),
              previous:
                page > 1
                  ? {
                      href: pageLink(page - 1),
                      text: t('chrome.previous'),
                      attributes: { 'aria-label': t('chrome.previousPage') },
                    }
                  : undefined,
              next:
                page < pageCount
                  ? {
                      href: pageLink(page + 1),
                      text: t('chrome.next'),
                      attributes: { 'aria-label': t('chrome.nextPage') },
                    }
                  : undefined,
              landmarkLabel: t('roll.pagination'),
            },
          },
        )
        assert.equal(folded(drawn), pageCount > 1 ? folded(byMacro) : '')
      })
})

describe('pageOf', () => {
  it('shows the first page when none is asked for, and an empty list as one page', () => {
    assert.deepEqual(pageOf(120, undefined, 50), { page: 1, pageCount: 3, offset: 0 })
    assert.deepEqual(pageOf(0, undefined, 50), { page: 1, pageCount: 1, offset: 0 })
  })

  it('counts the last page however few it holds', () => {
    assert.deepEqual(pageOf(101, 3, 50), { page: 3, pageCount: 3, offset: 100 })
    assert.deepEqual(pageOf(100, 3, 50), { page: 2, pageCount: 2, offset: 50 })
  })

  it('shows the last page when a later one is asked for, and the first for one before it', () => {
    assert.deepEqual(pageOf(60, 9, 25), { page: 3, pageCount: 3, offset: 50 })
    assert.deepEqual(pageOf(60, 0, 25), { page: 1, pageCount: 3, offset: 0 })
    assert.deepEqual(pageOf(60, -4, 25), { page: 1, pageCount: 3, offset: 0 })
  })
})

describe('readCountedPage', () => {
  /** A list of `total` items read as a store reads one, each row with the list's count; the offsets read kept. */
  const listOf = (total: number) => {
    const reads: number[] = []
    const items = Array.from({ length: total }, (_, n) => ({ n, listTotal: String(total) }))
    const read = async ({ size, offset }: { size: number; offset: number }) => {
      reads.push(offset)
      return items.slice(offset, offset + size)
    }
    return { read, reads }
  }

  it('reads the page asked for once, with its count', async () => {
    const { read, reads } = listOf(120)
    const shown = await readCountedPage(read, 2, 50)
    assert.deepEqual(
      [shown.page, shown.pageCount, shown.total, shown.rows[0].n, shown.rows.length],
      [2, 3, 120, 50, 50],
    )
    assert.deepEqual(reads, [50])
  })

  it('shows the last page when the list has shrunk past the page asked for', async () => {
    const { read, reads } = listOf(120)
    const shown = await readCountedPage(read, 7, 50)
    assert.deepEqual(
      [shown.page, shown.pageCount, shown.total, shown.rows[0].n, shown.rows.length],
      [3, 3, 120, 100, 20],
    )
    assert.deepEqual(reads, [300, 0, 100])
  })

  it('shows an empty list as its one page, and one page as itself whatever page was asked for', async () => {
    const empty = await readCountedPage(listOf(0).read, 4, 50)
    assert.deepEqual([empty.page, empty.pageCount, empty.total, empty.rows.length], [1, 1, 0, 0])
    const { read, reads } = listOf(30)
    const one = await readCountedPage(read, 2, 50)
    assert.deepEqual([one.page, one.pageCount, one.total, one.rows.length], [1, 1, 30, 30])
    assert.deepEqual(reads, [50, 0])
  })
})
