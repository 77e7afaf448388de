import { PostgresQueryCompiler, type CompiledQuery, type KyselyPlugin, type QueryId } from 'kysely'
import type { Db } from '../../src/db/database.ts'

/**
 * Issue 19: which statements a server under load runs, how often, how many rows each brings back (PGlite
 * decodes every row on the server's one thread) and how long each took from being asked to being answered,
 * counted while `counting` is on. The SQL is compiled again here to name each statement, so this costs a little:
 * the benches turn it on only when asked. With one request at a time (bench:pages) a statement's time is its
 * own; under load (bench:http) it includes the wait for a connection or for PGlite's lock.
 */
export function queryStats() {
  const statements = new Map<string, { runs: number; rows: number; milliseconds: number }>()
  /** Each select's latest run as it was sent, to run again alone after the load (`reportAlone`). */
  const lastSelect = new Map<string, CompiledQuery>()
  const state: { counting: boolean; queries: number; db?: Db } = { counting: false, queries: 0 }
  const plugin = statementTimer(
    (compiled, milliseconds, rows) => {
      const sql = statementOf(compiled.sql)
      state.queries += 1
      const seen = statements.get(sql) ?? { runs: 0, rows: 0, milliseconds: 0 }
      seen.runs += 1
      seen.rows += rows
      seen.milliseconds += milliseconds
      statements.set(sql, seen)
      if (compiled.query.kind === 'SelectQueryNode') lastSelect.set(sql, compiled)
    },
    () => state.counting,
  )
  const line = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 160).replaceAll('|', '\\|')
  return {
    plugin,
    /** The server's database without this plugin, for `reportAlone` to run statements on. */
    attach: (db: Db) => (state.db = db),
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
    /**
     * What each select costs the database alone, once the load has stopped: its latest run sent again in a few
     * batches, one at a time, through the server's own driver (on the embedded database, the hop to its thread
     * included), times how often a page ran it. Under load a statement's time from asked to answered is mostly
     * waiting behind the others; this is the share of the database's work each has, to choose what to make
     * cheaper; the time includes the driver's part (the round trip, reading the rows). Only selects Kysely built are
     * sent again: writes would change what the next runs read, and raw SQL may take a lock. Their count is given.
     */
    async reportAlone(pages: number, top = 15, batches = 5, repeat = 10): Promise<string> {
      const db = state.db
      if (!db) return 'Statements alone: not measured (no database attached)'
      const costs: { sql: string; perRun: number; runsPerPage: number; perPage: number }[] = []
      for (const [sql, compiled] of lastSelect) {
        for (let warm = 0; warm < 3; warm++) await db.executeQuery(compiled)
        // The median of a few batches: a single batch caught a garbage collection now and then.
        const perBatch: number[] = []
        for (let batch = 0; batch < batches; batch++) {
          const started = performance.now()
          for (let run = 0; run < repeat; run++) await db.executeQuery(compiled)
          perBatch.push((performance.now() - started) / repeat)
        }
        const perRun = perBatch.sort((a, b) => a - b)[Math.floor(batches / 2)]
        const runsPerPage = statements.get(sql)!.runs / Math.max(1, pages)
        costs.push({ sql, perRun, runsPerPage, perPage: perRun * runsPerPage })
      }
      costs.sort((a, b) => b.perPage - a.perPage)
      const total = costs.reduce((sum, cost) => sum + cost.perPage, 0)
      const others = [...statements]
        .filter(([sql]) => !lastSelect.has(sql))
        .reduce((sum, [, seen]) => sum + seen.runs, 0)
      return [
        `Selects alone: ${total.toFixed(2)} ms of the database's time a page (${costs.length} selects, each sent ` +
          `again ${batches} × ${repeat} times once the load had stopped, the median batch, the driver's part included); ` +
          `${(others / Math.max(1, pages)).toFixed(2)} other statements a page (writes and raw SQL) not sent again. ` +
          `The ${top} costing most a page:`,
        '',
        '| ms a page | share | ms a run | runs a page | statement |',
        '|--:|--:|--:|--:|:--|',
        ...costs
          .slice(0, top)
          .map(
            ({ sql, perRun, runsPerPage, perPage }) =>
              `| ${perPage.toFixed(3)} | ${((100 * perPage) / Math.max(total, Number.EPSILON)).toFixed(1)}% | ` +
              `${perRun.toFixed(2)} | ${runsPerPage.toFixed(2)} | ${line(sql)} |`,
          ),
      ].join('\n')
    },
  }
}

/**
 * A plugin that tells `answered` of each statement a handle runs, while `timing` says so: the statement as compiled,
 * the milliseconds from Kysely's handing it on to its answer (waiting for a connection or the embedded database's
 * thread included), and the rows it brought back. A subquery built on the handle is transformed under an id of
 * its own and never answered, so it is not told; a query run twice is timed from its latest transformation.
 */
export function statementTimer(
  answered: (compiled: CompiledQuery, milliseconds: number, rows: number) => void,
  timing: () => boolean = () => true,
): KyselyPlugin {
  const compiler = new PostgresQueryCompiler()
  const pending = new WeakMap<QueryId, { compiled: CompiledQuery; asked: number }>()
  return {
    transformQuery: (args) => {
      if (timing()) {
        const compiled = compiler.compileQuery(args.node, args.queryId)
        pending.set(args.queryId, { compiled, asked: performance.now() })
      }
      return args.node
    },
    transformResult: async (args) => {
      const asked = pending.get(args.queryId)
      pending.delete(args.queryId)
      if (asked !== undefined && timing())
        answered(asked.compiled, performance.now() - asked.asked, args.result.rows.length)
      return args.result
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
