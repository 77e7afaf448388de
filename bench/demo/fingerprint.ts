/**
 * `npx node bench/demo/fingerprint.ts out.json [peopleAtFirst]`: builds the demo estate with every source of
 * chance pinned and writes each table's row count and an md5 of its rows, to compare a build before and after
 * a change (two runs of the same code give the same file). Unpinned, two builds differ: the database draws
 * uuids (and a care plan's id seeds its observation times), key work draws node's randomUUID, and the
 * allocator stops on the clock. Here the database's uuids come from sequences (one a table, so a step that
 * draws more or fewer moves no other table's ids; care plans draw theirs through gen_random_uuid itself),
 * node's randomUUID, randomBytes and randomInt from counters, and Date.now moves 0.05 ms a call. Left out:
 * columns that default to now(), and password hashes.
 */
import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import { writeFileSync } from 'node:fs'
import { sql } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { openPGlite, pgliteParsers } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { migratedTemplate } from '../../test/support/database.ts'

let uuids = 0
;(crypto as unknown as { randomUUID: () => string }).randomUUID = () =>
  `ffffffff-0000-4000-8000-${String(++uuids).padStart(12, '0')}`
let draws = 0
const pinned = crypto as unknown as Record<string, unknown>
pinned.randomBytes = (size: number) => Buffer.alloc(size, ++draws % 256)
pinned.randomInt = (a: number, b?: number) => (b === undefined ? ++draws % a : a + (++draws % (b - a)))
syncBuiltinESMExports()
let ticks = 1_800_000_000_000
Date.now = () => (ticks += 0.05)
const { seedDemoEstate } = await import('../../src/demo/seed.ts')

const pglite = await PGlite.create({ loadDataDir: await migratedTemplate(), parsers: pgliteParsers })
const handle = openPGlite(pglite)
await migrateToLatest(handle.db)
const db = handle.db
await sql`create sequence demo_uuid`.execute(db)
await sql`create function public.gen_random_uuid() returns uuid language sql volatile as $$ select lpad(to_hex(nextval('demo_uuid')), 32, '0')::uuid $$`.execute(
  db,
)
const defaults = await sql<{ table_name: string; column_name: string }>`
  select table_name, column_name from information_schema.columns
  where table_schema = 'public' and column_default like 'gen_random_uuid()%'`.execute(db)
// Each table draws its ids from a sequence of its own, so a step that draws more or fewer does not move the
// ids of the tables written after it; care plans draw from the shared gen_random_uuid, as the new build asks it.
for (const { table_name, column_name } of defaults.rows) {
  if (table_name === 'care_plan') {
    await sql`alter table care_plan alter column id set default public.gen_random_uuid()`.execute(db)
    continue
  }
  await sql`create sequence ${sql.id(`uuid_${table_name}`)}`.execute(db)
  await sql`alter table ${sql.table(table_name)} alter column ${sql.ref(column_name)} set default lpad(to_hex(nextval(${sql.lit(`uuid_${table_name}`)}::regclass)), 32, '0')::uuid`.execute(
    db,
  )
}
await sql`set search_path = public, pg_catalog`.execute(db)
const started = performance.now()
await seedDemoEstate(db, {
  seed: 1,
  today: '2026-11-25',
  peopleAtFirst: process.argv[3] ? Number(process.argv[3]) : undefined,
  environment: 'development',
})
console.log('seeded in', ((performance.now() - started) / 1000).toFixed(1), 's; uuids from node', uuids)
const changing = await sql<{ table_name: string; column_name: string }>`
  select table_name, column_name from information_schema.columns
  where table_schema = 'public' and (column_default ilike '%now()%' or column_default ilike '%current_timestamp%' or column_name = 'password_hash')`.execute(
  db,
)
const tables = await sql<{ table_name: string }>`
  select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(
  db,
)
const out: Record<string, unknown> = { excluded: changing.rows.map((r) => `${r.table_name}.${r.column_name}`) }
for (const { table_name } of tables.rows) {
  const drop = changing.rows.filter((r) => r.table_name === table_name).map((r) => r.column_name)
  const {
    rows: [row],
  } = await sql<{ rows: number; md5: string }>`
    select count(*)::int as rows, md5(string_agg(j::text, E'\n' order by j::text)) as md5
    from (select to_jsonb(t) - ${sql.val(drop)}::text[] as j from ${sql.table(table_name)} t) x`.execute(db)
  out[table_name] = row
}
writeFileSync(process.argv[2], JSON.stringify(out, null, 1))
await handle.close()
