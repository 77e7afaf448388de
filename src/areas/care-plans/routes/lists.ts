import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { sendDownload } from '../../../platform/downloads.ts'
import { londonDate } from '../../../platform/dates.ts'
import { fieldErrors, type FieldError, isRefusal } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { defaultDeadlinePeriod, riskLevels } from '../rules.ts'
import { planLists, type DeadlinesView } from '../service.ts'
import { ukDate } from './forms.ts'
import { isoDateOf } from '../../../platform/date-input.ts'
import { render, riskNamer, type CarePlanRoutesDeps } from './pages.ts'

/** The deadlines page's period as typed; anything odd in the address reads as nothing typed. */
const DeadlinesQuery = z
  .object({ from: z.string().trim().max(20).default(''), to: z.string().trim().max(20).default('') })
  .catch({ from: '', to: '' })
const ListQuery = z.object({
  list: z.enum(planLists).catch('open').default('open'),
  risk: z.enum(riskLevels).optional().catch(undefined),
})

/** The lists behind the dashboard counts, the deadlines page, and the ACCT alerts export. */
export function registerListRoutes(app: AreaRoutes, { carePlans, clock }: CarePlanRoutesDeps) {
  // The lists behind the dashboard counts
  app.get(
    '/care-plans',
    { schema: { querystring: ListQuery }, config: { permission: 'care-plans.lists' } },
    async (request, reply) => {
      const { list, risk } = request.query
      const view = await carePlans.listPlans(actorOf(request), list, list === 'open' ? (risk ?? null) : null)
      return render(request, reply, 'lists', {
        ...view,
        list,
        risk: risk ?? null,
        lists: planLists,
        riskLevels,
        riskName: riskNamer(view.settings, request.language),
        canExport: hasPermission(actorOf(request).role, 'care-plans.export-alerts'),
      })
    },
  )

  // S3, M1: how often each deadline was met over a period, and the plans that missed one
  app.get(
    '/care-plans/deadlines',
    { schema: { querystring: DeadlinesQuery }, config: { permission: 'care-plans.lists' } },
    async (request, reply) => {
      const actor = actorOf(request)
      const typed = request.query
      const defaults = defaultDeadlinePeriod(londonDate(clock.now()))
      const asked = typed.from !== '' || typed.to !== ''
      const period = asked
        ? { fromOn: isoDateOf(typed.from), toOn: isoDateOf(typed.to) }
        : { fromOn: defaults.fromOn, toOn: defaults.toOn }
      const values = asked ? typed : { from: ukDate(period.fromOn), to: ukDate(period.toOn) }
      const page = (status: number, errors: FieldError[], view: DeadlinesView | null) =>
        render(request, reply.code(status), 'deadlines', {
          errors,
          values,
          view,
          canOpenPlan: hasPermission(actor.role, 'care-plans.view'),
          canOpenTab: hasPermission(actor.role, 'care-plans.view-summary'),
        })
      const unreadable = (['from', 'to'] as const)
        .filter((field) => !period[field === 'from' ? 'fromOn' : 'toOn'])
        .map((field) => ({ field, messageKey: 'carePlans.error.date' }))
      if (unreadable.length > 0) return page(400, fieldErrors(request.t, unreadable), null)
      const outcome = await carePlans.viewDeadlines(actor, period)
      if (isRefusal(outcome)) return page(400, fieldErrors(request.t, [outcome]), null)
      return page(200, [], outcome)
    },
  )

  // S3: the ACCT alerts export
  app.get('/care-plans/alerts.csv', { config: { permission: 'care-plans.export-alerts' } }, async (request, reply) => {
    const actor = actorOf(request)
    const { csv } = await carePlans.exportAlerts(actor)
    return sendDownload(reply, `acct-alerts-${actor.establishmentCode}.csv`, csv)
  })
  app.get('/care-plans/alerts.json', { config: { permission: 'care-plans.export-alerts' } }, async (request, reply) => {
    const actor = actorOf(request)
    const { alerts } = await carePlans.exportAlerts(actor)
    return reply.send({ establishmentCode: actor.establishmentCode, alerts })
  })
}
