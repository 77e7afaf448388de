import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { settingLimits } from '../rules.ts'
import { Text, Whole } from './forms.ts'
import { noticeOf, render, type CarePlanRoutesDeps } from './pages.ts'

const limit = (field: keyof typeof settingLimits) => Whole(settingLimits[field][0], settingLimits[field][1])
const SettingsForm = z.object({
  immediateActionMinutes: limit('immediateActionMinutes'),
  assessmentHours: limit('assessmentHours'),
  firstReviewHours: limit('firstReviewHours'),
  transferReviewHours: limit('transferReviewHours'),
  postClosureReviewDays: limit('postClosureReviewDays'),
  dayStartsHour: limit('dayStartsHour'),
  nightStartsHour: limit('nightStartsHour'),
  orderlyOfficerAfterMinutes: limit('orderlyOfficerAfterMinutes'),
  riskLow: Text(30),
  riskRaised: Text(30),
  riskHigh: Text(30),
  riskLowCy: Text(30),
  riskRaisedCy: Text(30),
  riskHighCy: Text(30),
})

/** S3: the ACCT timings and names of the levels of risk each prison sets. */
export function registerSettingsRoutes(app: AreaRoutes, { carePlans }: CarePlanRoutesDeps) {
  // S3: settings per prison
  async function showSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const settings = await carePlans.settingsFor(actorOf(request).establishmentCode)
    return render(request, reply, 'settings', {
      fields: Object.keys(settingLimits),
      limits: settingLimits,
      values: extra.values ?? {
        ...settings,
        riskLow: settings.riskNames.low,
        riskRaised: settings.riskNames.raised,
        riskHigh: settings.riskNames.high,
        riskLowCy: settings.riskNamesCy.low,
        riskRaisedCy: settings.riskNamesCy.raised,
        riskHighCy: settings.riskNamesCy.high,
      },
      errors: extra.errors ?? [],
      notice: noticeOf(request),
    })
  }
  app.get('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) =>
    showSettings(request, reply),
  )
  app.post('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) => {
    const form = SettingsForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(
          request.t,
          await carePlans.saveSettings(actorOf(request), {
            ...form.data,
            riskNames: { low: form.data.riskLow, raised: form.data.riskRaised, high: form.data.riskHigh },
            riskNamesCy: { low: form.data.riskLowCy, raised: form.data.riskRaisedCy, high: form.data.riskHighCy },
          }),
        )
      : schemaErrors(request.t, form.error, {
          ...Object.fromEntries(
            Object.keys(settingLimits).map((field) => [field, `carePlans.settings.error.${field}`]),
          ),
          riskLow: 'carePlans.settings.error.riskName',
          riskRaised: 'carePlans.settings.error.riskName',
          riskHigh: 'carePlans.settings.error.riskName',
          riskLowCy: 'carePlans.settings.error.riskName',
          riskRaisedCy: 'carePlans.settings.error.riskName',
          riskHighCy: 'carePlans.settings.error.riskName',
        })
    if (errors.length > 0) return showSettings(request, reply.code(400), { errors, values: request.body })
    return reply.redirectWithNotice('/care-plan-settings', 'saved')
  })
}
