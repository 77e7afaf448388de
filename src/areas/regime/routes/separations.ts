import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { nonAssociationLevels, nonAssociationReasons } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { noticeOf, onePerField, type RegimeRoutesDeps } from './shared.ts'

const NonAssociationForm = z.object({
  otherPrisonNumber: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase().replace(/\s+/g, ''))
    .pipe(z.string().regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)),
  reason: z.enum(nonAssociationReasons),
  level: z.enum(nonAssociationLevels),
  comment: z.string().trim().max(1000).default(''),
})
const CloseForm = z.object({ closeReason: z.string().trim().min(1).max(500) })
const SeparationForm = z.object({ cohortA: z.string().max(40), cohortB: z.string().max(40) })
const IdParams = z.object({ id: z.string().uuid() })

/** R4: a person's non-associations: recording one, and closing one. */
export function registerPersonNonAssociationRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // -------------------------------------------------------------------------------------------------------
  // Non-associations and cohorts (R4)

  async function showPersonNonAssociations(
    reply: FastifyReply,
    request: FastifyRequest,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await regime.viewPersonNonAssociations(actorOf(request), prisonNumber)
    return reply.header('cache-control', 'no-store').page('regime/views/person-non-associations.njk', {
      ...view,
      reasons: nonAssociationReasons,
      levels: nonAssociationLevels,
      tabs: request.personTabs(view.person.prisonNumber, 'non-associations'),
      subPageTitle: request.t('regime.nonAssociation.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      formOpen: Boolean(extra.errors?.length),
      notice: noticeOf(request),
    })
  }
  app.get(
    '/people/:prisonNumber/non-associations',
    { schema: { params: PersonParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showPersonNonAssociations(reply, request, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/non-associations',
    { schema: { params: PersonParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = NonAssociationForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(
            request.t,
            await regime.recordNonAssociation(actorOf(request), prisonNumber, form.data),
            onePerField,
          )
        : schemaErrors(request.t, form.error, {
            otherPrisonNumber: 'regime.nonAssociation.error.otherPrisonNumber',
            reason: 'regime.nonAssociation.error.reason',
            level: 'regime.nonAssociation.error.level',
            comment: 'regime.nonAssociation.error.comment',
          })
      if (errors.length > 0)
        return showPersonNonAssociations(reply.code(400), request, prisonNumber, { errors, values: request.body })
      return reply.redirect(`/people/${prisonNumber}/non-associations?done=non-association`, 303)
    },
  )

  async function showClose(
    reply: FastifyReply,
    request: FastifyRequest,
    id: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const row = await regime.findNonAssociationForClosing(actorOf(request), id)
    return reply.page('regime/views/close-non-association.njk', {
      row,
      returnTo:
        z
          .object({
            from: z
              .string()
              .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)
              .optional()
              .catch(undefined),
          })
          .parse(request.query).from ?? null,
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    })
  }
  app.get(
    '/non-associations/:id/close',
    { schema: { params: IdParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { id } = request.params
      return showClose(reply, request, id)
    },
  )
  app.post(
    '/non-associations/:id/close',
    { schema: { params: IdParams }, config: { permission: 'regime.non-associations' } },
    async (request, reply) => {
      const { id } = request.params
      const form = CloseForm.safeParse(request.body)
      if (!form.success)
        return showClose(reply.code(400), request, id, {
          errors: fieldErrors(request.t, [
            { field: 'closeReason', messageKey: 'regime.nonAssociation.error.closeReason', values: {} },
          ]),
          values: request.body,
        })
      const { stale } = await regime.closeNonAssociation(actorOf(request), id, form.data.closeReason)
      const from = z
        .object({
          returnTo: z
            .string()
            .regex(/^[A-Z][0-9]{4}[A-Z]{2}$/)
            .optional()
            .catch(undefined),
        })
        .parse(request.body).returnTo
      const done = stale ? 'non-association-stale' : 'non-association-closed'
      return reply.redirect(
        from ? `/people/${from}/non-associations?done=${done}` : `/non-associations?done=${done}`,
        303,
      )
    },
  )
}

/** R4: the prison's open non-associations, and the cohorts that must not mix. */
export function registerPrisonNonAssociationRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  async function showPrisonNonAssociations(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await regime.viewPrisonNonAssociations(actorOf(request))
    return reply.header('cache-control', 'no-store').page('regime/views/non-associations.njk', {
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
      return reply.redirect('/non-associations?done=separation-added', 303)
    },
  )
  app.post(
    '/non-associations/cohort-separations/remove',
    { config: { permission: 'regime.manage-offer' } },
    async (request, reply) => {
      const { cohortA, cohortB } = SeparationForm.parse(request.body)
      await regime.removeCohortSeparation(actorOf(request), cohortA, cohortB)
      return reply.redirect('/non-associations?done=separation-removed', 303)
    },
  )
}
