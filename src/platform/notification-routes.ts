import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { NotFound } from './errors.ts'
import type { Notifications } from './notifications.ts'

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  allRead: z.string().max(5).optional().catch(undefined),
})
const NotificationParams = z.object({ id: z.uuid() })

/** Each user's own notifications: nobody else's can be listed, opened or marked. */
export function registerNotificationRoutes(
  app: FastifyInstance,
  { db, notifications }: { db: Db; notifications: Notifications },
) {
  app.get('/notifications', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const query = ListQuery.parse(request.query)
    const { notifications: list, hasMore } = await notifications.list(db, request.actor!.id, query.page)
    return reply.page('notifications.njk', {
      notifications: list,
      hasMore,
      page: query.page,
      allMarked: Boolean(query.allRead),
    })
  })

  // A GET, so the link works from the list without a form; opening only marks the user's own as read.
  app.get('/notifications/:id', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const parsed = NotificationParams.safeParse(request.params)
    if (!parsed.success) throw new NotFound()
    const href = await notifications.open(db, request.actor!.id, parsed.data.id)
    if (!href) throw new NotFound()
    return reply.redirect(href, 303)
  })

  app.post('/notifications/read-all', { config: { permission: 'signed-in' } }, async (request, reply) => {
    await notifications.markAllRead(db, request.actor!.id)
    return reply.redirect('/notifications?allRead=1', 303)
  })
}
