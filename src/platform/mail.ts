import type { Db } from '../db/database.ts'
import { listTotal, type Page } from './pagination.ts'
import type { Clock } from './clock.ts'

export type MailMessage = { to: string; subject: string; body: string; establishmentCode: string | null }

/**
 * Sends mail for an area, in the caller's transaction, so a message exists only if the change it reports
 * does. Pluggable: the embedded mode keeps each message in the outbox, where administrators read it on
 * `/mail-outbox`; a relay for a real mail service would take the same messages from there.
 */
export type MailSender = { send: (trx: Db, message: MailMessage) => Promise<void> }

export const OUTBOX_PAGE_SIZE = 50

export function createMailOutbox({ clock }: { clock: Clock }) {
  return {
    async send(trx: Db, message: MailMessage): Promise<void> {
      await trx
        .insertInto('mail_outbox')
        .values({
          establishment_code: message.establishmentCode,
          to_address: message.to,
          subject: message.subject,
          body: message.body,
          created_at: clock.now(),
        })
        .execute()
    },

    /**
     * A page of the messages for the prisons an administrator works at, and those for no prison, newest first,
     * with how many there are in all.
     */
    async list(db: Db, establishmentCodes: readonly string[], page: Page) {
      return db
        .selectFrom('mail_outbox')
        .select(['id', 'to_address as to', 'subject', 'body', 'created_at as createdAt', listTotal])
        .where((eb) =>
          eb.or([
            eb('establishment_code', 'is', null),
            ...(establishmentCodes.length > 0 ? [eb('establishment_code', 'in', [...establishmentCodes])] : []),
          ]),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.size)
        .offset(page.offset)
        .execute()
    },
  } satisfies MailSender & Record<string, unknown>
}

export type MailOutbox = ReturnType<typeof createMailOutbox>
