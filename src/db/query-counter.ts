import type { KyselyPlugin } from 'kysely'

/**
 * A count of the queries a database handle is asked, from a plugin on that handle (for bench:pages and the
 * tests that hold a page to a fixed number of queries). Counted as each answer comes back: Kysely transforms a
 * subquery built on the handle as a query of its own, so counting transformations would count
 * `in (select …)` as a second query.
 */
export function queryCounter() {
  const counted = { queries: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      counted.queries += 1
      return args.result
    },
  }
  return { counted, plugin }
}
