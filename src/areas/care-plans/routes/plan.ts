import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { fieldErrors, schemaErrors, type FieldError, isRefusal } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { immediateReviewReasons } from '../rules.ts'
import { Params, Text, localNow } from './forms.ts'
import { formPage, noticeOf, planUrl, render, riskNamer, type CarePlanRoutesDeps } from './pages.ts'

const OpenForm = z.object({ reason: Text(4000), concernId: z.string().max(40).optional() })

/** The person's care plan tab, opening a plan, and the plan itself (as a page and in the API). */
export function registerPlanRoutes(app: AreaRoutes, { carePlans, clock }: CarePlanRoutesDeps) {
  // The person's care plan tab
  app.get(
    '/people/:prisonNumber/care-plans',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.view-summary' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const view = await carePlans.viewPersonCarePlans(actorOf(request), prisonNumber)
      return render(request, reply, 'person-care-plans', {
        ...view,
        riskName: riskNamer(view.settings, request.language),
        tabs: request.personTabs(view.person.prisonNumber, 'care-plans'),
        subPageTitle: request.t('carePlans.tab'),
      })
    },
  )

  // S3: opening a plan, from a concern or directly
  async function showOpen(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    concernId: string | null,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await carePlans.openForm(actorOf(request), prisonNumber, concernId)
    return formPage(clock, request, reply, 'open', view, extra)
  }
  app.get(
    '/people/:prisonNumber/care-plans/new',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.open' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const { concern } = z.object({ concern: z.string().max(40).optional() }).parse(request.query)
      return showOpen(request, reply, prisonNumber, concern ?? null)
    },
  )
  app.post(
    '/people/:prisonNumber/care-plans',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.open' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = OpenForm.safeParse(request.body)
      const concernId = (request.body as { concernId?: string } | undefined)?.concernId || null
      if (!form.success)
        return showOpen(request, reply.code(400), prisonNumber, concernId, {
          errors: schemaErrors(request.t, form.error, { reason: 'carePlans.open.error.reason' }),
          values: request.body,
        })
      const outcome = await carePlans.openCarePlan(actorOf(request), prisonNumber, {
        reason: form.data.reason,
        concernId,
      })
      if (isRefusal(outcome))
        return showOpen(request, reply.code(400), prisonNumber, concernId, {
          errors: fieldErrors(request.t, [outcome]),
          values: request.body,
        })
      return reply.redirect(`${planUrl(prisonNumber, outcome.carePlanId)}?done=opened`, 303)
    },
  )

  // S3: the plan
  app.get(
    '/people/:prisonNumber/care-plans/:id',
    { schema: { params: Params }, config: { permission: 'care-plans.view' } },
    async (request, reply) => {
      const { prisonNumber, id } = request.params
      const view = await carePlans.viewCarePlan(actorOf(request), prisonNumber, id)
      const actor = actorOf(request)
      return render(request, reply, 'plan', {
        ...view,
        riskName: riskNamer(view.settings, request.language),
        canRecord: hasPermission(actor.role, 'care-plans.record'),
        canReview: hasPermission(actor.role, 'care-plans.review'),
        immediateReviewReasons,
        tabs: request.personTabs(view.person.prisonNumber, 'care-plans'),
        subPageTitle: request.t('carePlans.tab'),
        notice: noticeOf(request),
        now: localNow(clock.now()),
        // The newest observations first; the whole record is a click away, not a page miles long.
        observationsShown: 20,
        showAllObservations:
          z.object({ observations: z.literal('all').optional().catch(undefined) }).parse(request.query).observations ===
          'all',
      })
    },
  )
  app.get(
    '/api/people/:prisonNumber/care-plans/:id',
    { schema: { params: Params }, config: { permission: 'care-plans.view' } },
    async (request) => {
      const { prisonNumber, id } = request.params
      return carePlans.viewCarePlan(actorOf(request), prisonNumber, id)
    },
  )
}
