import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { describeOnEachEngine, newTestPGlite } from '../../test/support/database.ts'
import { openDatabase, openPGlite } from './database.ts'
import { PreparedStatements } from './pglite-statements.ts'
import { namingPreparedStatements } from './prepared-statements.ts'

const databaseUrl = process.env.DATABASE_URL

describeOnEachEngine('a statement run again', (database) => {
  it('is prepared once on its connection', async () => {
    const prepared = await database.db.transaction().execute(async (trx) => {
      for (let lap = 0; lap < 3; lap++) await sql`select ${lap}::int as lap`.execute(trx)
      return (
        await sql<{
          statement: string
        }>`select statement from pg_prepared_statements where statement like '%as lap'`.execute(trx)
      ).rows
    })
    assert.deepEqual(prepared, [{ statement: 'select $1::int as lap' }])
  })

  it('gives the same rows, of the same types, as its first run', async () => {
    await sql`create table landing_kit (
      id int primary key, issued date, weight numeric, serial int8, contents json, sizes text[], signed boolean, note text
    )`.execute(database.db)
    await sql`insert into landing_kit values
      (1, '2026-03-01', 2.5, 9007199254740991, '{"towels": 2}', '{S,M}', true, null)`.execute(database.db)
    const read = () => sql`select * from landing_kit where id = ${1} and signed = ${true}`.execute(database.db)

    const first = await read()
    const second = await read()
    const third = await read()

    const expected = {
      id: 1,
      issued: '2026-03-01',
      weight: 2.5,
      serial: 9007199254740991,
      contents: { towels: 2 },
      sizes: ['S', 'M'],
      signed: true,
      note: null,
    }
    assert.deepEqual(first.rows, [expected])
    assert.deepEqual(second.rows, [expected])
    assert.deepEqual(third.rows, [expected])
  })

  it('fails with the same code and constraint each time', async () => {
    await sql`create table cell_key (id int primary key, tag text constraint cell_key_tag_unique unique)`.execute(
      database.db,
    )
    await sql`insert into cell_key values (${1}, ${'A1'})`.execute(database.db)
    for (let run = 0; run < 3; run++) {
      await assert.rejects(sql`insert into cell_key values (${2 + run}, ${'A1'})`.execute(database.db), {
        code: '23505',
        constraint: 'cell_key_tag_unique',
      })
    }
  })

  it('that PostgreSQL cannot parse is refused each time, and the next statement runs', async () => {
    for (let run = 0; run < 2; run++)
      await assert.rejects(sql`selec ${run}::int as lap`.execute(database.db), { code: '42601' })
    assert.deepEqual((await sql`select ${2}::int as lap`.execute(database.db)).rows, [{ lap: 2 }])
  })

  it('still runs after its table gains a column', async () => {
    await sql`create table wing_roll (id int primary key, wing text)`.execute(database.db)
    await sql`insert into wing_roll values (1, 'A')`.execute(database.db)
    const read = () => sql`select * from wing_roll where id = ${1}`.execute(database.db)
    for (let run = 0; run < 5; run++) await read()

    await sql`alter table wing_roll add column landing text default 'ones'`.execute(database.db)

    assert.deepEqual((await read()).rows, [{ id: 1, wing: 'A', landing: 'ones' }])
    assert.deepEqual((await read()).rows, [{ id: 1, wing: 'A', landing: 'ones' }])
  })

  it('still runs in a transaction after a statement in one failed and was rolled back', async () => {
    await sql`create table visit_slot (id int primary key, taken boolean)`.execute(database.db)
    const book = (id: number) => sql`insert into visit_slot values (${id}, ${true})`
    await book(1).execute(database.db)

    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await book(2).execute(trx)
        await book(1).execute(trx)
      }),
      { code: '23505' },
    )
    await database.db.transaction().execute(async (trx) => {
      await book(3).execute(trx)
      await book(4).execute(trx)
    })

    const { rows } = await sql<{ id: number }>`select id from visit_slot where taken = ${true} order by id`.execute(
      database.db,
    )
    assert.deepEqual(
      rows.map((row) => row.id),
      [1, 3, 4],
    )
  })
})

describe('statements named on PostgreSQL', { skip: databaseUrl ? false : 'no DATABASE_URL' }, () => {
  const preparedHere = sql<{ statement: string }>`select statement from pg_prepared_statements`

  it('are prepared once on a connection and run again from there', async () => {
    const handle = await openDatabase({ databaseUrl, poolSize: 1 })
    try {
      const prepared = await handle.db.transaction().execute(async (trx) => {
        for (let run = 0; run < 3; run++) await sql`select ${run}::int as run`.execute(trx)
        return (await preparedHere.execute(trx)).rows
      })
      assert.deepEqual(prepared, [{ statement: 'select $1::int as run' }])
    } finally {
      await handle.close()
    }
  })

  it('are at most so many, and leave out statements with many parameters', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: namingPreparedStatements(pool, { mostStatements: 3, mostParameters: 2 }) }),
    })
    try {
      const prepared = await db.transaction().execute(async (trx) => {
        for (let width = 1; width <= 6; width++) {
          const values = Array.from({ length: width }, (_, index) => index)
          const { rows } = await sql<{
            width: number
          }>`select cardinality(array[${sql.join(values)}]::int[]) as width`.execute(trx)
          assert.equal(rows[0].width, width)
        }
        await sql`select ${'third'}::text`.execute(trx)
        await sql`select ${'fourth'}::varchar`.execute(trx)
        return (await preparedHere.execute(trx)).rows.map((row) => row.statement).sort()
      })
      assert.deepEqual(prepared, [
        'select $1::text',
        'select cardinality(array[$1, $2]::int[]) as width',
        'select cardinality(array[$1]::int[]) as width',
      ])
    } finally {
      await db.destroy()
    }
  })
})

