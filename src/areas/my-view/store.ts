import type { Db } from '../../db/database.ts'
import { endPersonAccountSessions } from '../../platform/sessions.ts'

/** C1: closes the person's own account, if open; the id of the account closed, or null when none was open. */
export async function closeAccountOf(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .updateTable('person_account')
    .set({ is_active: false })
    .where('person_id', '=', personId)
    .where('is_active', '=', true)
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/** C1: ends every sign-in session of the person's own account; how many there were. Sessions are platform's. */
export async function endSessionsOf(db: Db, personId: string): Promise<number> {
  const accounts = await db.selectFrom('person_account').select('id').where('person_id', '=', personId).execute()
  return endPersonAccountSessions(
    db,
    accounts.map((account) => account.id),
  )
}
