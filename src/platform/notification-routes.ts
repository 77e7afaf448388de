import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { HttpProblem, NotFound } from './errors.ts'
import type { Notifications } from './notifications.ts'
import { type AreaRoutes, actorOf } from './area.ts'

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
})
const NotificationParams = z.object({ id: z.uuid() })
/** When the list the button was on was drawn, as the page wrote it. */
const MarkAllForm = z.object({ drawnAt: z.iso.datetime() })

/** Each user's own notifications: nobody else's can be listed, opened or marked. */
export function registerNotificationRoutes(
  app: AreaRoutes,
  { db, notifications }: { db: Db; notifications: Notifications },
) {
  app.get(
    '/notifications',
    { schema: { querystring: ListQuery }, config: { permission: 'signed-in' } },
    async (request, reply) => {
      const query = request.query
      const drawn = await notifications.list(db, actorOf(request).id, query.page)
      const { notifications: list, hasMore } = drawn
      return reply.page('notifications.njk', {
        notifications: list,
        hasMore,
        page: query.page,
        drawnAt: drawn.drawnAt.toISOString(),
        allMarked: request.done?.word === 'all-read',
        newSince: request.done?.word === 'read-but-new',
      })
    },
  )

  // A GET, so the link works from the list without a form; opening only marks the user's own as read.
  app.get('/notifications/:id', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const parsed = NotificationParams.safeParse(request.params)
    if (!parsed.success) throw new NotFound()
    const href = await notifications.open(db, actorOf(request).id, parsed.data.id)
    if (!href) throw new NotFound()
    return reply.redirect(href, 303)
  })

  app.post('/notifications/read-all', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const form = MarkAllForm.safeParse(request.body)
    if (!form.success) throw new HttpProblem(400, 'Open your notifications again: the list was out of date')
    const cameSince = await notifications.markAllRead(db, actorOf(request).id, new Date(form.data.drawnAt))
    return reply.redirectWithNotice('/notifications', cameSince > 0 ? 'read-but-new' : 'all-read')
  })
}
