import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors } from '../../platform/forms.ts'
import { formPageOf, registerFormPage, registerFormPost } from '../../platform/form-page.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { journeyMessages } from './messages.ts'
import { journeyStages, responsibilityGapKinds } from './rules.ts'
import type { JourneyService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { PageNumber, pageLinks } from '../../platform/pagination.ts'
import { registerViewPage } from '../../platform/view-page.ts'

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
  page: PageNumber,
})

const HandoverParams = z.object({ handoverId: z.string().max(40) })

/**
 * Each check's message is a key of this area's catalogue. zod's own English (for a field missing or sent
 * twice) is not one, so it never reaches `t()`: the platform's general message stands in for it.
 */
function messageKeysOf(_request: FastifyRequest, error: z.ZodError): Record<string, string> {
  const messageKeys: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!Object.hasOwn(messageKeys, field) && Object.hasOwn(journeyMessages.en, issue.message))
      messageKeys[field] = issue.message
  }
  return messageKeys
}

export function registerJourneyRoutes(app: AreaRoutes, { journey }: { journey: JourneyService }) {
  registerStageRoutes(app, journey)
  registerHandoverRoutes(app, journey)
}

/** J1, J4: a person's journey and its next stage, the gaps in responsibility, and who holds what. */
function registerStageRoutes(app: AreaRoutes, journey: JourneyService) {
  const showJourney = formPageOf(
    'journey/views/journey.njk',
    async (request, { prisonNumber }: z.infer<typeof PersonParams>) => {
      const actor = actorOf(request)
      const view = await journey.viewJourney(actor, prisonNumber)
      return {
        ...view,
        tabs: request.personTabs(view.person.prisonNumber, 'journey'),
        canRecord: hasPermission(actor.role, 'journey.record-stage'),
        canHandOver: hasPermission(actor.role, 'handover.manage'),
      }
    },
  )

  app.get(
    '/people/:prisonNumber/journey',
    { schema: { params: PersonParams }, config: { permission: 'journey.view' } },
    async (request, reply) => showJourney(request, reply, request.params),
  )

  registerFormPost(app, {
    path: '/people/:prisonNumber/journey',
    params: PersonParams,
    permission: 'journey.record-stage',
    show: showJourney,
    form: StageForm,
    messages: messageKeysOf,
    save: (actor, { prisonNumber }, form) =>
      journey.recordStage(actor, prisonNumber, {
        stage: form.stage,
        responsibleStaffUserId: form.responsible || null,
        reason: form.reason,
      }),
    next: ({ prisonNumber }) => `/people/${encodeURIComponent(prisonNumber.toUpperCase())}/journey`,
  })

  registerViewPage(app, {
    path: '/responsibility-gaps',
    query: GapsQuery,
    permission: 'journey.view-gaps',
    template: 'journey/views/gaps.njk',
    view: (actor, query) => journey.listGaps(actor, query),
    extras: (_request, _view, { gap }) => ({
      gapKind: gap ?? '',
      gapKinds: responsibilityGapKinds,
      pageLink: pageLinks('/responsibility-gaps', { gap }),
    }),
  })

  registerViewPage(app, {
    path: '/accountability',
    permission: 'journey.view',
    template: 'journey/views/accountability.njk',
    view: (actor) => journey.accountability(actor),
  })
}

/** J3: a transfer's handover: started by the sending prison, answered or chased by either. */
function registerHandoverRoutes(app: AreaRoutes, journey: JourneyService) {
  registerFormPage(app, {
    path: '/people/:prisonNumber/handover',
    params: PersonParams,
    permission: 'handover.manage',
    show: formPageOf('journey/views/start-handover.njk', async (request, { prisonNumber }) => {
      const view = await journey.handoverForm(actorOf(request), prisonNumber)
      return { ...view, tabs: request.personTabs(view.person.prisonNumber, 'journey') }
    }),
    form: HandoverForm,
    messages: messageKeysOf,
    save: (actor, { prisonNumber }, form) =>
      journey.startHandover(actor, prisonNumber, {
        toEstablishmentCode: form.to,
        risks: form.risks,
        personsWishes: form.wishes,
      }),
    next: (_params, _form, { handoverId }) => `/handovers/${handoverId}`,
  })

  registerViewPage(app, {
    path: '/handovers',
    permission: 'handover.manage',
    template: 'journey/views/handovers.njk',
    view: (actor) => journey.listHandovers(actor),
  })

  const showHandover = formPageOf(
    'journey/views/handover.njk',
    async (request, { handoverId }: z.infer<typeof HandoverParams>) =>
      journey.viewHandover(actorOf(request), handoverId),
  )

  app.get(
    '/handovers/:handoverId',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => showHandover(request, reply, request.params),
  )

  registerFormPost(app, {
    path: '/handovers/:handoverId/acknowledge',
    params: HandoverParams,
    permission: 'handover.manage',
    show: showHandover,
    form: AcknowledgeForm,
    messages: messageKeysOf,
    save: (actor, { handoverId }, form) =>
      journey.acknowledgeHandover(actor, handoverId, { responsibleStaffUserId: form.responsible, reason: form.note }),
    next: ({ handoverId }) => `/handovers/${handoverId}`,
  })

  app.post(
    '/handovers/:handoverId/chase',
    { schema: { params: HandoverParams }, config: { permission: 'handover.manage' } },
    async (request, reply) => {
      const { handoverId } = request.params
      const refusal = await journey.recordChase(actorOf(request), handoverId)
      if (!refusal) return reply.redirect(`/handovers/${handoverId}`, 303)
      return showHandover(request, reply.code(400), request.params, {
        errors: fieldErrors(request.t, [refusal]),
        values: {},
      })
    },
  )

  registerFormPost(app, {
    path: '/handovers/:handoverId/refuse',
    params: HandoverParams,
    permission: 'handover.manage',
    show: showHandover,
    form: RefuseForm,
    messages: messageKeysOf,
    save: (actor, { handoverId }, form) => journey.refuseHandover(actor, handoverId, form.refusalReason),
    next: ({ handoverId }) => `/handovers/${handoverId}`,
  })
}
