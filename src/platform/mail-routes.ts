import type { Db } from '../db/database.ts'
import type { Audit } from './audit.ts'
import { OUTBOX_PAGE_SIZE, type MailOutbox } from './mail.ts'
import { PageQuery, pageLinks, readCountedPage, type Page } from './pagination.ts'
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
  // Every message, a page at a time: the newest 50 alone left a family's code out of sight once 50 more came.
  app.get(
    '/mail-outbox',
    { schema: { querystring: PageQuery }, config: { permission: 'mail.outbox' } },
    async (request, reply) => {
      const actor = actorOf(request)
      const read = (page: Page) => mail.list(db, actor.establishmentCodes, page)
      const { rows, total, page, pageCount } = await readCountedPage(read, request.query.page, OUTBOX_PAGE_SIZE)
      await audit.record(db, actor, { action: 'mail-outbox.viewed', details: { count: rows.length, page, total } })
      return reply.page('mail-outbox.njk', {
        messages: rows,
        page,
        pageCount,
        pageLink: pageLinks('/mail-outbox', {}),
      })
    },
  )
}
