import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { fieldErrors, isRefusal, schemaErrors, type FieldError } from '../../platform/forms.ts'
import type { Translate } from '../../platform/i18n.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { journeyMessages } from './messages.ts'
import { journeyStages, responsibilityGapKinds } from './rules.ts'
import type { JourneyService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { pageLinks } from '../../platform/pagination.ts'

export const journeyNavigation: readonly NavigationItem[] = [
  { messageKey: 'gaps.navigation', href: '/responsibility-gaps', permission: 'journey.view-gaps' },
  { messageKey: 'handovers.navigation', href: '/handovers', permission: 'handover.manage' },
  { messageKey: 'accountability.navigation', href: '/accountability', permission: 'journey.view' },
]

export const journeyTab: PersonTab = { messageKey: 'journey.tab', path: 'journey', permission: 'journey.view' }

/** Each message is a key the page translates. */
const StageForm = z.object({
  stage: z.enum(journeyStages, { message: 'journey.error.stage' }),
  responsible: z.string().max(40).optional().default(''),
  reason: z.string().trim().min(1, 'journey.error.reason').max(500, 'journey.error.reasonLong'),
})

const HandoverForm = z.object({
  to: z.string().min(1, 'handover.error.to').max(10, 'handover.error.to'),
  risks: z.string().trim().min(1, 'handover.error.risks').max(2000, 'handover.error.long'),
  wishes: z.string().trim().max(2000, 'handover.error.long').optional().default(''),
})

const AcknowledgeForm = z.object({
  responsible: z.string().min(1, 'journey.error.responsible').max(40, 'journey.error.responsible'),
  note: z.string().trim().max(500, 'journey.error.reasonLong').optional().default(''),
})

const RefuseForm = z.object({
  refusalReason: z.string().trim().min(1, 'handover.error.refusalReason').max(2000, 'handover.error.long'),
})

const GapsQuery = z.object({
  gap: z.enum(responsibilityGapKinds).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
})

const HandoverParams = z.object({ handoverId: z.string().max(40) })

/**
 * Each check's message is a key of this area's catalogue. zod's own English (for a field missing or sent
 * twice) is not one, so it never reaches `t()`: the platform's general message stands in for it.
 */
function formErrors(error: z.ZodError, t: Translate): FieldError[] {
  const messageKeys: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!Object.hasOwn(messageKeys, field) && Object.hasOwn(journeyMessages.en, issue.message))
      messageKeys[field] = issue.message
  }
  return schemaErrors(t, error, messageKeys)
}

export function registerJourneyRoutes(app: AreaRoutes, { journey }: { journey: JourneyService }) {
  registerStageRoutes(app, journey)
  registerHandoverRoutes(app, journey)
}

