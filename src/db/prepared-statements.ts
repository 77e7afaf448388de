import { createHash } from 'node:crypto'
import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'

/**
 * How many statements a process names, and how many parameters a named statement may have. PostgreSQL
 * keeps a named statement for the connection's life and pg never closes one, so the names are bounded:
 * Kysely writes the same few hundred texts over and over, but a list of values (`where id in (...)`)
 * gives a new text for each length, and those stay unnamed past the bound.
 */
export type NamingLimits = { mostStatements: number; mostParameters: number }

const defaultLimits: NamingLimits = { mostStatements: 1000, mostParameters: 100 }

/**
 * The pool, for Kysely, with each statement that has parameters sent under a name made from its text, so
 * that from its second run on a connection PostgreSQL skips parsing, analysing and planning it. pg
 * prepares a named statement the first time it runs on a connection and binds it after that.
 */
export function namingPreparedStatements(pool: pg.Pool, limits: NamingLimits = defaultLimits): PostgresPool {
  const names = new StatementNames(limits)
  // Kysely keeps its connection for each client object it is given, so each client gets one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    connect: async () => {
      const client = await pool.connect()
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = namingClient(client, names)
        wrappers.set(client, wrapper)
      }
      return wrapper
    },
    end: () => pool.end(),
  }
}

function namingClient(client: pg.PoolClient, names: StatementNames): PostgresPoolClient {
  const query = async (text: string, values: unknown[]) => {
    const name = names.nameFor(text, values.length)
    if (!name) return client.query(text, values)
    try {
      return await client.query({ name, text, values })
    } catch (error) {
      if (!changedResultType(error)) throw error
      // A table the statement reads has changed its columns since the statement was named here (a
      // migration), and PostgreSQL refuses to run it again. Unnamed, it is planned afresh each time; out of a
      // transaction it can run again at once, but in one the transaction has failed and the caller must see it.
      names.stopNaming(text)
      if (client.getTransactionStatus() !== 'I') throw error
      return client.query(text, values)
    }
  }
  // Kysely passes a cursor only to a dialect given a cursor class (ours has none), and takes pg's results.
  return { query: query as unknown as PostgresPoolClient['query'], release: (destroy) => client.release(destroy) }
}

function changedResultType(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type')
}

class StatementNames {
  #limits: NamingLimits
  // The name each text was given, or null for a text that stays unnamed.
  #names = new Map<string, string | null>()
  #named = 0

  constructor(limits: NamingLimits) {
    this.#limits = limits
  }

  nameFor(text: string, parameterCount: number): string | undefined {
    if (parameterCount === 0 || parameterCount > this.#limits.mostParameters) return undefined
    const known = this.#names.get(text)
    if (known !== undefined) return known ?? undefined
    if (this.#named >= this.#limits.mostStatements) return undefined
    this.#named++
    const name = `waymark_${createHash('sha1').update(text).digest('hex')}`
    this.#names.set(text, name)
    return name
  }

  stopNaming(text: string): void {
    this.#names.set(text, null)
  }
}
