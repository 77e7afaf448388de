import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { registerFormPost, type SentBack } from '../../../platform/form-page.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { immediateReviewReasons } from '../rules.ts'
import { Params, Text, localNow } from './forms.ts'
import { formPage, noticeOf, planUrl, render, riskNamer, type CarePlanRoutesDeps } from './pages.ts'

const OpenForm = z.object({ reason: Text(4000), concernId: z.string().max(40).optional() })
const concernIdOf = (body: unknown) => (body as { concernId?: string } | undefined)?.concernId || null

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
    sentBack?: SentBack,
  ) {
    const view = await carePlans.openForm(actorOf(request), prisonNumber, concernId)
    return formPage(clock, request, reply, 'open', view, sentBack)
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
  registerFormPost(app, {
    path: '/people/:prisonNumber/care-plans',
    params: PersonParams,
    permission: 'care-plans.open',
    // The concern it was opened from, if it was, stays with the form sent back.
    show: (request, reply, { prisonNumber }, sentBack) =>
      showOpen(request, reply, prisonNumber, concernIdOf(sentBack?.values), sentBack),
    form: OpenForm,
    messages: { reason: 'carePlans.open.error.reason' },
    save: (actor, { prisonNumber }, form) =>
      carePlans.openCarePlan(actor, prisonNumber, { reason: form.reason, concernId: form.concernId || null }),
    next: ({ prisonNumber }, _form, { carePlanId }) => planUrl(prisonNumber, carePlanId),
    done: 'opened',
  })

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