/** J1, J4: a person's journey and its next stage, the gaps in responsibility, and who holds what. */
function registerStageRoutes(app: AreaRoutes, journey: JourneyService) {
  async function showJourney(
    reply: FastifyReply,
    actor: Actor,
    prisonNumber: string,
    errors: FieldError[] = [],
    values: Record<string, unknown> = {},
  ) {
    const view = await journey.viewJourney(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('journey/views/journey.njk', {
      ...view,
      tabs: reply.request.personTabs(view.person.prisonNumber, 'journey'),
      canRecord: hasPermission(actor.role, 'journey.record-stage'),
      canHandOver: hasPermission(actor.role, 'handover.manage'),
      errors,
      values,
    })
  }

  app.get(
    '/people/:prisonNumber/journey',
    { schema: { params: PersonParams }, config: { permission: 'journey.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showJourney(reply, actorOf(request), prisonNumber)
    },
  )

  app.get(
    '/api/people/:prisonNumber/journey',
    { schema: { params: PersonParams }, config: { permission: 'journey.view' } },
    async (request) => {
      const { prisonNumber } = request.params
      const view = await journey.viewJourney(actorOf(request), prisonNumber)
      return {
        prisonNumber: view.person.prisonNumber,
        responsibility: view.responsibility,
        stages: view.stages.map((stage) => ({
          stage: stage.stage,
          establishmentCode: stage.establishmentCode,
          responsibleStaffUserId: stage.responsibleStaffUserId,
          responsibleName: stage.responsibleName,
          startedAt: stage.startedAt,
          endedAt: stage.endedAt,
          reason: stage.reasonKey ? request.t(`journey.reason.${stage.reasonKey}`) : stage.reason,
          reasonKey: stage.reasonKey,
        })),
        pendingHandoverId: view.pendingHandover?.id ?? null,
      }
    },
  )

  app.post(
    '/people/:prisonNumber/journey',
    { schema: { params: PersonParams }, config: { permission: 'journey.record-stage' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = StageForm.safeParse(request.body)
      let errors: FieldError[] = []
      if (!form.success) errors = formErrors(form.error, request.t)
      else {
        const refusal = await journey.recordStage(actorOf(request), prisonNumber, {
          stage: form.data.stage,
          responsibleStaffUserId: form.data.responsible || null,
          reason: form.data.reason,
        })
        if (refusal) errors = fieldErrors(request.t, [refusal])
      }
      if (errors.length > 0)
        return showJourney(
          reply.code(400),
          actorOf(request),
          prisonNumber,
          errors,
          request.body as Record<string, unknown>,
        )
      return reply.redirect(`/people/${encodeURIComponent(prisonNumber.toUpperCase())}/journey`, 303)
    },
  )

  app.get(
    '/responsibility-gaps',
    { schema: { querystring: GapsQuery }, config: { permission: 'journey.view-gaps' } },
    async (request, reply) => {
      const query = request.query
      const view = await journey.listGaps(actorOf(request), query)
      return reply.header('cache-control', 'no-store').page('journey/views/gaps.njk', {
        ...view,
        gapKind: query.gap ?? '',
        gapKinds: responsibilityGapKinds,
        pageLink: pageLinks('/responsibility-gaps', { gap: query.gap }),
      })
    },
  )

  app.get('/accountability', { config: { permission: 'journey.view' } }, async (request, reply) => {
    const map = await journey.accountability(actorOf(request))
    return reply.page('journey/views/accountability.njk', map)
  })
}

/** J3: a transfer's handover: started by the sending prison, answered or chased by either. */
function registerHandoverRoutes(app: AreaRoutes, journey: JourneyService) {
  async function showHandoverForm(
    reply: FastifyReply,
    actor: Actor,
    prisonNumber: string,
    errors: FieldError[] = [],
    values: Record<string, unknown> = {},
  ) {
    const view = await journey.handoverForm(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('journey/views/start-handover.njk', {
      ...view,
      tabs: reply.request.personTabs(view.person.prisonNumber, 'journey'),
      errors,
      values,
    })
  }

  app.get(
    '/people/:prisonNumber/handover',
    { schema: { params: PersonParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showHandoverForm(reply, actorOf(request), prisonNumber)
    },
  )

  app.post(
    '/people/:prisonNumber/handover',
    { schema: { params: PersonParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = HandoverForm.safeParse(request.body)
      let errors: FieldError[]
      if (!form.success) errors = formErrors(form.error, request.t)
      else {
        const outcome = await journey.startHandover(actorOf(request), prisonNumber, {
          toEstablishmentCode: form.data.to,
          risks: form.data.risks,
          personsWishes: form.data.wishes,
        })
        if (!isRefusal(outcome)) return reply.redirect(`/handovers/${outcome.handoverId}`, 303)
        errors = fieldErrors(request.t, [outcome])
      }
      return showHandoverForm(
        reply.code(400),
        actorOf(request),
        prisonNumber,
        errors,
        request.body as Record<string, unknown>,
      )
    },
  )

  app.get('/handovers', { config: { permission: 'handover.manage' } }, async (request, reply) => {
    const handovers = await journey.listHandovers(actorOf(request))
    return reply.header('cache-control', 'no-store').page('journey/views/handovers.njk', handovers)
  })

  async function showHandover(
    reply: FastifyReply,
    actor: Actor,
    handoverId: string,
    errors: FieldError[] = [],
    values: Record<string, unknown> = {},
  ) {
    const view = await journey.viewHandover(actor, handoverId)
    return reply.header('cache-control', 'no-store').page('journey/views/handover.njk', { ...view, errors, values })
  }

  app.get(
    '/handovers/:handoverId',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { handoverId } = request.params
      return showHandover(reply, actorOf(request), handoverId)
    },
  )

  app.post(
    '/handovers/:handoverId/acknowledge',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { handoverId } = request.params
      const form = AcknowledgeForm.safeParse(request.body)
      let errors: FieldError[]
      if (!form.success) errors = formErrors(form.error, request.t)
      else {
        const refusal = await journey.acknowledgeHandover(actorOf(request), handoverId, {
          responsibleStaffUserId: form.data.responsible,
          reason: form.data.note,
        })
        if (!refusal) return reply.redirect(`/handovers/${handoverId}`, 303)
        errors = fieldErrors(request.t, [refusal])
      }
      return showHandover(
        reply.code(400),
        actorOf(request),
        handoverId,
        errors,
        request.body as Record<string, unknown>,
      )
    },
  )

  app.post(
    '/handovers/:handoverId/chase',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { handoverId } = request.params
      const refusal = await journey.recordChase(actorOf(request), handoverId)
      if (!refusal) return reply.redirect(`/handovers/${handoverId}`, 303)
      return showHandover(reply.code(400), actorOf(request), handoverId, fieldErrors(request.t, [refusal]))
    },
  )

  app.post(
    '/handovers/:handoverId/refuse',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { handoverId } = request.params
      const form = RefuseForm.safeParse(request.body)
      let errors: FieldError[]
      if (!form.success) errors = formErrors(form.error, request.t)
      else {
        const refusal = await journey.refuseHandover(actorOf(request), handoverId, form.data.refusalReason)
        if (!refusal) return reply.redirect(`/handovers/${handoverId}`, 303)
        errors = fieldErrors(request.t, [refusal])
      }
      return showHandover(
        reply.code(400),
        actorOf(request),
        handoverId,
        errors,
        request.body as Record<string, unknown>,
      )
    },
  )
}
