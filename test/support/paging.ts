import assert from 'node:assert/strict'

/**
 * Reads a paged list as someone following its links does, from the first page to the last and then one past it
 * (which shows the last again), checking each page's number, the page count and total it gives and how many it
 * holds (its list under `key`): `size` to a page, the rest on the last; and, with `inOrderOf`, that the items of
 * all the pages together are each there once (by `id`: none twice, so none missing) and in order of `value`,
 * ties included. Gives the items of every page, in order.
 */
export async function readEveryPage<Key extends string, Item>(
  read: (page: number) => Promise<{ page: number; pageCount: number; total: number } & Record<Key, readonly Item[]>>,
  key: Key,
  expected: {
    total: number
    size: number
    inOrderOf?: { value: (item: Item) => number; descending?: boolean; id: (item: Item) => string }
  },
): Promise<Item[]> {
  const pageCount = Math.max(1, Math.ceil(expected.total / expected.size))
  const items: Item[] = []
  for (let asked = 1; asked <= pageCount + 1; asked += 1) {
    const shown = await read(asked)
    const page = Math.min(asked, pageCount)
    const holds = page < pageCount ? expected.size : expected.total - (pageCount - 1) * expected.size
    assert.deepEqual(
      [shown.page, shown.pageCount, shown.total, shown[key].length],
      [page, pageCount, expected.total, holds],
      `asking for page ${asked}`,
    )
    if (asked <= pageCount) items.push(...shown[key])
  }
  const order = expected.inOrderOf
  if (order) {
    // Across the pages' edges too: a tie split between two pages must not be listed twice, or not at all.
    assert.equal(new Set(items.map(order.id)).size, expected.total, 'each item once')
    const values = items.map(order.value)
    const sign = order.descending ? -1 : 1
    values.slice(1).forEach((value, n) => assert.ok(sign * (value - values[n]) >= 0, `item ${n + 2} in order`))
  }
  return items
}
