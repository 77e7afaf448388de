import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite'

type RowDescription = InstanceType<typeof protocol.messages.RowDescriptionMessage>
type ParameterDescription = InstanceType<typeof protocol.messages.ParameterDescriptionMessage>

type Statement = { name: string; parameterTypes: number[]; rowDescription: RowDescription | undefined }

/**
 * Names are counted across the process, not per cache: two caches on one PGlite (`openPGlite` called twice on
 * it) would otherwise both prepare `waymark_1`, and the second would be refused as a duplicate.
 */
let namedInThisProcess = 0

/**
 * Statements with parameters, each parsed, analysed and described once and then only bound and executed.
 * `pglite.query` sends six messages one round trip at a time (parse, describe the statement, bind,
 * describe the portal, execute, sync) and PostgreSQL parses and plans the text every time; here a statement
 * run again is one bind, execute and sync. The most recently used `size` stay prepared, the rest are closed.
 *
 * The caller runs one statement at a time and calls `forgetAll` after a statement that may change a table's
 * columns, since a prepared statement would then describe its rows wrongly.
 */
export class PreparedStatements {
  #pglite: PGlite
  #size: number
  // In the order they were last used, oldest first.
  #statements = new Map<string, Statement>()
  #closing: string[] = []

  constructor(pglite: PGlite, size = 256) {
    this.#pglite = pglite
    this.#size = size
  }

  get size(): number {
    return this.#statements.size
  }

  /**
   * Runs the statement, preparing it if it is not prepared. `againIfChanged`: whether it may run a second
   * time when a table it reads has changed its columns since it was prepared (not in a transaction, which
   * that first failure has failed).
   */
  run<R>(text: string, values: readonly unknown[], options: { againIfChanged: boolean }): Promise<Results<R>> {
    return this.#pglite._runExclusiveTransaction(() =>
      this.#pglite._runExclusiveQuery(async () => {
        try {
          return await this.#run<R>(text, values)
        } catch (error) {
          if (!(error instanceof protocol.messages.DatabaseError)) throw error
          if (changedResultType(error)) {
            this.#forget(text)
            if (options.againIfChanged) return this.#run<R>(text, values)
          }
          // The same fields as `pglite.query` puts on its errors.
          Object.assign(error, { query: text, params: values, queryOptions: undefined })
          throw error
        }
      }),
    )
  }

  async #run<R>(text: string, values: readonly unknown[]): Promise<Results<R>> {
    const statement = await this.#prepared(text)
    const messages = await this.#send(
      protocol.serialize.bind({ statement: statement.name, values: this.#serialised(statement, values) }),
      protocol.serialize.execute(),
      protocol.serialize.sync(),
    )
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages
    return parse.parseResults(described, this.#pglite.parsers)[0] as Results<R>
  }

  /** Closes every prepared statement, before the next one is prepared. */
  forgetAll(): void {
    for (const statement of this.#statements.values()) this.#closing.push(statement.name)
    this.#statements.clear()
  }

  #forget(text: string): void {
    const statement = this.#statements.get(text)
    if (!statement) return
    this.#statements.delete(text)
    this.#closing.push(statement.name)
  }

  async #prepared(text: string): Promise<Statement> {
    const known = this.#statements.get(text)
    if (known) {
      this.#statements.delete(text)
      this.#statements.set(text, known)
      return known
    }
    if (this.#statements.size >= this.#size) this.#forget(this.#statements.keys().next().value!)
    await this.#closeForgotten()
    const name = `waymark_${++namedInThisProcess}`
    const messages = await this.#send(
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    )
    const statement = {
      name,
      parameterTypes: messages.find(isParameterDescription)?.dataTypeIDs ?? [],
      rowDescription: messages.find(isRowDescription),
    }
    this.#statements.set(text, statement)
    return statement
  }

  /** A statement left open only holds some memory (no name is given twice), so a failed close is not the caller's. */
  async #closeForgotten(): Promise<void> {
    if (this.#closing.length === 0) return
    const names = this.#closing
    this.#closing = []
    await this.#pglite.execProtocol(
      concatenated([...names.map((name) => protocol.serialize.close({ type: 'S', name })), protocol.serialize.sync()]),
      { syncToFs: false, throwOnError: false },
    )
  }

  /** As `pglite.query` turns values into parameters: by the type PostgreSQL gave each. */
  #serialised(statement: Statement, values: readonly unknown[]): (string | null)[] {
    return values.map((value, index) => {
      if (value === null || value === undefined) return null
      const serialise = this.#pglite.serializers[statement.parameterTypes[index]]
      return serialise ? serialise(value) : (value as { toString(): string }).toString()
    })
  }

  async #send(...parts: Uint8Array[]) {
    const { messages } = await this.#pglite.execProtocol(concatenated(parts), { syncToFs: false })
    return messages
  }
}

function changedResultType(error: { code?: string; message: string }): boolean {
  return error.code === '0A000' && error.message.includes('cached plan must not change result type')
}

function isParameterDescription(message: { name: string }): message is ParameterDescription {
  return message.name === 'parameterDescription'
}

function isRowDescription(message: { name: string }): message is RowDescription {
  return message.name === 'rowDescription'
}

function concatenated(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0))
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.length
  }
  return whole
}
