import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'
import { actorOf, type AreaRoutes } from '../../platform/area.ts'
import { HttpProblem, NotFound } from '../../platform/errors.ts'
import { formPageOf, registerFormPage } from '../../platform/form-page.ts'
import { schemaErrors, submitForm, type FieldError } from '../../platform/forms.ts'
import { keepInCookie, readKeptCookie } from '../../platform/kept-cookie.ts'
import type { NavigationItem } from '../../platform/navigation.ts'
import { doneNotices } from '../../platform/notices.ts'
import { domainEventTypes } from './rules.ts'
import type { WebhooksService } from './service.ts'

export const webhooksNavigation: readonly NavigationItem[] = [
  { messageKey: 'webhooks.navigation', href: '/webhooks', permission: 'webhooks.manage' },
]

const stylesheet = readFileSync(path.join(import.meta.dirname, 'views/webhooks.css'), 'utf8')

// An address naming no subscription is a page that does not exist (404), not a broken form (400).
const SubscriptionParams = z.object({ id: z.string().max(40) })
/** The secret the subscriber's page was drawn with: when its last rotation's grace ends, or '' before the first. */
const RotateForm = z.object({ rotatedUntil: z.union([z.literal(''), z.iso.datetime()]) })
const LogQuery = PageQuery.extend({ failed: z.enum(['yes']).optional().catch(undefined) })
const DeliveryParams = SubscriptionParams.extend({ deliveryId: z.string().max(20) })
const noticeOf = doneNotices({
  enabled: 'webhooks.done.enabled',
  disabled: 'webhooks.done.disabled',
  replayed: 'webhooks.done.replayed',
  changed: 'webhooks.done.changed',
  unchanged: 'webhooks.done.unchanged',
})

