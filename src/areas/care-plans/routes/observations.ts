import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import type { FieldRefusal } from '../../../platform/forms.ts'
import { registerFormPage } from '../../../platform/form-page.ts'
import { immediateReviewReasons } from '../rules.ts'
import { DateText, Params, Text, TimeText, instantOf } from './forms.ts'
import { formPage, planForm, planUrl, planViewOf, type CarePlanRoutesDeps } from './pages.ts'

/** What the page takes of what was seen or heard; other systems are held to it too (issue 15). */
export const SEEN_MAX = 4000
const ObservationForm = z.object({
  observedOn: DateText,
  observedTime: TimeText,
  seen: Text(SEEN_MAX),
  wasConversation: z.enum(['yes', 'no']),
})
/** What was seen or heard is either missing or too long, and the message says which. */
const observationMessages = (body: unknown): Record<string, string | FieldRefusal> => {
  const typed = (body as { seen?: unknown } | undefined)?.seen
  return {
    observedOn: 'carePlans.error.date',
    observedTime: 'carePlans.error.time',
    seen:
      typeof typed === 'string' && typed.trim().length > SEEN_MAX
        ? { field: 'seen', messageKey: 'carePlans.observation.error.seenLength', values: { max: SEEN_MAX } }
        : 'carePlans.observation.error.seen',
    wasConversation: 'carePlans.observation.error.conversation',
  }
}
const CorrectionForm = ObservationForm.extend({ reason: Text(2000) })
const ImmediateReviewForm = z.object({ immediateReason: z.enum(immediateReviewReasons) })

/** S3: observations, corrections that never overwrite, and asking for a case review now. */
export function registerObservationRoutes(app: AreaRoutes, { carePlans, clock }: CarePlanRoutesDeps) {
  const planView = planViewOf(carePlans)

  // S3: observations, and corrections that never overwrite
  planForm(app, clock, {
    path: 'observations',
    permission: 'care-plans.record',
    template: 'observation',
    view: planView,
    schema: ObservationForm,
    messages: observationMessages,
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordObservation(actor, prisonNumber, id, {
        observedAt: instantOf(data.observedOn, data.observedTime),
        seen: data.seen,
        wasConversation: data.wasConversation === 'yes',
      }),
    done: () => 'observation',
  })

  registerFormPage(app, {
    path: '/people/:prisonNumber/care-plans/:id/observations/:observationId/correct',
    params: Params.extend({ observationId: z.string().max(40) }),
    permission: 'care-plans.record',
    show: async (request, reply, { prisonNumber, id, observationId }, sentBack) => {
      const view = await carePlans.observationForCorrection(actorOf(request), prisonNumber, id, observationId)
      return formPage(clock, request, reply, 'correct-observation', view, sentBack)
    },
    form: CorrectionForm,
    messages: (request) => ({
      ...observationMessages(request.body),
      reason: 'carePlans.correction.error.reason',
    }),
    save: (actor, { prisonNumber, id, observationId }, form) =>
      carePlans.correctObservation(actor, prisonNumber, id, observationId, {
        observedAt: instantOf(form.observedOn, form.observedTime),
        seen: form.seen,
        wasConversation: form.wasConversation === 'yes',
        reason: form.reason,
      }),
    next: ({ prisonNumber, id }) => planUrl(prisonNumber, id),
    done: 'correction',
  })

  planForm(app, clock, {
    path: 'immediate-review',
    permission: 'care-plans.record',
    template: 'immediate-review',
    view: planView,
    schema: ImmediateReviewForm,
    messages: { immediateReason: 'carePlans.immediateReview.error.reason' },
    save: (actor, prisonNumber, id, data) =>
      carePlans.requestImmediateReview(actor, prisonNumber, id, data.immediateReason),
    done: () => 'immediate-review',
  })
}
