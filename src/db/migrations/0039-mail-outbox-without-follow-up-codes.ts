import { sql, type Kysely } from 'kysely'

/**
 * A family's follow-up code is shown once, to them: the receipt mailed to them no longer carries it, and receipts
 * already waiting in the mail outbox, which administrators read, lose its line ("Follow-up code: …", in Welsh
 * "Cod dilyn: …"). The reference stays, with where to use it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update mail_outbox
    set body = regexp_replace(body, '\n(Follow-up code|Cod dilyn): [^\n]*', '', 'g')
    where body ~ '\n(Follow-up code|Cod dilyn): '
  `.execute(db)
}
