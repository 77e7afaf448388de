import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, type FieldError } from '../../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../../platform/prison-settings.ts'
import { categories, frameworkAsSaved, needs, type Framework, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { noticeOf, Whole, type RegimeRoutesDeps } from './shared.ts'

/** R3: the prison's framework, saved or set back to its function's default. */
export function registerFrameworkRoutes(app: AreaRoutes, { regime }: RegimeRoutesDeps) {
  // Frameworks (R3)
  async function showFramework(
    reply: FastifyReply,
    request: FastifyRequest,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const view = await regime.viewFramework(actorOf(request))
    const errors = extra.errors ?? []
    const form = settingsForm(frameworkAsSaved(view), extra, (saved) => ({
      ...Object.fromEntries(categories.map((category) => [`share-${category}`, saved.categoryShares[category]])),
      ...Object.fromEntries(needs.map((need) => [`emphasis-${need}`, saved.needEmphasis[need]])),
      firstAssessmentDays: saved.firstAssessmentDays,
      reassessmentDays: saved.reassessmentDays,
    }))
    return reply.page('regime/views/framework.njk', {
      ...view,
      categories,
      needs,
      ...form,
      errors,
      notice: noticeOf(request),
    })
  }
  app.get('/regime/framework', { config: { permission: 'regime.manage-offer' } }, async (request, reply) =>
    showFramework(reply, request),
  )
  app.post('/regime/framework', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    // A field's answer is short; the copy of the framework the page was drawn with (`drawn`) is longer.
    const body = z.record(z.string(), z.string().max(20_000)).catch({}).parse(request.body)
    const refusals: Refusal[] = []
    const whole = (field: string, min: number, max: number, messageKey: string) => {
      const parsed = Whole(min, max).safeParse(body[field] ?? '')
      if (!parsed.success || (body[field] ?? '').trim() === '') {
        refusals.push({ field, messageKey, values: {} })
        return min
      }
      return parsed.data
    }
    const framework: Framework = {
      categoryShares: Object.fromEntries(
        categories.map((category) => [category, whole(`share-${category}`, 0, 100, 'regime.framework.error.share')]),
      ) as Framework['categoryShares'],
      needEmphasis: Object.fromEntries(
        needs.map((need) => [need, whole(`emphasis-${need}`, 1, 5, 'regime.framework.error.emphasis')]),
      ) as Framework['needEmphasis'],
    }
    const firstAssessmentDays = whole('firstAssessmentDays', 1, 60, 'regime.framework.error.firstAssessmentDays')
    const reassessmentDays = whole('reassessmentDays', 7, 730, 'regime.framework.error.reassessmentDays')
    const errors = fieldErrors(
      request.t,
      refusals.length > 0
        ? refusals
        : await regime.saveFramework(
            actorOf(request),
            { ...framework, firstAssessmentDays, reassessmentDays },
            DrawnField.parse(body.drawn),
          ),
    )
    if (errors.length > 0) return showFramework(reply.code(400), request, { errors, values: body })
    return reply.redirectWithNotice('/regime/framework', 'framework')
  })
  app.post('/regime/framework/reset', { config: { permission: 'regime.manage-offer' } }, async (request, reply) => {
    const { drawn } = z
      .object({ drawn: DrawnField })
      .catch({ drawn: '' })
      .parse(request.body ?? {})
    const reset = await regime.resetFramework(actorOf(request), drawn)
    if (reset === 'already-default') return reply.redirectWithNotice('/regime/framework', 'framework-default')
    const errors = fieldErrors(request.t, reset)
    if (errors.length > 0) return showFramework(reply.code(400), request, { errors, values: {} })
    return reply.redirectWithNotice('/regime/framework', 'framework-reset')
  })
}
