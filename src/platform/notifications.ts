import type { Db } from '../db/database.ts'
import type { Clock } from './clock.ts'

export type NotificationInput = {
  /** Staff user ids; repeats are sent once. */
  recipientIds: readonly string[]
  establishmentCode: string
  /** What happened, area first: `concern.raised`, `care-plan.observation-overdue`. */
  kind: string
  /** The one-line text, as a message key with its parameters, so each reader sees it in their language. */
  messageKey: string
  params?: Record<string, string | number>
  /** Where it leads: a path inside Waymark. */
  href: string
}

export type Notifications = ReturnType<typeof createNotifications>

export const NOTIFICATIONS_PAGE_SIZE = 50

async function unreadCount(db: Db, recipientId: string): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/**
 * In-service notifications: a concern raised, an observation overdue. The text is a message key and
 * parameters rather than words, and holds no detail beyond what the page it links to shows its reader.
 */
export function createNotifications({ clock }: { clock: Clock }) {
  return {
    /** Stores one notification per recipient, in the caller's transaction: sent only if the change commits. */
    async notify(trx: Db, input: NotificationInput): Promise<number> {
      if (!input.href.startsWith('/') || input.href.startsWith('//'))
        throw new Error(`A notification must lead to a path inside Waymark, not ${input.href}`)
      const recipients = [...new Set(input.recipientIds)]
      if (recipients.length === 0) return 0
      await trx
        .insertInto('notification')
        .values(
          recipients.map((recipientId) => ({
            recipient_id: recipientId,
            establishment_code: input.establishmentCode,
            kind: input.kind,
            message_key: input.messageKey,
            params: JSON.stringify(input.params ?? {}),
            href: input.href,
            created_at: clock.now(),
          })),
        )
        .execute()
      return recipients.length
    },

    unreadCount,

    /** Newest first, a page at a time. */
    async list(db: Db, recipientId: string, page = 1) {
      const rows = await db
        .selectFrom('notification')
        .innerJoin('establishment', 'establishment.code', 'notification.establishment_code')
        .select([
          'notification.id',
          'notification.kind',
          'notification.message_key as messageKey',
          'notification.params',
          'notification.href',
          'notification.created_at as createdAt',
          'notification.read_at as readAt',
          'establishment.name as establishmentName',
        ])
        .where('notification.recipient_id', '=', recipientId)
        .orderBy('notification.created_at', 'desc')
        .orderBy('notification.id')
        .limit(NOTIFICATIONS_PAGE_SIZE + 1)
        .offset((page - 1) * NOTIFICATIONS_PAGE_SIZE)
        .execute()
      return {
        notifications: rows.slice(0, NOTIFICATIONS_PAGE_SIZE),
        hasMore: rows.length > NOTIFICATIONS_PAGE_SIZE,
        // What "mark all as read" from this list may mark: nothing that came after the reader saw it.
        drawnAt: clock.now(),
      }
    },

    /** Marks one of the recipient's own notifications read and says where it leads; undefined if not theirs. */
    async open(db: Db, recipientId: string, notificationId: string): Promise<string | undefined> {
      const row = await db
        .updateTable('notification')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(clock.now())) }))
        .where('id', '=', notificationId)
        .where('recipient_id', '=', recipientId)
        .returning('href')
        .executeTakeFirst()
      return row?.href
    },

    /**
     * Marks the recipient's notifications read, those sent up to when their list was drawn: an alert that came
     * while they read it (an observation overdue, a concern) stays unread. Answers how many unread came since.
     */
    async markAllRead(db: Db, recipientId: string, upTo: Date): Promise<number> {
      await db
        .updateTable('notification')
        .set({ read_at: clock.now() })
        .where('recipient_id', '=', recipientId)
        .where('read_at', 'is', null)
        .where('created_at', '<=', upTo)
        .execute()
      return unreadCount(db, recipientId)
    },
  }
}
