/**
 * The pure half of `bench:pages`: which page stands for which route. A route with parameters
 * (`/people/:prisonNumber/journey`) is measured at the first address the demo's own pages link to that fits
 * it, so every id is one the demo really has and the role really sees.
 */

/** The route's path as a whole-path match: each `:param` is one segment. */
export function routeMatcher(route: string): RegExp {
  const escaped = route
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${escaped}$`)
}

/** The addresses inside Waymark that a page links to, as a browser would follow them (no fragment). */
export function linksIn(html: string): string[] {
  const links = new Set<string>()
  for (const match of html.matchAll(/\bhref="(\/[^"]*)"/g)) {
    const address = match[1].replaceAll('&amp;', '&').split('#')[0]
    if (address.startsWith('//') || address.startsWith('/assets/')) continue
    links.add(address)
  }
  return [...links]
}

/** The first of `links` whose path fits the route, or undefined. */
export function firstFitting(route: string, links: readonly string[]): string | undefined {
  const matcher = routeMatcher(route)
  return links.find((link) => matcher.test(link.split('?')[0]))
}
