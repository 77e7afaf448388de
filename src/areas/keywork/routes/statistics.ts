import { z } from 'zod'
import { pageLinks } from '../../../platform/pagination.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { labelled, type KeyworkRoutesOptions } from './shared.ts'

const periods = [7, 28, 91] as const
const StatisticsQuery = z.object({
  days: z.coerce
    .number()
    .refine((value) => (periods as readonly number[]).includes(value))
    .catch(28)
    .default(28),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  officers: z.enum(['all']).optional().catch(undefined),
})

/** K1, J2, M1: the key worker statistics and progress meetings. */
export function registerStatisticsRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  app.get(
    '/dedicated-officers/statistics',
    { schema: { querystring: StatisticsQuery }, config: { permission: 'keywork.view-statistics' } },
    async (request, reply) => {
      const { days, page, officers } = request.query
      const view = await keywork.statistics(actorOf(request), days, page, { allOfficers: officers === 'all' })
      const progressMeetings = await keywork.progressMeetings(actorOf(request))
      // Each page's address keeps the period; the officers listed one way or the other keep the page too.
      const linkListing = (listing: 'all' | undefined) =>
        pageLinks('/dedicated-officers/statistics', { days: String(days), officers: listing })
      const listingOfficers = (listing: 'all' | undefined) =>
        `${linkListing(listing)(view.pastFirstContact.page)}#by-officer`
      return reply.page('keywork/views/statistics.njk', {
        ...view,
        ...labelled(view.policy, request.language),
        days,
        periods,
        pageLink: linkListing(officers),
        officersChoice: officers ?? '',
        officersLinks: { all: listingOfficers('all'), lowest: listingOfficers(undefined) },
        progressMeetings,
        canViewKeyWork: hasPermission(actorOf(request).role, 'keywork.view'),
      })
    },
  )
}
