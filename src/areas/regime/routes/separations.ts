import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, type FieldError } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { nonAssociationLevels, nonAssociationReasons } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { formPageOf, registerFormPage } from '../../../platform/form-page.ts'
import { messagesOf, noticeOf, onePerField, TypedCode, type RegimeRoutesDeps } from './shared.ts'

const NonAssociationForm = z.object({
  otherPrisonNumber: TypedCode((value) => value.toUpperCase().replace(/\s+/g, ''), /^[A-Z][0-9]{4}[A-Z]{2}$/),
  reason: z.enum(nonAssociationReasons),
  level: z.enum(nonAssociationLevels),
  comment: z.string().trim().max(1000).default(''),
})
/** A prison number a page names to go back to; anything else goes back to the prison's list. */
const ReturnPrisonNumber = z
  .string()
  .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)
  .optional()
  .catch(undefined)
const CloseForm = z.object({ closeReason: z.string().trim().min(1).max(500), returnTo: ReturnPrisonNumber })
const ReturnFromQuery = z.object({ from: ReturnPrisonNumber })
const SeparationForm = z.object({ cohortA: z.string().max(40), cohortB: z.string().max(40) })
const IdParams = z.object({ id: z.string().uuid() })

/** R4: a person's non-associations: recording one, and closing one. */
export function registerPersonNonAssociationRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // Non-associations and cohorts (R4)

  registerFormPage(app, {
    path: '/people/:prisonNumber/non-associations',
    params: PersonParams,
    permission: 'regime.non-associations',
    show: formPageOf('regime/views/person-non-associations.njk', async (request, { prisonNumber }, sentBack) => {
      const view = await regime.viewPersonNonAssociations(actorOf(request), prisonNumber)
      return {
        ...view,
        reasons: nonAssociationReasons,
        levels: nonAssociationLevels,
        tabs: request.personTabs(view.person.prisonNumber, 'non-associations'),
        subPageTitle: request.t('regime.nonAssociation.title'),
        formOpen: Boolean(sentBack?.errors.length),
        notice: noticeOf(request),
      }
    }),
    form: NonAssociationForm,
    messages: messagesOf(NonAssociationForm, 'regime.nonAssociation.error'),
    save: (actor, { prisonNumber }, form) => regime.recordNonAssociation(actor, prisonNumber, form),
    onePerField: true,
    next: ({ prisonNumber }) => `/people/${prisonNumber}/non-associations`,
    done: 'non-association',
  })

  registerFormPage(app, {
    path: '/non-associations/:id/close',
    params: IdParams,
    permission: 'regime.non-associations',
    show: formPageOf('regime/views/close-non-association.njk', async (request, { id }) => ({
      row: await regime.findNonAssociationForClosing(actorOf(request), id),
      returnTo: ReturnFromQuery.parse(request.query).from ?? null,
    })),
    form: CloseForm,
    messages: { closeReason: 'regime.nonAssociation.error.closeReason' },
    save: (actor, { id }, form) => regime.closeNonAssociation(actor, id, form.closeReason),
    // Back to the person's page when closed from it, else to the prison's list.
    next: (_params, { returnTo }) => (returnTo ? `/people/${returnTo}/non-associations` : '/non-associations'),
    done: (_params, _form, { stale }) => (stale ? 'non-association-stale' : 'non-association-closed'),
  })
}

/** R4: the prison's open non-associations, and the cohorts that must not mix. */
export function registerPrisonNonAssociationRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  async function showPrisonNonAssociations(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await regime.viewPrisonNonAssociations(actorOf(request))
    return reply.page('regime/views/non-associations.njk', {
      ...view,
      canManageCohorts: hasPermission(actorOf(request).role, 'regime.manage-offer'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }
  app.get('/non-associations', { config: { permission: 'regime.non-associations' } }, async (request, reply) =>
    showPrisonNonAssociations(reply, request),
  )
  app.post(
    '/non-associations/cohort-separations',
    { config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const form = SeparationForm.safeParse(request.body)
      const refusals = form.success
        ? await regime.addCohortSeparation(actorOf(request), form.data.cohortA, form.data.cohortB)
        : [{ field: 'cohortA', messageKey: 'regime.separation.error.cohorts', values: {} }]
      if (refusals.length > 0)
        return showPrisonNonAssociations(reply.code(400), request, {
          errors: fieldErrors(request.t, refusals, onePerField),
          values: request.body,
        })
      return reply.redirectWithNotice('/non-associations', 'separation-added')
    },
  )
  app.post(
    '/non-associations/cohort-separations/remove',
    { config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { cohortA, cohortB } = SeparationForm.parse(request.body)
      await regime.removeCohortSeparation(actorOf(request), cohortA, cohortB)
      return reply.redirectWithNotice('/non-associations', 'separation-removed')
    },
  )
}
