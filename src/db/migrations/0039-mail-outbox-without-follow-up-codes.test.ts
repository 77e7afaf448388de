import { after, it } from 'node:test'
import assert from 'node:assert/strict'
import { openPGlite } from '../database.ts'
import { emptyTemplate, newTestPGlite } from '../../../test/support/database.ts'
import { migrateToLatest, migrateUpTo } from '../migrate.ts'

/** Receipts already in the outbox lose the family's follow-up code; the rest of each mail is kept as it was. */
const database = openPGlite(await newTestPGlite(emptyTemplate()))
after(() => database.close())

it('takes the follow-up code out of receipts already waiting, in English and Welsh, and leaves other mail alone', async () => {
  const { db } = database
  await migrateUpTo(db, '0038-family-worry-not-held-here')
  const receipt = (lines: string[]) => lines.join('\n')
  const english = receipt(['Thank you.', '', 'Reference: W-AAAA-AAAA', 'Follow-up code: K7QP-2MXD', '', 'Go to …'])
  const welsh = receipt(['Diolch.', '', 'Cyfeirnod: W-BBBB-BBBB', 'Cod dilyn: R4TN-8WQZ', '', 'Ewch i …'])
  const other = 'A message that names no code.\nFollow-up code is a phrase here, not a line of its own.'
  await db
    .insertInto('mail_outbox' as never)
    .values(
      [english, welsh, other].map((body) => ({
        to_address: 'family@example.com',
        subject: 'Your worry',
        body,
        created_at: new Date('2026-12-01T10:00:00Z'),
      })),
    )
    .execute()
  await migrateToLatest(db)
  const bodies = (await db.selectFrom('mail_outbox').select(['body']).orderBy('body').execute()).map((row) => row.body)
  assert.deepEqual(
    bodies,
    [
      receipt(['Thank you.', '', 'Reference: W-AAAA-AAAA', '', 'Go to …']),
      receipt(['Diolch.', '', 'Cyfeirnod: W-BBBB-BBBB', '', 'Ewch i …']),
      other,
    ].sort(),
  )
})
