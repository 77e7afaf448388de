import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../../platform/prison-settings.ts'
import type { Actor } from '../../../platform/permissions.ts'
import type { KeyworkPolicy, Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { noticeOf, Whole, type KeyworkRoutesOptions } from './shared.ts'

const SettingsForm = z.object({
  officerLabel: z.string().trim().min(1).max(40),
  officerLabelCy: z.string().trim().min(1).max(40),
  caseloadDefault: Whole(1, 30),
  caseloadExtended: Whole(1, 30),
  sessionIntervalDays: Whole(1, 90),
  firstContactDays: Whole(1, 60),
  drawn: DrawnField,
})
const settingsMessages: Record<string, Refusal> = Object.fromEntries(
  Object.keys(SettingsForm.omit({ drawn: true }).shape).map((field) => [
    field,
    { field, messageKey: `keywork.settings.error.${field}`, values: {} },
  ]),
)

/** The policy a valid form sends, and the policy its page was drawn with. */
function policySent({ drawn, ...policy }: z.infer<typeof SettingsForm>): [KeyworkPolicy, string | undefined] {
  return [policy, drawn]
}

/** K1: settings per prison. */
export function registerSettingsRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  async function showSettings(
    reply: FastifyReply,
    actor: Actor,
    extra: { errors?: FieldError[]; values?: unknown; notice?: string | null } = {},
  ) {
    const policy = await keywork.policyFor(actor.establishmentCode)
    const errors = extra.errors ?? []
    return reply.page('keywork/views/settings.njk', {
      ...settingsForm(policy, extra),
      errors,
      notice: extra.notice ?? null,
    })
  }
  app.get('/key-work-settings', { config: { permission: 'keywork.settings' } }, async (request, reply) =>
    showSettings(reply, actorOf(request), { notice: noticeOf(request) }),
  )
  app.post('/key-work-settings', { config: { permission: 'keywork.settings' } }, async (request, reply) => {
    const form = SettingsForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(request.t, await keywork.savePolicy(actorOf(request), ...policySent(form.data)))
      : schemaErrors(request.t, form.error, settingsMessages)
    if (errors.length > 0) return showSettings(reply.code(400), actorOf(request), { errors, values: request.body })
    return reply.redirectWithNotice('/key-work-settings', 'saved')
  })
}
