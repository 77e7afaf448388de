import { after, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { openPGlite } from '../database.ts'
import { emptyTemplate, newTestPGlite } from '../../../test/support/database.ts'
import { migrateToLatest, migrateUpTo } from '../migrate.ts'

/** Worries kept before a worry could be closed as not held here stay open; a closure is recorded whole or not at all. */
const database = openPGlite(await newTestPGlite(emptyTemplate()))
after(() => database.close())

it('leaves each worry already kept open, and refuses a closure without who, when and a note, or of a matched worry', async () => {
  const { db } = database
  await migrateUpTo(db, '0037-family-worry-escalated')
  // Who matched it and whom it names do not matter here: their rows are not made.
  await sql`
    set session_replication_role = replica;
    insert into establishment (code, name, function) values ('BGI', 'HMP Bryn Glas', 'reception');
    insert into family_worry (id, establishment_code, reference, follow_up_code_hash, received_at, language, person_name,
      what_worries, how_soon, self_harm_risk, relationship, raiser_name, raiser_phone, may_tell_person, address_key,
      family_status_at, person_id)
    values
      ('00000000-0000-4000-8000-000000000001', 'BGI', 'W-AAAA-AAAA', 'h', now(), 'en', 'Dai', 'Worried', 'now', true,
        'Mother', 'Eirlys', '01632 960 001', true, 'k', now(), null),
      ('00000000-0000-4000-8000-000000000002', 'BGI', 'W-BBBB-BBBB', 'h', now(), 'en', 'Dai', 'Worried', 'now', true,
        'Mother', 'Eirlys', '01632 960 001', true, 'k', now(), gen_random_uuid());
    set session_replication_role = origin;
  `.execute(db)
  await migrateToLatest(db)
  const rows = await db
    .selectFrom('family_worry')
    .select(['reference', 'not_held_here_at', 'not_held_here_by', 'not_held_here_note'])
    .orderBy('reference')
    .execute()
  assert.deepEqual(
    rows.map((row) => [row.reference, row.not_held_here_at, row.not_held_here_by, row.not_held_here_note]),
    [
      ['W-AAAA-AAAA', null, null, null],
      ['W-BBBB-BBBB', null, null, null],
    ],
  )
  // Who closed it does not matter here either: replica mode leaves the staff member's row unchecked.
  await sql`set session_replication_role = replica`.execute(db)
  const close = (reference: string, values: { at?: Date; note?: string; by?: boolean }) =>
    sql`
      update family_worry set not_held_here_at = ${values.at ?? null}, not_held_here_note = ${values.note ?? null},
        not_held_here_by = ${values.by ? sql`gen_random_uuid()` : null}
      where reference = ${reference}
    `.execute(db)
  await assert.rejects(close('W-AAAA-AAAA', { at: new Date(), note: 'Not on the roll' }), /not_held_here_whole/)
  await assert.rejects(
    close('W-BBBB-BBBB', { at: new Date(), note: 'Not on the roll', by: true }),
    /not_held_here_unmatched/,
  )
  await close('W-AAAA-AAAA', { at: new Date(), note: 'Not on the roll', by: true })
})