const NewSubscriptionForm = z.object({
  url: z.string().max(2000).default(''),
  // One box ticked sends a string, several an array, none nothing at all.
  eventTypes: z
    .union([z.string().max(100), z.array(z.string().max(100)).max(domainEventTypes.length)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
  establishmentCodes: z
    .union([z.string().max(10), z.array(z.string().max(10)).max(200)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
})
const newSubscriptionMessages = {
  url: 'webhooks.error.url.tooLong',
  eventTypes: 'webhooks.error.eventTypes',
  establishmentCodes: 'webhooks.error.prisons',
}

/** The events and prisons of a subscriber: its address and secret are not changed, so a form naming them is read without them. */
const ChangeSubscriptionForm = NewSubscriptionForm.omit({ url: true })
const changeSubscriptionMessages = {
  eventTypes: 'webhooks.error.eventTypes',
  establishmentCodes: 'webhooks.error.prisonsNotYours',
}

/** The signing secret, kept for the one page that shows it: signed, short-lived, for that subscription only. */
const SECRET_COOKIE = 'waymark_webhook_secret'
const KeptSecret = z.object({ id: z.string(), secret: z.string() })

/**
 * Issue 15: the subscribers Waymark sends its events to, for administrators: add one (its secret shown
 * once), change its events and prisons, stop or start it, read its delivery log and send an event again.
 */
export function registerWebhookRoutes(
  app: AreaRoutes,
  { webhooks, secureCookies }: { webhooks: WebhooksService; secureCookies: boolean },
) {
  // A new subscriber's secret, or a rotated one, is shown once: kept for five minutes in a cookie only the
  // subscriber's own pages are sent, then gone.
  const showSecretOnce = (reply: FastifyReply, id: string, secret: string) => {
    keepInCookie(
      reply,
      SECRET_COOKIE,
      { id, secret },
      { path: `/webhooks/${id}`, sameSite: 'strict', secure: secureCookies, maxAgeSeconds: 300 },
    )
    return reply.redirect(`/webhooks/${id}/secret`, 303)
  }

  app.get('/assets/webhooks/webhooks.css', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  )

  app.get('/webhooks', { config: { permission: 'webhooks.manage' } }, async (request, reply) => {
    const subscriptions = await webhooks.listSubscriptions(actorOf(request))
    return reply.page('webhooks/views/list.njk', { subscriptions, domainEventTypes })
  })

  const showNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: unknown = {},
    errors: FieldError[] = [],
  ) => {
    const prisons = await webhooks.prisonChoices(actorOf(request))
    return reply.page('webhooks/views/new.njk', { values, errors, domainEventTypes, prisons })
  }

  // The prison the administrator is working in is chosen to start with: the one they most likely mean.
  app.get('/webhooks/new', { config: { permission: 'webhooks.manage' } }, async (request, reply) =>
    showNew(request, reply, {
      eventTypes: [...domainEventTypes],
      establishmentCodes: [actorOf(request).establishmentCode],
    }),
  )

  app.post('/webhooks/new', { config: { permission: 'webhooks.manage' } }, async (request, reply) => {
    const sent = await submitForm(
      request.t,
      NewSubscriptionForm,
      request.body ?? {},
      (error) => schemaErrors(request.t, error, newSubscriptionMessages),
      (form) => webhooks.addSubscription(actorOf(request), form),
    )
    if ('errors' in sent) {
      const parsed = NewSubscriptionForm.safeParse(request.body ?? {})
      return showNew(request, reply.code(400), parsed.success ? parsed.data : {}, sent.errors)
    }
    const { id, signingSecret } = sent.stored
    return showSecretOnce(reply, id, signingSecret)
  })

  // A new secret, shown once on the same page as a new subscriber's; the old one signs beside it for a day.
  app.post(
    '/webhooks/:id/rotate',
    { schema: { params: SubscriptionParams }, config: { permission: 'webhooks.manage' } },
    async (request, reply) => {
      const { id } = request.params
      const form = RotateForm.safeParse(request.body)
      if (!form.success) throw new HttpProblem(400, 'Open the subscriber again: the page was out of date')
      const from = form.data.rotatedUntil === '' ? null : new Date(form.data.rotatedUntil)
      const { signingSecret } = await webhooks.rotateSecret(actorOf(request), id, from)
      return showSecretOnce(reply, id, signingSecret)
    },
  )

  // Shown once: the cookie that carries it is cleared as it is read.
  app.get(
    '/webhooks/:id/secret',
    { schema: { params: SubscriptionParams }, config: { permission: 'webhooks.manage' } },
    async (request, reply) => {
      const view = await webhooks.viewSubscription(actorOf(request), request.params.id)
      const kept = readKeptCookie(request, SECRET_COOKIE, KeptSecret)
      reply.clearCookie(SECRET_COOKIE, { path: `/webhooks/${request.params.id}` })
      const secret = kept?.id === view.subscription.id ? kept.secret : null
      return reply.page('webhooks/views/secret.njk', { ...view, secret })
    },
  )

  registerSubscriberPage(app, webhooks)

  // The form starts as the subscriber stands; sent back, it keeps what was ticked.
  const showChange = formPageOf(
    'webhooks/views/change.njk',
    async (request, { id }: z.infer<typeof SubscriptionParams>, sentBack) => {
      const choices = await webhooks.subscriptionChoices(actorOf(request), id)
      const sent = sentBack && ChangeSubscriptionForm.safeParse(sentBack.values)
      const values = sent
        ? sent.success
          ? sent.data
          : {}
        : { eventTypes: choices.subscription.eventTypes, establishmentCodes: choices.subscription.establishmentCodes }
      return { ...choices, values, domainEventTypes }
    },
  )

  // The leftover of issue 15: a subscriber's prisons (and events) change in place, keeping its secret and log.
  registerFormPage(app, {
    path: '/webhooks/:id/edit',
    params: SubscriptionParams,
    permission: 'webhooks.manage',
    show: showChange,
    form: ChangeSubscriptionForm,
    messages: changeSubscriptionMessages,
    save: (actor, { id }, form) => webhooks.changeSubscription(actor, id, form),
    next: ({ id }) => `/webhooks/${id}`,
    done: (_params, _form, outcome) => outcome,
  })

  for (const [path, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const)
    app.post(
      `/webhooks/:id/${path}`,
      { schema: { params: SubscriptionParams }, config: { permission: 'webhooks.manage' } },
      async (request, reply) => {
        const changed = await webhooks.setEnabled(actorOf(request), request.params.id, enabled)
        const done = changed ? (enabled ? 'enabled' : 'disabled') : 'unchanged'
        return reply.redirectWithNotice(`/webhooks/${request.params.id}`, done)
      },
    )

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/replay',
    { schema: { params: DeliveryParams }, config: { permission: 'webhooks.manage' } },
    async (request, reply) => {
      const deliveryId = Number(request.params.deliveryId)
      if (!Number.isSafeInteger(deliveryId) || deliveryId < 1) throw new NotFound()
      const replayed = await webhooks.replayDelivery(actorOf(request), request.params.id, deliveryId)
      // Back to the list it was sent again from: the failed deliveries, to send the next one, or the log.
      const list = (request.body as { from?: unknown } | undefined)?.from === 'failed' ? '?failed=yes' : ''
      return reply.redirectWithNotice(`/webhooks/${request.params.id}${list}#log`, replayed ? 'replayed' : 'unchanged')
    },
  )
}

/** A subscriber's page: what it hears of, and its delivery log, or its failed deliveries alone (`?failed=yes`). */
function registerSubscriberPage(app: AreaRoutes, webhooks: WebhooksService) {
  app.get(
    '/webhooks/:id',
    {
      schema: { params: SubscriptionParams, querystring: LogQuery },
      config: { permission: 'webhooks.manage' },
    },
    async (request, reply) => {
      const onlyFailed = request.query.failed === 'yes'
      const view = await webhooks.viewSubscription(actorOf(request), request.params.id, {
        onlyFailed,
        page: request.query.page,
      })
      return reply.page('webhooks/views/subscription.njk', {
        ...view,
        pageLink: pageLinks(`/webhooks/${view.subscription.id}`, { failed: 'yes' }),
        notice: noticeOf(request),
      })
    },
  )
}
