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
