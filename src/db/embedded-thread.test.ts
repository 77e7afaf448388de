import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { types } from '@electric-sql/pglite'
import { Kysely, sql } from 'kysely'
import { givenDataDirectory, newTestPGlite } from '../../test/support/database.ts'
import { openDatabase, openPGlite, pgliteParsers, type DatabaseHandle } from './database.ts'
import { nextStatement, openInThread } from './embedded-thread.ts'
import { PGliteDialect } from './pglite-dialect.ts'

describe('nextStatement: which statement the embedded database’s thread runs next', () => {
  const waiting = [{ session: 4 }, { session: 7 }, { session: 4 }, { session: 9 }]
  it('runs the oldest when no transaction is open, and none when nothing waits', () => {
    assert.equal(nextStatement(waiting, null), 0)
    assert.equal(nextStatement([], null), -1)
  })
  it('while a transaction is open, runs only its own statements, oldest first', () => {
    assert.equal(nextStatement(waiting, 7), 1)
    assert.equal(nextStatement(waiting, 9), 3)
  })
  it('waits for the transaction’s next statement rather than run another session’s', () => {
    assert.equal(nextStatement(waiting, 5), -1)
  })
})

describe('the embedded database on its data folder, in a thread of its own', () => {
  let folder: string
  let handle: DatabaseHandle
  const codes = async () =>
    (await handle.db.selectFrom('establishment').select('code').orderBy('code').execute()).map((row) => row.code)
  const prison = (code: string) => ({ code, name: `HMP ${code}`, function: 'reception' as const })

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'waymark-thread-'))
    await givenDataDirectory(path.join(folder, 'data'))
    handle = await openDatabase({ dataDirectory: path.join(folder, 'data') })
  })
  after(async () => {
    await handle.close()
    await rm(folder, { recursive: true, force: true })
  })

  it('keeps a transaction’s statements together: a read sent while it is open sees only what was committed', async () => {
    let readDuring: Promise<string[]> | undefined
    await handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('establishment').values(prison('TAA')).execute()
      // Sent from outside the transaction while it is open: it waits for the commit, and sees it.
      readDuring = codes()
      await new Promise((resolve) => setTimeout(resolve, 20))
      await trx.insertInto('establishment').values(prison('TAB')).execute()
    })
    assert.deepEqual(
      (await readDuring!).filter((code) => code.startsWith('TA')),
      ['TAA', 'TAB'],
    )
  })

  it('undoes a transaction that fails, and the statements that waited for it run after', async () => {
    const others: Promise<unknown>[] = []
    await assert.rejects(
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('establishment').values(prison('TBA')).execute()
        others.push(handle.db.insertInto('establishment').values(prison('TBB')).execute())
        throw new Error('the officer’s form was refused')
      }),
      /the officer’s form was refused/,
    )
    await Promise.all(others)
    assert.deepEqual(
      (await codes()).filter((code) => code.startsWith('TB')),
      ['TBB'],
    )
  })

  it('runs many transactions begun at once one after another, each whole', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        handle.db.transaction().execute(async (trx) => {
          const code = `TC${String.fromCharCode(65 + index)}`
          await trx.insertInto('establishment').values(prison(code)).execute()
          const { rows } = await sql<{
            n: number
          }>`select count(*)::int as n from establishment where code = ${code}`.execute(trx)
          assert.equal(rows[0].n, 1)
        }),
      ),
    )
    assert.equal((await codes()).filter((code) => code.startsWith('TC')).length, 20)
  })

  it('undoes to a savepoint inside a transaction, and commits the rest', async () => {
    const trx = await handle.db.startTransaction().execute()
    await trx.insertInto('establishment').values(prison('TEA')).execute()
    const afterFirst = await trx.savepoint('after_first').execute()
    await afterFirst.insertInto('establishment').values(prison('TEB')).execute()
    const back = await afterFirst.rollbackToSavepoint('after_first').execute()
    await back.commit().execute()
    assert.deepEqual(
      (await codes()).filter((code) => code.startsWith('TE')),
      ['TEA'],
    )
  })

  it('gives PostgreSQL’s error with its SQLSTATE and detail, and goes on answering', async () => {
    await handle.db.insertInto('establishment').values(prison('TDA')).execute()
    const refused = await handle.db
      .insertInto('establishment')
      .values(prison('TDA'))
      .execute()
      .then(
        () => assert.fail('a second establishment with the same code was stored'),
        (error: unknown) => error as { code?: string; message: string; detail?: string },
      )
    assert.equal(refused.code, '23505')
    assert.match(refused.message, /duplicate key/)
    assert.match(refused.detail ?? '', /TDA/)
    assert.ok((await codes()).includes('TDA'))
  })

  it('reads every kind of value in a row as PGlite in the same thread reads it, and counts the rows changed', async () => {
    // A parameter makes it a prepared statement, whose rows this thread reads from PostgreSQL's own messages.
    const values = sql<
      Record<string, unknown>
    >`select ${'B wing'}::text as wing, 3::int as cells, 9007199254740::int8 as big,
      2.5::numeric as hours, true as open, null::text as nothing, '2026-03-29'::date as on_day,
      '2026-03-29T00:30:00Z'::timestamptz as at, '{"landing": 2}'::jsonb as details, '{"a": [1]}'::json as raw,
      'f0e1d2c3-b4a5-4687-9809-a0b1c2d3e4f5'::uuid as id, array['A', 'B, C', null]::text[] as wings,
      array[1, 2]::int[] as counts, array['2026-01-01']::date[] as days, '\\x0102'::bytea as bytes,
      array['f0e1d2c3-b4a5-4687-9809-a0b1c2d3e4f5']::uuid[] as ids`
    const pglite = await newTestPGlite()
    try {
      assert.deepEqual((await values.execute(handle.db)).rows, (await values.execute(openPGlite(pglite).db)).rows)
    } finally {
      await pglite.close()
    }
    await handle.db
      .insertInto('establishment')
      .values([prison('TFA'), prison('TFB')])
      .execute()
    const changed = await handle.db
      .updateTable('establishment')
      .set({ name: 'HMP changed' })
      .where('code', 'in', ['TFA', 'TFB'])
      .executeTakeFirst()
    assert.equal(changed.numUpdatedRows, 2n)
  })

  it('refuses a value it cannot send, and only that query', async () => {
    await assert.rejects(sql`select ${{ count: () => 1 }}::int`.execute(handle.db), /could not be cloned/)
    assert.ok((await codes()).length > 0)
  })
})

