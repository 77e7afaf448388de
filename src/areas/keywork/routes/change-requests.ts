import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { formPageOf, registerFormPage } from '../../../platform/form-page.ts'
import { labelled, noticeOf, personPageFrame, type KeyworkRoutesOptions } from './shared.ts'

const ChangeRequestForm = z.object({ changeReason: z.string().trim().min(1).max(2000) })
const DecisionForm = z.object({
  outcome: z.enum(['agreed', 'declined']),
  outcomeReason: z.string().trim().min(1).max(2000),
})
const IdParams = z.object({ id: z.string().uuid() })

/** K2: a person asks for a different officer. */
export function registerChangeOfficerRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  registerFormPage(app, {
    path: '/people/:prisonNumber/change-officer',
    params: PersonParams,
    permission: 'keywork.raise-change-request',
    show: formPageOf('keywork/views/change-officer.njk', async (request, { prisonNumber }) => {
      const view = await keywork.viewChangeOfficer(actorOf(request), prisonNumber)
      return {
        ...view,
        ...personPageFrame(request, view, 'change-officer', 'keywork.changeRequest.title'),
        notice: noticeOf(request),
      }
    }),
    form: ChangeRequestForm,
    messages: { changeReason: 'keywork.changeRequest.error.reason' },
    // The form has one field: whatever the service refuses is said beside it.
    save: async (actor, { prisonNumber }, form) => {
      const refusal = await keywork.raiseChangeRequest(actor, prisonNumber, form.changeReason)
      return refusal && { ...refusal, field: 'changeReason' }
    },
    next: ({ prisonNumber }) => `/people/${prisonNumber}/change-officer`,
    done: 'change-requested',
  })
}

/** K2: safer custody decides the requests to change officer. */
export function registerChangeRequestRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  async function showChangeRequests(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown; errorId?: string } = {},
  ) {
    const view = await keywork.listChangeRequests(actorOf(request))
    return reply.page('keywork/views/change-requests.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      errorId: extra.errorId ?? null,
      notice: noticeOf(request),
    })
  }
  app.get(
    '/officer-change-requests',
    { config: { permission: 'keywork.review-change-request' } },
    async (request, reply) => showChangeRequests(request, reply),
  )
  app.get(
    '/api/officer-change-requests',
    { config: { permission: 'keywork.review-change-request' } },
    async (request) => keywork.listChangeRequests(actorOf(request)),
  )
  app.post(
    '/officer-change-requests/:id',
    { schema: { params: IdParams }, config: { permission: 'keywork.review-change-request' } },
    async (request, reply) => {
      const { id } = request.params
      const form = DecisionForm.safeParse(request.body)
      if (!form.success)
        return showChangeRequests(request, reply.code(400), {
          errors: schemaErrors(request.t, form.error, {
            outcome: { field: `outcome-${id}`, messageKey: 'keywork.changeRequests.error.outcome', values: {} },
            outcomeReason: {
              field: `outcomeReason-${id}`,
              messageKey: 'keywork.changeRequests.error.outcomeReason',
              values: {},
            },
          }),
          values: request.body,
          errorId: id,
        })
      await keywork.decideChangeRequest(actorOf(request), id, form.data.outcome, form.data.outcomeReason)
      return reply.redirectWithNotice('/officer-change-requests', 'decided')
    },
  )
}
