import { Worker } from 'node:worker_threads'
import { types, type PGlite } from '@electric-sql/pglite'
import type { CompiledQuery } from 'kysely'
import { AbortedTransactionError, type Driver, type QueryResult } from 'kysely'
import { EmbeddedDriver, queryResultOf, type EmbeddedAnswer, type EmbeddedConnection } from './pglite-dialect.ts'

/**
 * A statement from the main thread. `session` is the Kysely connection it came on (one for each query, or for a
 * whole transaction); `transaction` marks the statements that begin and end one.
 */
export type Statement = {
  type: 'query'
  id: number
  session: number
  sql: string
  parameters: readonly unknown[]
  kind: string
  inTransaction: boolean
  transaction?: 'begin' | 'end'
}

export type ToThread = Statement | { type: 'close' }

/**
 * What the thread answers. An error goes as its message and its own fields (a SQLSTATE `code`, `detail` …).
 * `arrayTypes`: each array type of the database beside the type of its elements, as PGlite reads them when it
 * opens, so that this thread reads arrays in rows as PGlite would.
 */
export type FromThread =
  | { type: 'ready'; arrayTypes: ArrayType[] }
  | { type: 'failed'; error: SentError }
  | { type: 'result'; id: number; answer: EmbeddedAnswer }
  | { type: 'error'; id: number; error: SentError }
  | { type: 'closed'; error?: SentError }

export type SentError = { name: string; message: string; fields: Record<string, unknown> }

/** An error as it can cross to another thread: its own fields of plain values, not the class it was. */
export function sendableError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} }
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    const plain = value === null || ['string', 'number', 'boolean', 'bigint', 'undefined'].includes(typeof value)
    if (plain || (Array.isArray(value) && value.every((each) => each === null || typeof each !== 'object')))
      fields[key] = value
  }
  return { name: error.name, message: error.message, fields }
}

function receivedError(sent: SentError): Error {
  // Kysely knows this one by a mark of its own, which does not cross threads: made again, it is known again.
  if (sent.name === 'AbortedTransactionError') return new AbortedTransactionError()
  const error = Object.assign(new Error(sent.message), sent.fields)
  error.name = sent.name
  return error
}

/** An array type of the database and the type of its elements, by their oids. */
export type ArrayType = { oid: number; typarray: number }

/** The array types of the database, asked as PGlite asks them when it opens (its `_initArrayTypes`). */
export const arrayTypesQuery = `select b.oid, b.typarray from pg_catalog.pg_type a
  left join pg_catalog.pg_type b on b.oid = a.typelem
  where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid`

/** The parsers PGlite made with `ownParsers` and these array types, made again in another thread. */
export function parsersLikePGlite(ownParsers: PGlite['parsers'], arrayTypes: readonly ArrayType[]): PGlite['parsers'] {
  const parsers: PGlite['parsers'] = { ...types.parsers, ...ownParsers }
  for (const { oid, typarray } of arrayTypes)
    parsers[typarray] = (value: string): unknown => types.arrayParser(value, parsers[oid], typarray)
  return parsers
}

/**
 * Which statement the embedded database's thread runs next: the oldest, except while a session's transaction
 * is open, when only that session's statements run and the others wait, in order, for it to end. Pure, so
 * that the rule is tested apart from the threads.
 */
export function nextStatement<S extends Pick<Statement, 'session'>>(
  waiting: readonly S[],
  inTransaction: number | null,
): number {
  if (inTransaction === null) return waiting.length > 0 ? 0 : -1
  return waiting.findIndex((statement) => statement.session === inTransaction)
}

/**
 * The embedded database in a thread of its own (`embedded-thread-worker.ts`), opened on `dataDirectory`, for
 * Waymark on its data folder. PGlite's work was most of the one thread that also parses requests, builds
 * queries and renders pages, while the second core waited (issue 19). This thread keeps Kysely; each query
 * and each transaction is a session of its own, and their statements go to the other thread as soon as they
 * are made, where they wait their turn (`nextStatement`) and each commit is synced before its answer, as
 * before. Sent without waiting for the one before, the thread always has the next statement to hand.
 *
 * The thread holds the process open only while a statement is on its way, so a command that closes its
 * database ends as before, and one that forgets does not hang.
 */
export async function openInThread(
  dataDirectory: string,
  parsers: PGlite['parsers'],
): Promise<{ driver: Driver; close: () => Promise<void> }> {
  const thread = new EmbeddedThread(
    new Worker(new URL('./embedded-thread-worker.ts', import.meta.url), { workerData: { dataDirectory } }),
    parsers,
  )
  await thread.opened
  return { driver: new ThreadDriver(thread), close: () => thread.close() }
}

