import type { PGlite, Results } from '@electric-sql/pglite'
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import { PreparedStatements, resultOf, type Answer } from './pglite-statements.ts'

/**
 * PGlite is one connection to one PostgreSQL, so Kysely's connections are handed out one at a time: a
 * transaction holds the only connection until it commits, and other queries wait their turn. The connection
 * is PGlite in this thread (`PGliteDriver`), or PGlite in a thread of its own (`embedded-thread.ts`), where
 * the other thread keeps the order instead.
 */
export class PGliteDialect implements Dialect {
  #driver: Driver
  /** The driver of PGlite in this thread (`PGliteDriver`), or of PGlite in its own (`openInThread`). */
  constructor(driver: Driver) {
    this.#driver = driver
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return this.#driver
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
}

type AfterCommit = () => Promise<void>

/**
 * A connection to the embedded database: whether Kysely has begun a transaction on it (its commit, not each
 * statement, is the moment to sync), and which statements begin and end one, for a thread that keeps the order.
 */
export type EmbeddedConnection = DatabaseConnection & {
  inTransaction: boolean
  executeQuery<R>(compiledQuery: CompiledQuery, transaction?: 'begin' | 'end'): Promise<QueryResult<R>>
}

/**
 * What the embedded database's two drivers (`PGliteDriver`, and the thread's in `embedded-thread.ts`) do alike:
 * a transaction's begin, commit and rollback mark the connection, and a savepoint is a statement of the
 * transaction it is in. They differ in how a connection is lent.
 */
export abstract class EmbeddedDriver implements Driver {
  abstract acquireConnection(): Promise<EmbeddedConnection>
  abstract releaseConnection(connection: DatabaseConnection): Promise<void>
  async init(): Promise<void> {}
  async destroy(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const embedded = connection as EmbeddedConnection
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''
    embedded.inTransaction = true
    try {
      await embedded.executeQuery(CompiledQuery.raw(`begin${isolation}`), 'begin')
    } catch (error) {
      embedded.inTransaction = false
      throw error
    }
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const embedded = connection as EmbeddedConnection
    // Not in a transaction once it commits: the commit's WAL is synced before it is answered.
    embedded.inTransaction = false
    await embedded.executeQuery(CompiledQuery.raw('commit'), 'end')
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const embedded = connection as EmbeddedConnection
    await embedded.executeQuery(CompiledQuery.raw('rollback'), 'end')
    embedded.inTransaction = false
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${name}`))
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`))
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${name}`))
  }
}

/** PGlite in this thread, one connection lent to one query or transaction at a time. */
export class PGliteDriver extends EmbeddedDriver {
  #connection: PGliteConnection
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  constructor(connection: PGliteConnection) {
    super()
    this.#connection = connection
  }

  async acquireConnection(): Promise<EmbeddedConnection> {
    const previous = this.#queue
    let release!: () => void
    this.#queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    // PGlite runs each query on this thread, and a queue of queries would otherwise run one after another
    // in promise callbacks without ever letting the event loop read a socket: a request that needs no
    // database (the health check) waited as long as the pages queued before it (1.3 s p50 under load).
    await new Promise((resolve) => setImmediate(resolve))
    this.#release = release
    return this.#connection
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
  }
}

const commits = /^\s*commit\b/i
const transactionEnds = /^\s*(begin|rollback)\s*($|;|isolation)/i
const undoesToSavepoint = /^\s*rollback\s+to\b/i
const readsOrWritesRows = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release)\b/i

/**
 * What a statement on the embedded database answered: its rows and count, or, for a prepared statement (most of
 * a page's), PostgreSQL's own messages, read where the rows are wanted (`queryResultOf`).
 */
export type EmbeddedAnswer = QueryResult<unknown> | { answer: Answer }

/** The rows and count of an answer, read by these parsers (PGlite's own, or the same made in another thread). */
export function queryResultOf<R>(answered: EmbeddedAnswer, parsers: PGlite['parsers']): QueryResult<R> {
  if (!('answer' in answered)) return answered as QueryResult<R>
  const result = resultOf<R>(answered.answer, parsers)
  return {
    rows: result.rows,
    numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
  }
}

/** PGlite in this thread. `afterCommit` runs after each commit (and each statement outside a transaction that may write), before its answer. */
export class PGliteConnection implements EmbeddedConnection {
  #pglite: PGlite
  #afterCommit: AfterCommit | undefined
  #statements: PreparedStatements
  /** Inside a transaction begun by Kysely, whose commit is the moment to sync, not each statement. */
  inTransaction = false
  /** A statement of the open transaction failed, so PostgreSQL will roll it back at its commit. */
  #failedInTransaction = false
  constructor(pglite: PGlite, afterCommit: AfterCommit | undefined) {
    this.#pglite = pglite
    this.#afterCommit = afterCommit
    this.#statements = new PreparedStatements(pglite)
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return queryResultOf<R>(await this.answerQuery(compiledQuery), this.#pglite.parsers)
  }

  /** As `executeQuery`, with a prepared statement's rows left unread, for another thread to read. */
  async answerQuery(compiledQuery: CompiledQuery): Promise<EmbeddedAnswer> {
    const { sql } = compiledQuery
    if (transactionEnds.test(sql)) this.#failedInTransaction = false
    // Anything but a statement on rows (a migration) may change a table's columns, which the prepared
    // statements describe; statements on rows are prepared once and then only bound and run.
    const changesNoColumns = readsOrWritesRows.test(sql)
    if (!changesNoColumns) this.#statements.forgetAll()
    let result: Results | Answer
    try {
      // Like node-postgres, a query without parameters goes by the simple protocol, so a migration may hold
      // several statements; its last statement's rows are the result.
      result =
        compiledQuery.parameters.length === 0
          ? ((await this.#pglite.exec(sql)).at(-1) ?? { rows: [], fields: [], affectedRows: 0 })
          : changesNoColumns
            ? await this.#statements.answer(sql, compiledQuery.parameters, { againIfChanged: !this.inTransaction })
            : await this.#pglite.query(sql, [...compiledQuery.parameters])
    } catch (error) {
      if (this.inTransaction) this.#failedInTransaction = true
      throw error
    }
    if (undoesToSavepoint.test(sql)) this.#failedInTransaction = false
    // A select of Kysely's own building writes nothing; any other statement outside a transaction, and the
    // commit itself (run with inTransaction already false), has committed what it wrote.
    if (this.#afterCommit && !this.inTransaction && compiledQuery.query.kind !== 'SelectQueryNode')
      await this.#afterCommit()
    // PostgreSQL answers the commit of a transaction one of whose statements failed with a rollback, and no error:
    // a caller that caught the failure and went on would be told its changes were saved, and none were.
    if (commits.test(sql) && this.#failedInTransaction) {
      this.#failedInTransaction = false
      throw new AbortedTransactionError()
    }
    if (result instanceof Uint8Array) return { answer: result }
    const numAffectedRows = result.affectedRows === undefined ? undefined : BigInt(result.affectedRows)
    return { rows: result.rows, numAffectedRows }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database')
  }
}
