import type { Db } from '../../../db/database.ts'

/** A person's own account as staff see it: never its password or code. */
export async function ownAccountOf(db: Db, personId: string) {
  return db
    .selectFrom('person_account')
    .select([
      'id',
      'username',
      'is_active as isActive',
      'must_choose_password as mustChoosePassword',
      'code_expires_at as codeExpiresAt',
      'issued_at as issuedAt',
    ])
    .where('person_id', '=', personId)
    .executeTakeFirst()
}

export async function isUsernameTaken(db: Db, username: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('person_account')
    .select('id')
    .where('username', '=', username)
    .where('person_id', '!=', personId)
    .executeTakeFirst()
  return Boolean(row)
}

/**
 * Opens the person's account with a code as its password (or gives the account they have a new one, opening
 * it again after a release): one person, one account, whatever prison they are in.
 */
export async function issueAccount(
  db: Db,
  issue: { personId: string; username: string; codeHash: string; expiresAt: Date; issuedAt: Date; issuedBy: string },
): Promise<string> {
  const row = await db
    .insertInto('person_account')
    .values({
      person_id: issue.personId,
      username: issue.username,
      password_hash: issue.codeHash,
      must_choose_password: true,
      code_expires_at: issue.expiresAt,
      issued_at: issue.issuedAt,
      issued_by: issue.issuedBy,
    })
    .onConflict((conflict) =>
      conflict.column('person_id').doUpdateSet({
        password_hash: issue.codeHash,
        must_choose_password: true,
        code_expires_at: issue.expiresAt,
        issued_at: issue.issuedAt,
        issued_by: issue.issuedBy,
        is_active: true,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The person's own password, chosen at their first sign-in: the slip's code is spent. */
export async function choosePassword(db: Db, accountId: string, passwordHash: string) {
  await db
    .updateTable('person_account')
    .set({ password_hash: passwordHash, must_choose_password: false, code_expires_at: null })
    .where('id', '=', accountId)
    .execute()
}
