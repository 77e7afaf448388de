import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { givenDataDirectory } from '../../test/support/database.ts'
import { openDatabase, type DatabaseHandle } from './database.ts'
import { nextStatement } from './embedded-thread.ts'

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

  it('refuses a value it cannot send, and only that query', async () => {
    await assert.rejects(sql`select ${{ count: () => 1 }}::int`.execute(handle.db), /could not be cloned/)
    assert.ok((await codes()).length > 0)
  })
})
