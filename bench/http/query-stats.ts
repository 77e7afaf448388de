import { PostgresQueryCompiler, type KyselyPlugin, type QueryId } from 'kysely'

/**
 * Issue 19: which statements a server under load runs, how often and how many rows each brings back (PGlite
 * decodes every row on the server's one thread), counted while `counting` is on. The SQL is compiled again
 * here to name each statement, so this costs a little: the bench turns it on only with --query-stats.
 */
export function queryStats() {
  const compiler = new PostgresQueryCompiler()
  const pending = new WeakMap<QueryId, string>()
  const statements = new Map<string, { runs: number; rows: number }>()
  const state = { counting: false, queries: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (state.counting) pending.set(args.queryId, statementOf(compiler.compileQuery(args.node, args.queryId).sql))
      return args.node
    },
    transformResult: async (args) => {
      const sql = pending.get(args.queryId)
      if (sql !== undefined && state.counting) {
        state.queries += 1
        const seen = statements.get(sql) ?? { runs: 0, rows: 0 }
        seen.runs += 1
        seen.rows += args.result.rows.length
        statements.set(sql, seen)
      }
      return args.result
    },
  }
  return {
    plugin,
    start: () => (state.counting = true),
    stop: () => (state.counting = false),
    /** The statements run most, per page answered, with the rows each brought back per run. */
    report(pages: number, top = 15): string {
      const rows = [...statements].sort((a, b) => b[1].runs - a[1].runs).slice(0, top)
      return [
        `Queries per page: ${(state.queries / Math.max(1, pages)).toFixed(1)} (${state.queries} for ${pages} pages); the ${top} run most:`,
        '',
        '| per page | rows per run | statement |',
        '|--:|--:|:--|',
        ...rows.map(
          ([sql, seen]) =>
            `| ${(seen.runs / Math.max(1, pages)).toFixed(2)} | ${(seen.rows / seen.runs).toFixed(1)} | ${sql.replace(/\s+/g, ' ').slice(0, 160).replaceAll('|', '\\|')} |`,
        ),
      ].join('\n')
    },
  }
}

/**
 * A statement named without its parameters' count: an insert of many rows (the audit's grouped entries) and an
 * `in` list are one statement whatever their length, not one row of the table for each length.
 */
export function statementOf(sql: string): string {
  return sql
    .replace(/\$\d+/g, '$')
    .replace(/\((\$(?:, \$)*)\)(?:, \(\1\))+/g, '($1)')
    .replace(/\$(?:, \$)+/g, '$, …')
}

export type QueryStats = ReturnType<typeof queryStats>