describe('a transaction one of whose statements failed, on the embedded database', () => {
  let folder: string
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'waymark-aborted-'))
    await givenDataDirectory(path.join(folder, 'data'))
  })
  after(() => rm(folder, { recursive: true, force: true }))

  for (const engine of ['in this thread', 'in its own thread'] as const) {
    it(`is refused at its commit, not answered as saved, ${engine}`, async () => {
      const handle =
        engine === 'in this thread'
          ? openPGlite(await newTestPGlite())
          : await openDatabase({ dataDirectory: path.join(folder, 'data') })
      try {
        const stored = () => handle.db.selectFrom('establishment').select('code').where('code', 'like', 'TF%').execute()
        await handle.db
          .insertInto('establishment')
          .values({ code: 'TFA', name: 'HMP TFA', function: 'reception' })
          .execute()
        await assert.rejects(
          handle.db.transaction().execute(async (trx) => {
            await trx
              .insertInto('establishment')
              .values({ code: 'TFB', name: 'HMP TFB', function: 'reception' })
              .execute()
            // A caller that catches the failure and goes on: PostgreSQL has already given the transaction up.
            await trx
              .insertInto('establishment')
              .values({ code: 'TFA', name: 'HMP TFA', function: 'reception' })
              .execute()
              .catch(() => undefined)
          }),
          { name: 'AbortedTransactionError' },
        )
        assert.deepEqual(await stored(), [{ code: 'TFA' }])
        // The next transaction is a transaction of its own, and commits.
        await handle.db
          .transaction()
          .execute((trx) =>
            trx.insertInto('establishment').values({ code: 'TFC', name: 'HMP TFC', function: 'reception' }).execute(),
          )
        assert.deepEqual((await stored()).map((row) => row.code).sort(), ['TFA', 'TFC'])
      } finally {
        await handle.close()
      }
    })
  }
})

describe('a value the page’s thread cannot read from an answer', () => {
  it('is that query’s error alone, and the database goes on answering', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'waymark-thread-'))
    const unlucky = (value: string) => {
      if (value === '13') throw new Error('cell 13 cannot be read')
      return Number(value)
    }
    let thread: Awaited<ReturnType<typeof openInThread>> | undefined
    let db: Kysely<unknown> | undefined
    try {
      await givenDataDirectory(path.join(folder, 'data'))
      thread = await openInThread(path.join(folder, 'data'), { ...pgliteParsers, [types.INT4]: unlucky })
      db = new Kysely<unknown>({ dialect: new PGliteDialect(thread.driver) })
      await assert.rejects(sql`select ${13}::int as cell`.execute(db), /cell 13 cannot be read/)
      assert.deepEqual((await sql`select ${14}::int as cell`.execute(db)).rows, [{ cell: 14 }])
    } finally {
      await db?.destroy()
      await thread?.close()
      await rm(folder, { recursive: true, force: true })
    }
  })
})

describe('closing the embedded database’s thread', () => {
  it('lets a transaction under way finish first, and answers every call to close', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'waymark-close-'))
    try {
      const dataDirectory = path.join(folder, 'data')
      await givenDataDirectory(dataDirectory)
      const handle = await openDatabase({ dataDirectory })
      const saving = handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('establishment').values({ code: 'TGA', name: 'HMP TGA', function: 'reception' }).execute()
        await new Promise((resolve) => setTimeout(resolve, 100))
        await trx.insertInto('establishment').values({ code: 'TGB', name: 'HMP TGB', function: 'reception' }).execute()
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      await Promise.all([saving, handle.close(), handle.close()])
      const again = await openDatabase({ dataDirectory })
      try {
        const codes = await again.db.selectFrom('establishment').select('code').where('code', 'like', 'TG%').execute()
        assert.deepEqual(codes.map((row) => row.code).sort(), ['TGA', 'TGB'])
      } finally {
        await again.close()
      }
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