type Waiting = { resolve: (result: QueryResult<unknown>) => void; reject: (error: Error) => void }

class EmbeddedThread {
  readonly opened: Promise<void>
  #worker: Worker
  #waiting = new Map<number, Waiting>()
  #nextId = 1
  #stopped: Error | undefined
  #closed: ((error?: Error) => void) | undefined
  #closing: Promise<void> | undefined
  #parsers: PGlite['parsers'] = {}

  constructor(worker: Worker, ownParsers: PGlite['parsers']) {
    this.#worker = worker
    this.opened = new Promise((resolve, reject) => {
      worker.on('message', (message: FromThread) => {
        switch (message.type) {
          case 'ready':
            this.#parsers = parsersLikePGlite(ownParsers, message.arrayTypes)
            worker.unref()
            resolve()
            break
          case 'failed':
            reject(receivedError(message.error))
            void worker.terminate()
            break
          case 'result':
            this.#settle(message.id, () => queryResultOf(message.answer, this.#parsers))
            break
          case 'error':
            this.#answered(message.id)?.reject(receivedError(message.error))
            break
          case 'closed':
            this.#closed?.(message.error && receivedError(message.error))
            break
        }
      })
      const stop = (error: Error) => {
        this.#stopped ??= error
        reject(error)
        for (const waiting of this.#waiting.values()) waiting.reject(error)
        this.#waiting.clear()
        this.#closed?.()
      }
      worker.on('error', (error) => stop(new Error('The embedded database’s thread failed', { cause: error })))
      // As a server's crash shutdown (57P02): the pages answer 503, as for a PostgreSQL that went away.
      worker.on('exit', (code) =>
        stop(Object.assign(new Error(`The embedded database’s thread stopped (exit code ${code})`), { code: '57P02' })),
      )
    })
  }

  #answered(id: number): Waiting | undefined {
    const waiting = this.#waiting.get(id)
    this.#waiting.delete(id)
    if (this.#waiting.size === 0 && !this.#closed) this.#worker.unref()
    return waiting
  }

  /**
   * Answers a query with its rows, read here; a failure to read them is that query's error, not one thrown out of
   * the thread's message listener, which would end the process.
   */
  #settle(id: number, read: () => QueryResult<unknown>): void {
    const waiting = this.#answered(id)
    if (!waiting) return
    try {
      waiting.resolve(read())
    } catch (error) {
      waiting.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  run<R>(statement: Omit<Statement, 'type' | 'id'>): Promise<QueryResult<R>> {
    if (this.#stopped) return Promise.reject(this.#stopped)
    return new Promise<QueryResult<R>>((resolve, reject) => {
      const id = this.#nextId++
      this.#waiting.set(id, { resolve: resolve as Waiting['resolve'], reject })
      this.#worker.ref()
      try {
        this.#worker.postMessage({ type: 'query', id, ...statement } satisfies ToThread)
      } catch (error) {
        // A parameter that cannot be sent (a function, say) is the query's fault, not the thread's.
        this.#answered(id)
        reject(error instanceof Error ? error : new Error(String(error)))
      }
    })
  }

  /**
   * Closes PGlite in its thread (its last sync included), then ends the thread, which holds the process open until
   * it has: an answer to a statement still on its way must not let the process end halfway through the close.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    if (this.#stopped) return
    const closed = new Promise<Error | undefined>((resolve) => (this.#closed = resolve))
    this.#worker.ref()
    this.#worker.postMessage({ type: 'close' } satisfies ToThread)
    const error = await closed
    await this.#worker.terminate()
    if (error) throw error
  }
}

/** A Kysely connection: one query, or one transaction's statements, in the order they are made. */
class ThreadSession implements EmbeddedConnection {
  inTransaction = false
  #thread: EmbeddedThread
  #session: number

  constructor(thread: EmbeddedThread, session: number) {
    this.#thread = thread
    this.#session = session
  }

  executeQuery<R>(compiledQuery: CompiledQuery, transaction?: 'begin' | 'end'): Promise<QueryResult<R>> {
    return this.#thread.run<R>({
      session: this.#session,
      sql: compiledQuery.sql,
      parameters: compiledQuery.parameters,
      kind: compiledQuery.query.kind,
      inTransaction: this.inTransaction,
      ...(transaction && { transaction }),
    })
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database')
  }
}

class ThreadDriver extends EmbeddedDriver {
  #thread: EmbeddedThread
  #sessions = 0

  constructor(thread: EmbeddedThread) {
    super()
    this.#thread = thread
  }

  async acquireConnection(): Promise<EmbeddedConnection> {
    return new ThreadSession(this.#thread, ++this.#sessions)
  }

  async releaseConnection(): Promise<void> {}
}
