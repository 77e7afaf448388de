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
