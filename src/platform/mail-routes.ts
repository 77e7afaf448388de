import type { Db } from '../db/database.ts'
import type { Audit } from './audit.ts'
import type { MailOutbox } from './mail.ts'
import type { NavigationItem } from './navigation.ts'
import { type AreaRoutes, actorOf } from './area.ts'

export const mailOutboxNavigation: readonly NavigationItem[] = [
  { messageKey: 'mail.navigation', href: '/mail-outbox', permission: 'mail.outbox' },
]

/**
 * Issue 14: in the embedded mode Waymark sends no mail itself; each message waits in the outbox, and an
 * administrator reads it here (to pass on by hand, or to check what a family was sent). Each reading audited.
 */
export function registerMailOutboxRoutes(
  app: AreaRoutes,
  { db, mail, audit }: { db: Db; mail: MailOutbox; audit: Audit },
) {
  app.get('/mail-outbox', { config: { permission: 'mail.outbox' } }, async (request, reply) => {
    const actor = actorOf(request)
    const messages = await mail.list(db, actor.establishmentCodes)
    await audit.record(db, actor, { action: 'mail-outbox.viewed', details: { count: messages.length } })
    return reply.page('mail-outbox.njk', { messages })
  })
}
