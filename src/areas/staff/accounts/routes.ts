import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf, type AreaRoutes } from '../../../platform/area.ts'
import { PageNumber, pageLinks } from '../../../platform/pagination.ts'
import { fieldErrors, type FieldError } from '../../../platform/forms.ts'
import { keepInCookie, readKeptCookie } from '../../../platform/kept-cookie.ts'
import type { NavigationItem } from '../../../platform/navigation.ts'
import { doneOf } from '../../../platform/notices.ts'
import { roles } from '../../../platform/permissions.ts'
import type { AccountsService } from './service.ts'

export const accountsNavigation: readonly NavigationItem[] = [
  {
    messageKey: 'accounts.navigation',
    href: '/accounts',
    permission: 'accounts.manage',
    shownTo: (actor) => actor.role !== 'partner' || actor.managesOrganisationAccounts === true,
  },
]

const AccountParams = z.object({ id: z.string().max(40) })
const ListQuery = z.object({
  search: z.string().max(100).optional().catch(undefined),
  role: z.enum(roles).optional().catch(undefined),
  status: z.enum(['active', 'disabled']).optional().catch(undefined),
  page: PageNumber,
})
const doneWords = [
  'created',
  'access',
  'access-unchanged',
  'disabled',
  'enabled',
  'already-disabled',
  'already-enabled',
] as const
const text = (max: number) => z.string().max(max).optional().default('')
const AccessBody = z.object({
  role: text(40),
  organisationId: text(40),
  establishmentCodes: z.union([z.string().max(10), z.array(z.string().max(10)).max(50)]).optional(),
  managesOrganisationAccounts: text(10),
})
const NewAccountBody = AccessBody.extend({ username: text(200), displayName: text(400) })

/** The one-time password, kept for the one page that shows it: signed, short-lived, for this account only. */
const ONE_TIME_COOKIE = 'waymark_one_time_password'
const KeptPassword = z.object({ id: z.string(), password: z.string() })

/**
 * Issue 13: account administration, for administrators at their prisons and partner leads for their own
 * organisation's workers.
 */
export function registerAccountRoutes(
  app: AreaRoutes,
  { accounts, secureCookies }: { accounts: AccountsService; secureCookies: boolean },
) {
  const keepOneTimePassword = (reply: FastifyReply, id: string, password: string) =>
    keepInCookie(
      reply,
      ONE_TIME_COOKIE,
      { id, password },
      {
        path: `/accounts/${id}`,
        sameSite: 'strict',
        secure: secureCookies,
        maxAgeSeconds: 300,
      },
    )

  app.get('/accounts', { config: { permission: 'accounts.manage' } }, async (request, reply) => {
    const query = ListQuery.parse(request.query)
    const view = await accounts.list(actorOf(request), query)
    const link = pageLinks('/accounts', { search: query.search, role: query.role, status: query.status })
    return reply.page('staff/accounts/views/list.njk', { ...view, query, pageLink: link })
  })

  async function showNew(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
  ) {
    const choices = await accounts.newAccountChoices(actorOf(request))
    return reply.page('staff/accounts/views/new.njk', { choices, values, errors })
  }

  app.get('/accounts/new', { config: { permission: 'accounts.manage' } }, async (request, reply) => {
    const choices = await accounts.newAccountChoices(actorOf(request))
    // Where there is one choice (a partner lead's own organisation and a partner's role), it is made already.
    return showNew(request, reply, {
      establishmentCodes: [actorOf(request).establishmentCode],
      role: choices.roles.length === 1 ? choices.roles[0] : '',
      organisationId: choices.organisations.length === 1 ? choices.organisations[0].id : '',
    })
  })

  app.post('/accounts/new', { config: { permission: 'accounts.manage' } }, async (request, reply) => {
    const parsed = NewAccountBody.safeParse(request.body ?? {})
    const body = parsed.success ? parsed.data : {}
    const outcome = await accounts.create(actorOf(request), body)
    if ('refusals' in outcome) return showNew(request, reply.code(400), body, fieldErrors(request.t, outcome.refusals))
    if (outcome.oneTimePassword === null) return reply.redirectWithNotice(`/accounts/${outcome.id}`, 'created')
    keepOneTimePassword(reply, outcome.id, outcome.oneTimePassword)
    return reply.redirect(`/accounts/${outcome.id}/one-time-password`, 303)
  })

  app.get(
    '/accounts/:id',
    { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
    async (request, reply) => {
      const view = await accounts.view(actorOf(request), request.params.id)
      return reply.page('staff/accounts/views/account.njk', { ...view, done: doneOf(request, doneWords) })
    },
  )

  async function showAccess(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, unknown> | null,
    errors: FieldError[] = [],
  ) {
    const view = await accounts.view(actorOf(request), id)
    const { account } = view
    return reply.page('staff/accounts/views/access.njk', {
      ...view,
      otherPrisons: account.establishmentCodes.filter((code) => !view.choices.prisons.includes(code)),
      values: values ?? {
        role: account.role,
        organisationId: account.organisationId ?? '',
        establishmentCodes: account.establishmentCodes,
        managesOrganisationAccounts: account.managesOrganisationAccounts ? 'yes' : '',
      },
      errors,
    })
  }

  app.get(
    '/accounts/:id/access',
    { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
    async (request, reply) => showAccess(request, reply, request.params.id, null),
  )

  app.post(
    '/accounts/:id/access',
    { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
    async (request, reply) => {
      const parsed = AccessBody.safeParse(request.body ?? {})
      const body = parsed.success ? parsed.data : {}
      const { refusals, changed } = await accounts.changeAccess(actorOf(request), request.params.id, body)
      if (refusals.length > 0)
        return showAccess(request, reply.code(400), request.params.id, body, fieldErrors(request.t, refusals))
      return reply.redirectWithNotice(`/accounts/${request.params.id}`, changed ? 'access' : 'access-unchanged')
    },
  )

  for (const [path, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const)
    app.post(
      `/accounts/:id/${path}`,
      { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
      async (request, reply) => {
        const outcome = await accounts.setEnabled(actorOf(request), request.params.id, enabled)
        if ('refusal' in outcome) {
          const view = await accounts.view(actorOf(request), request.params.id)
          return reply
            .code(409)
            .page('staff/accounts/views/account.njk', { ...view, errors: fieldErrors(request.t, [outcome.refusal]) })
        }
        const done = `${outcome.changed ? '' : 'already-'}${enabled ? 'enabled' : 'disabled'}`
        return reply.redirectWithNotice(`/accounts/${request.params.id}`, done)
      },
    )

  app.post(
    '/accounts/:id/one-time-password',
    { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
    async (request, reply) => {
      const { oneTimePassword } = await accounts.resetPassword(actorOf(request), request.params.id)
      keepOneTimePassword(reply, request.params.id, oneTimePassword)
      return reply.redirect(`/accounts/${request.params.id}/one-time-password`, 303)
    },
  )

  // Shown once: the cookie that carries it is cleared as it is read, and was never stored anywhere else.
  app.get(
    '/accounts/:id/one-time-password',
    { schema: { params: AccountParams }, config: { permission: 'accounts.manage' } },
    async (request, reply) => {
      const view = await accounts.view(actorOf(request), request.params.id)
      const kept = readKeptCookie(request, ONE_TIME_COOKIE, KeptPassword)
      const password = kept?.id === view.account.id ? kept.password : null
      reply.clearCookie(ONE_TIME_COOKIE, { path: `/accounts/${request.params.id}` })
      return reply.page('staff/accounts/views/one-time-password.njk', { ...view, password })
    },
  )
}
