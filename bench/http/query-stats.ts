import { PostgresQueryCompiler, type KyselyPlugin, type QueryId } from 'kysely'

/**
 * Issue 19: which statements a server under load runs, how often, how many rows each brings back (PGlite
 * decodes every row on the server's one thread) and how long each took from being asked to being answered,
 * counted while `counting` is on. The SQL is compiled again here to name each statement, so this costs a little:
 * the benches turn it on only when asked. With one request at a time (bench:pages) a statement's time is its
 * own; under load (bench:http) it includes the wait for a connection or for PGlite's lock.
 */
export function queryStats() {
  const compiler = new PostgresQueryCompiler()
  const pending = new WeakMap<QueryId, { sql: string; asked: number }>()
  const statements = new Map<string, { runs: number; rows: number; milliseconds: number }>()
  const state = { counting: false, queries: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (state.counting)
        pending.set(args.queryId, {
          sql: statementOf(compiler.compileQuery(args.node, args.queryId).sql),
          asked: performance.now(),
        })
      return args.node
    },
    transformResult: async (args) => {
      const asked = pending.get(args.queryId)
      if (asked !== undefined && state.counting) {
        state.queries += 1
        const seen = statements.get(asked.sql) ?? { runs: 0, rows: 0, milliseconds: 0 }
        seen.runs += 1
        seen.rows += args.result.rows.length
        seen.milliseconds += performance.now() - asked.asked
        statements.set(asked.sql, seen)
      }
      return args.result
    },
  }
  const line = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 160).replaceAll('|', '\\|')
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
            `| ${(seen.runs / Math.max(1, pages)).toFixed(2)} | ${(seen.rows / seen.runs).toFixed(1)} | ${line(sql)} |`,
        ),
      ].join('\n')
    },
    /** The statements that took longest in all, with their runs and time per run. */
    reportByTime(top = 15): string {
      const rows = [...statements].sort((a, b) => b[1].milliseconds - a[1].milliseconds).slice(0, top)
      const total = [...statements.values()].reduce((sum, seen) => sum + seen.milliseconds, 0)
      return [
        `Statements by time from asked to answered: ${total.toFixed(0)} ms over ${state.queries} runs; the ${top} longest in all:`,
        '',
        '| ms in all | share | runs | ms per run | rows per run | statement |',
        '|--:|--:|--:|--:|--:|:--|',
        ...rows.map(
          ([sql, seen]) =>
            `| ${seen.milliseconds.toFixed(0)} | ${((100 * seen.milliseconds) / Math.max(1, total)).toFixed(1)}% | ${seen.runs} | ` +
            `${(seen.milliseconds / seen.runs).toFixed(2)} | ${(seen.rows / seen.runs).toFixed(1)} | ${line(sql)} |`,
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
