import { sql } from 'kysely'
import { z } from 'zod'

/**
 * The address of each page of a filtered list: the list's path with its filters (the empty ones left out) and
 * the page number, as GOV.UK pagination links to them (`views/pagination.njk`).
 */
export function pageLinks(path: string, filters: Record<string, string | undefined>): (page: number) => string {
  return (page) => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value)
    params.set('page', String(page))
    return `${path}?${params.toString()}`
  }
}

/**
 * Which page of a list of `total` items to show, `size` to a page, when page `asked` was asked for: the first when
 * none was, and the last when the list has fewer pages than that now (a filter narrowed it, or items went).
 * `offset` is the number of items before it.
 */
export function pageOf(total: number, asked: number | undefined, size: number) {
  const pageCount = Math.max(1, Math.ceil(total / size))
  const page = Math.min(Math.max(1, asked ?? 1), pageCount)
  return { page, pageCount, offset: (page - 1) * size }
}

/** The page a list's address asks for (`?page=`): none, or one that is not a page number, asks for the first. */
export const PageNumber = z.coerce.number().int().min(1).max(100_000).optional().catch(undefined)

/** The query of a list's address that takes nothing but its page. */
export const PageQuery = z.object({ page: PageNumber })

/** Where a page of a list starts, and how many it holds. */
export type Page = { size: number; offset: number }

/** Which page of a list a service is asked for (none: the first). */
export type PageAsked = { page?: number | undefined }

/** The column a page of a list selects for `readCountedPage`: how many rows the whole list holds, before its limit. */
export const listTotal = sql<string>`count(*) over ()`.as('listTotal')

/**
 * A page of a list read with the list's count in the same statement (`listTotal`, above, on each row), so a page
 * costs one statement, not two. Only a page past the end (the list has shrunk since its link was drawn) is read
 * again: the first, for the count, then the last.
 */
export async function readCountedPage<Row extends { listTotal: number | string | bigint }>(
  read: (page: Page) => Promise<Row[]>,
  asked: number | undefined,
  size: number,
) {
  // The page asked for, before the list is counted (Infinity: no last page to hold it back).
  let offset = pageOf(Infinity, asked, size).offset
  let rows = await read({ size, offset })
  if (rows.length === 0 && offset > 0) {
    offset = 0
    rows = await read({ size, offset })
  }
  const total = Number(rows[0]?.listTotal ?? 0)
  const { page, pageCount, offset: shown } = pageOf(total, asked, size)
  if (shown !== offset) rows = await read({ size, offset: shown })
  return { rows, total, page, pageCount }
}