/** A PGlite of its own for one test, closed after it whatever happens. */
async function withPGlite(use: (pglite: PGlite) => Promise<void>): Promise<void> {
  const pglite = await newTestPGlite()
  try {
    await use(pglite)
  } finally {
    await pglite.close()
  }
}

describe('statements prepared on the embedded database', () => {
  const preparedHere = 'select statement from pg_prepared_statements order by statement'

  it('are the most recently used so many; one closed is prepared again when it runs', () =>
    withPGlite(async (pglite) => {
      const statements = new PreparedStatements(pglite, 2)
      const run = (wing: string) =>
        statements.run<{ wing: string }>(`select $1::text as wing_${wing}`, [wing], { againIfChanged: true })
      for (const wing of ['a', 'b', 'c', 'd']) await run(wing)
      await run('c')
      assert.deepEqual((await run('a')).rows, [{ wing_a: 'a' }])

      assert.equal(statements.size, 2)
      assert.deepEqual((await pglite.query(preparedHere)).rows, [
        { statement: 'select $1::text as wing_a' },
        { statement: 'select $1::text as wing_c' },
      ])
    }))

  it('give the same rows, names, types and counts as pglite.query, whatever the text and the column names', () =>
    withPGlite(async (pglite) => {
      const statements = new PreparedStatements(pglite)
      await pglite.exec('create table landing_note (id serial primary key, note text)')
      const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\0'))
      const name = fc.stringMatching(/^[a-zà-ÿ_ ]{1,20}$/)
      await fc.assert(
        fc.asyncProperty(fc.array(fc.option(text), { maxLength: 5 }), name, async (notes, column) => {
          const query = `select note as "${column}", id::int8 as number from landing_note where note = any($1) or note is null order by id`
          await pglite.exec('truncate landing_note')
          const inserted = await statements.run('insert into landing_note (note) select unnest($1::text[])', [notes], {
            againIfChanged: true,
          })
          assert.equal(inserted.affectedRows, notes.length)
          const ours = await statements.run(query, [notes.filter((note) => note !== null)], { againIfChanged: true })
          const theirs = await pglite.query(query, [notes.filter((note) => note !== null)])
          assert.deepEqual(ours.rows, theirs.rows)
          assert.deepEqual(ours.fields, theirs.fields)
          assert.equal(ours.affectedRows, theirs.affectedRows)
        }),
        { numRuns: 60 },
      )
    }))

  it('give an answer of many pieces, and a column named __proto__, as pglite.query gives them', () =>
    withPGlite(async (pglite) => {
      const statements = new PreparedStatements(pglite)
      // Thousands of rows come from PGlite in pieces of 8 KB that split rows and characters.
      const many = `select g as cell, repeat($1, g % 7) as "wing’s note" from generate_series(1, 3000) g`
      const ours = await statements.run(many, ['é€😀'], { againIfChanged: true })
      assert.equal(ours.rows.length, 3000)
      assert.deepEqual(ours.rows, (await pglite.query(many, ['é€😀'])).rows)
      const prototype = `select $1::jsonb as "__proto__", 'B' as wing`
      const row = (
        await statements.run<Record<string, unknown>>(prototype, ['{"landing": 2}'], { againIfChanged: true })
      ).rows[0]
      assert.deepEqual(row, (await pglite.query(prototype, ['{"landing": 2}'])).rows[0])
      assert.equal(Object.getPrototypeOf(row), Object.prototype)
    }))

  it('are named apart when two databases are opened on one PGlite', () =>
    withPGlite(async (pglite) => {
      const [first, second] = [openPGlite(pglite), openPGlite(pglite)]
      for (const handle of [first, second, first])
        assert.deepEqual((await sql<{ wing: string }>`select ${'A'}::text as wing`.execute(handle.db)).rows, [
          { wing: 'A' },
        ])
    }))

  it('run again, prepared afresh, after a table changed behind them, unless in a transaction', () =>
    withPGlite(async (pglite) => {
      const statements = new PreparedStatements(pglite)
      await pglite.exec(`create table wing_roll (id int primary key, wing text); insert into wing_roll values (1, 'A')`)
      const read = (againIfChanged: boolean) =>
        statements.run('select * from wing_roll where id = $1', [1], { againIfChanged })
      await read(true)

      await pglite.exec(`alter table wing_roll add column landing text default 'ones'`)
      assert.deepEqual((await read(true)).rows, [{ id: 1, wing: 'A', landing: 'ones' }])
      await pglite.exec(`alter table wing_roll drop column landing`)
      await assert.rejects(read(false), { code: '0A000', query: 'select * from wing_roll where id = $1' })
      assert.deepEqual((await read(false)).rows, [{ id: 1, wing: 'A' }])
    }))

  it('are forgotten when a statement changes a table, even in the same transaction', async () => {
    const pglite = await newTestPGlite()
    const handle = openPGlite(pglite)
    try {
      await sql`create table wing_roll (id int primary key, wing text)`.execute(handle.db)
      await sql`insert into wing_roll values (1, 'A')`.execute(handle.db)
      const read = (db: typeof handle.db) => sql`select * from wing_roll where id = ${1}`.execute(db)
      await read(handle.db)

      const rows = await handle.db.transaction().execute(async (trx) => {
        await sql`alter table wing_roll add column landing text default 'ones'`.execute(trx)
        return (await read(trx)).rows
      })

      assert.deepEqual(rows, [{ id: 1, wing: 'A', landing: 'ones' }])
    } finally {
      await handle.close()
    }
  })
})
