import { protocol, type PGlite, type Results } from '@electric-sql/pglite'

type ParameterDescription = InstanceType<typeof protocol.messages.ParameterDescriptionMessage>
type BackendMessage = Parameters<Parameters<protocol.Parser['parse']>[1]>[0]
type Parsers = PGlite['parsers']

/** `rowDescription`: the message describing the statement's rows, as PostgreSQL sent it, for its answers to begin with. */
type Statement = { name: string; parameterTypes: number[]; rowDescription: Uint8Array | undefined }

/**
 * A statement's answer as PostgreSQL's own messages (its rows described first): read into rows where they are
 * wanted (`resultOf`). The embedded database's thread sends the bytes on and the page's thread reads them, so
 * that the thread that runs PostgreSQL does not also decode every row and copy it across (issue 19).
 */
export type Answer = Uint8Array<ArrayBuffer>

const utf8 = new TextDecoder()

/**
 * The rows and count of an answer, each value read by the parser of its type, as `pglite.query` gives them.
 * Read here rather than by PGlite's protocol parser, which copies each value into a buffer of its own before
 * decoding it: six times the time, on the thread that builds the pages.
 */
export function resultOf<R>(answer: Answer, parsers: Parsers): Results<R> {
  const view = new DataView(answer.buffer, answer.byteOffset, answer.byteLength)
  const text = (start: number, end: number) => utf8.decode(answer.subarray(start, end))
  let fields: { name: string; dataTypeID: number }[] = []
  const rows: Record<string, unknown>[] = []
  let affectedRows = 0
  let rowCount: number | undefined
  for (const { type, start, end } of messageBounds(answer)) {
    let at = start + 5
    if (type === ROW_DESCRIPTION) {
      fields = []
      const count = view.getInt16(at)
      at += 2
      for (let index = 0; index < count; index++) {
        const nameEnd = answer.indexOf(0, at)
        // After the name: the table's oid and column, then the type's oid, size and modifier, and the format.
        fields.push({ name: text(at, nameEnd), dataTypeID: view.getInt32(nameEnd + 7) })
        at = nameEnd + 19
      }
    } else if (type === DATA_ROW) {
      const row: Record<string, unknown> = {}
      const count = view.getInt16(at)
      at += 2
      for (let index = 0; index < count; index++) {
        const length = view.getInt32(at)
        const value = length < 0 ? null : text(at + 4, at + 4 + length)
        at += 4 + Math.max(length, 0)
        const field = fields[index]
        const read: unknown = value === null ? null : (parsers[field.dataTypeID] ?? asText)(value, field.dataTypeID)
        // A column named __proto__ is a column, as in PGlite's rows, not the row's prototype.
        if (field.name === '__proto__') Object.defineProperty(row, field.name, { ...ownProperty, value: read })
        else row[field.name] = read
      }
      rows.push(row)
    } else if (type === COMMAND_COMPLETE) {
      const words = text(at, end - 1).split(' ')
      const count = parseInt(words.at(-1)!, 10)
      if (['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(words[0])) affectedRows += count
      if (!Number.isNaN(count)) rowCount = count
    }
  }
  return { rows: rows as R[], fields, affectedRows, ...(rowCount === undefined ? {} : { rowCount }) }
}

const asText = (value: string) => value
/** How `row[name] = value` makes a property, for the one name where assigning would not. */
const ownProperty = { enumerable: true, writable: true, configurable: true }

/** The messages of an answer as PGlite's protocol parser reads them: for its errors, and a statement's description. */
function messagesIn(bytes: Uint8Array): BackendMessage[] {
  const messages: BackendMessage[] = []
  new protocol.Parser().parse(bytes, (message) => messages.push(message))
  return messages
}

const ERROR_RESPONSE = 0x45
const ROW_DESCRIPTION = 0x54
const DATA_ROW = 0x44
const COMMAND_COMPLETE = 0x43

/** Where each message of an answer begins and ends: a type byte, then a length that counts itself. */
function* messageBounds(bytes: Uint8Array): Generator<{ type: number; start: number; end: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let start = 0; start < bytes.length;) {
    const end = start + 1 + view.getUint32(start + 1)
    yield { type: bytes[start], start, end }
    start = end
  }
}

/** PostgreSQL's error in an answer, if there is one, as `pglite.query` throws it. */
function errorIn(answer: Answer): Error | undefined {
  for (const { type, start, end } of messageBounds(answer))
    if (type === ERROR_RESPONSE) return messagesIn(answer.subarray(start, end))[0] as unknown as Error
  return undefined
}

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
  async run<R>(text: string, values: readonly unknown[], options: { againIfChanged: boolean }): Promise<Results<R>> {
    return resultOf<R>(await this.answer(text, values, options), this.#pglite.parsers)
  }

  /** As `run`, but its answer is left as PostgreSQL's messages, for another thread to read (`resultOf`). */
  answer(text: string, values: readonly unknown[], options: { againIfChanged: boolean }): Promise<Answer> {
    return this.#pglite._runExclusiveTransaction(() =>
      this.#pglite._runExclusiveQuery(async () => {
        try {
          return await this.#answer(text, values)
        } catch (error) {
          if (!(error instanceof protocol.messages.DatabaseError)) throw error
          if (changedResultType(error)) {
            this.#forget(text)
            if (options.againIfChanged) return this.#answer(text, values)
          }
          // The same fields as `pglite.query` puts on its errors.
          Object.assign(error, { query: text, params: values, queryOptions: undefined })
          throw error
        }
      }),
    )
  }

  async #answer(text: string, values: readonly unknown[]): Promise<Answer> {
    const statement = await this.#prepared(text)
    const answer = await this.#send(
      protocol.serialize.bind({ statement: statement.name, values: this.#serialised(statement, values) }),
      protocol.serialize.execute(),
      protocol.serialize.sync(),
    )
    return statement.rowDescription ? concatenated([statement.rowDescription, answer]) : answer
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
    const answer = await this.#send(
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    )
    const described = [...messageBounds(answer)].find((message) => message.type === ROW_DESCRIPTION)
    const statement = {
      name,
      parameterTypes: messagesIn(answer).find(isParameterDescription)?.dataTypeIDs ?? [],
      rowDescription: described && answer.slice(described.start, described.end),
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

  /**
   * PostgreSQL's answer as its bytes, not read into messages (as `execProtocol` would, here), or its error thrown
   * as `execProtocol` throws it. The chunks PGlite gives are views of its memory, so each is copied at once.
   */
  async #send(...parts: Uint8Array[]): Promise<Answer> {
    const chunks: Answer[] = []
    await this.#pglite.execProtocolRawStream(concatenated(parts), {
      syncToFs: false,
      onRawData: (chunk) => chunks.push(new Uint8Array(chunk)),
    })
    const answer = chunks.length === 1 ? chunks[0] : concatenated(chunks)
    const error = errorIn(answer)
    if (error) throw error
    return answer
  }
}

function changedResultType(error: { code?: string; message: string }): boolean {
  return error.code === '0A000' && error.message.includes('cached plan must not change result type')
}

function isParameterDescription(message: { name: string }): message is ParameterDescription {
  return message.name === 'parameterDescription'
}

function concatenated(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0))
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.length
  }
  return whole
}
