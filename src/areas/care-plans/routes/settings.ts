import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../../platform/prison-settings.ts'
import { settingLimits, type CarePlanSettings } from '../rules.ts'
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
  drawn: DrawnField,
})

/** The settings a valid form sends, and the settings its page was drawn with. */
function settingsSent(form: z.infer<typeof SettingsForm>): [CarePlanSettings, string | undefined] {
  const { riskLow, riskRaised, riskHigh, riskLowCy, riskRaisedCy, riskHighCy, drawn, ...timings } = form
  return [
    {
      ...timings,
      riskNames: { low: riskLow, raised: riskRaised, high: riskHigh },
      riskNamesCy: { low: riskLowCy, raised: riskRaisedCy, high: riskHighCy },
    },
    drawn,
  ]
}

/** S3: the ACCT timings and names of the levels of risk each prison sets. */
export function registerSettingsRoutes(app: AreaRoutes, { carePlans }: CarePlanRoutesDeps) {
  // S3: settings per prison
  async function showSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const settings = await carePlans.settingsFor(actorOf(request).establishmentCode)
    const errors = extra.errors ?? []
    return render(request, reply, 'settings', {
      fields: Object.keys(settingLimits),
      limits: settingLimits,
      ...settingsForm(settings, extra, (saved) => ({
        ...saved,
        riskLow: saved.riskNames.low,
        riskRaised: saved.riskNames.raised,
        riskHigh: saved.riskNames.high,
        riskLowCy: saved.riskNamesCy.low,
        riskRaisedCy: saved.riskNamesCy.raised,
        riskHighCy: saved.riskNamesCy.high,
      })),
      errors,
      notice: noticeOf(request),
    })
  }
  app.get('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) =>
    showSettings(request, reply),
  )
  app.post('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) => {
    const form = SettingsForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(request.t, await carePlans.saveSettings(actorOf(request), ...settingsSent(form.data)))
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
