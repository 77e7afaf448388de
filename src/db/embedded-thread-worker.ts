import { parentPort, workerData, type Transferable } from 'node:worker_threads'
import type { CompiledQuery } from 'kysely'
import { openEmbeddedFolder } from './database.ts'
import {
  arrayTypesQuery,
  nextStatement,
  sendableError,
  type ArrayType,
  type FromThread,
  type Statement,
  type ToThread,
} from './embedded-thread.ts'
import { PGliteConnection } from './pglite-dialect.ts'

/**
 * The embedded database's own thread (see `openInThread`): PGlite on the data folder, synced after each commit
 * before its answer, running the statements the main thread sends one at a time, a transaction's alone.
 */
const port = parentPort!
const post = (message: FromThread, transfer: Transferable[] = []) => port.postMessage(message, transfer)
const { dataDirectory } = workerData as { dataDirectory: string }

try {
  const folder = await openEmbeddedFolder(dataDirectory)
  const connection = new PGliteConnection(folder.pglite, folder.afterCommit)
  const waiting: Statement[] = []
  let transactionOf: number | null = null
  let running = false
  let closing = false

  const run = async (statement: Statement) => {
    connection.inTransaction = statement.inTransaction
    // Only what executeQuery reads of a compiled query crosses the threads.
    const query = { sql: statement.sql, parameters: statement.parameters, query: { kind: statement.kind } }
    try {
      const answer = await connection.answerQuery(query as unknown as CompiledQuery)
      if (statement.transaction === 'begin') transactionOf = statement.session
      // A prepared statement's answer goes as its bytes, handed over rather than copied, and is read there.
      post({ type: 'result', id: statement.id, answer }, 'answer' in answer ? [answer.answer.buffer] : [])
    } catch (error) {
      post({ type: 'error', id: statement.id, error: sendableError(error) })
    } finally {
      if (statement.transaction === 'end') transactionOf = null
    }
  }

  const pump = async () => {
    if (running) return
    running = true
    for (;;) {
      const next = nextStatement(waiting, transactionOf)
      if (next < 0) break
      await run(waiting.splice(next, 1)[0])
    }
    running = false
    if (closing) await closeWhenDone()
  }

  // What was sent before the close is run first, a transaction to its end; then PGlite closes and the folder is
  // synced, and a failure of that sync is the close's to report.
  let closed = false
  const closeWhenDone = async () => {
    if (closed || running || waiting.length > 0 || transactionOf !== null) return
    closed = true
    try {
      await folder.close()
      post({ type: 'closed' })
    } catch (error) {
      post({ type: 'closed', error: sendableError(error) })
    }
  }

  port.on('message', (message: ToThread) => {
    if (message.type === 'close') {
      closing = true
      void closeWhenDone()
      return
    }
    waiting.push(message)
    void pump()
  })
  const { rows: arrayTypes } = await folder.pglite.query<ArrayType>(arrayTypesQuery)
  post({ type: 'ready', arrayTypes })
} catch (error) {
  post({ type: 'failed', error: sendableError(error) })
}
