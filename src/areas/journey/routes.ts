import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  fieldErrors,
  schemaErrors,
  submitForm,
  type FieldError,
  type NonEmpty,
  type Outcome,
} from '../../platform/forms.ts'
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
function formErrors(error: z.ZodError, t: Translate): NonEmpty<FieldError> {
  const messageKeys: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!Object.hasOwn(messageKeys, field) && Object.hasOwn(journeyMessages.en, issue.message))
      messageKeys[field] = issue.message
  }
  return schemaErrors(t, error, messageKeys)
}

/** A journey form sent: stored by the use case, or its errors to show beside the fields. */
function submit<Schema extends z.ZodType, T>(
  request: FastifyRequest,
  schema: Schema,
  act: (form: z.output<Schema>) => Promise<Outcome<T>>,
) {
  return submitForm(request.t, schema, request.body, (error) => formErrors(error, request.t), act)
}

/** What was typed, to show back on the page with its errors. */
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>

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
      const sent = await submit(request, StageForm, (form) =>
        journey.recordStage(actorOf(request), prisonNumber, {
          stage: form.stage,
          responsibleStaffUserId: form.responsible || null,
          reason: form.reason,
        }),
      )
      if (!('stored' in sent))
        return showJourney(reply.code(400), actorOf(request), prisonNumber, sent.errors, bodyOf(request))
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
      const sent = await submit(request, HandoverForm, (form) =>
        journey.startHandover(actorOf(request), prisonNumber, {
          toEstablishmentCode: form.to,
          risks: form.risks,
          personsWishes: form.wishes,
        }),
      )
      if ('stored' in sent) return reply.redirect(`/handovers/${sent.stored.handoverId}`, 303)
      return showHandoverForm(reply.code(400), actorOf(request), prisonNumber, sent.errors, bodyOf(request))
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
      const sent = await submit(request, AcknowledgeForm, (form) =>
        journey.acknowledgeHandover(actorOf(request), handoverId, {
          responsibleStaffUserId: form.responsible,
          reason: form.note,
        }),
      )
      if ('stored' in sent) return reply.redirect(`/handovers/${handoverId}`, 303)
      return showHandover(reply.code(400), actorOf(request), handoverId, sent.errors, bodyOf(request))
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
      const sent = await submit(request, RefuseForm, (form) =>
        journey.refuseHandover(actorOf(request), handoverId, form.refusalReason),
      )
      if ('stored' in sent) return reply.redirect(`/handovers/${handoverId}`, 303)
      return showHandover(reply.code(400), actorOf(request), handoverId, sent.errors, bodyOf(request))
    },
  )
}
