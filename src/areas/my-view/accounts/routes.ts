import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf, type AreaRoutes } from '../../../platform/area.ts'
import { fieldErrors, isRefusal, type FieldError } from '../../../platform/forms.ts'
import { isLanguage, type Language } from '../../../platform/i18n.ts'
import { keepInCookie, readKeptCookie } from '../../../platform/kept-cookie.ts'
import type { PersonTab } from '../../../platform/navigation.ts'
import { PERSON_PASSWORD_MIN } from '../../../platform/passwords.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import { CODE_DAYS, issuedAsShown, type PersonAccountsService } from './service.ts'

/** Issue 13: the person's own account, on their record, for the staff who issue it. */
export const ownAccountTab: PersonTab = {
  messageKey: 'ownAccount.tab',
  path: 'own-account',
  permission: 'person-accounts.issue',
}

/** The slip's code, kept for the slip page (to print, reprint or print in Welsh) for ten minutes only. */
const SLIP_COOKIE = 'waymark_slip'
const KeptSlip = z.object({
  prisonNumber: z.string(),
  username: z.string(),
  code: z.string(),
  expiresAt: z.string(),
})
const IssueBody = z.object({ language: z.string().max(5).optional(), issued: z.string().max(40).optional() })
const SlipQuery = z.object({ language: z.string().max(5).optional().catch(undefined) })
const PasswordBody = z.object({
  newPassword: z.string().max(256).optional().default(''),
  confirmPassword: z.string().max(256).optional().default(''),
})

export function registerPersonAccountRoutes(
  app: AreaRoutes,
  { personAccounts, secureCookies }: { personAccounts: PersonAccountsService; secureCookies: boolean },
) {
  const slipPath = (prisonNumber: string) => `/people/${prisonNumber}/own-account/slip`

  app.get(
    '/people/:prisonNumber/own-account',
    { schema: { params: PersonParams }, config: { permission: 'person-accounts.issue' } },
    async (request, reply) => showOwnAccount(request, reply, request.params.prisonNumber),
  )

  async function showOwnAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    errors: FieldError[] = [],
  ) {
    const view = await personAccounts.viewOwnAccount(actorOf(request), prisonNumber)
    return reply.page('my-view/accounts/views/own-account.njk', {
      ...view,
      errors,
      issuedAsShown: issuedAsShown(view.account),
      codeDays: CODE_DAYS,
      tabs: request.personTabs(view.person.prisonNumber, 'own-account'),
    })
  }

  app.post(
    '/people/:prisonNumber/own-account',
    { schema: { params: PersonParams }, config: { permission: 'person-accounts.issue' } },
    async (request, reply) => {
      const { language, issued: drawn } = IssueBody.catch({}).parse(request.body ?? {})
      const issued = await personAccounts.issue(actorOf(request), request.params.prisonNumber, drawn)
      if (isRefusal(issued))
        return showOwnAccount(request, reply.code(409), request.params.prisonNumber, fieldErrors(request.t, [issued]))
      const prisonNumber = issued.person.prisonNumber
      keepInCookie(
        reply,
        SLIP_COOKIE,
        { prisonNumber, username: issued.username, code: issued.code, expiresAt: issued.expiresAt.toISOString() },
        { path: slipPath(prisonNumber), sameSite: 'strict', secure: secureCookies, maxAgeSeconds: 600 },
      )
      const slipLanguage = isLanguage(language) ? language : request.language
      return reply.redirect(`${slipPath(prisonNumber)}?language=${slipLanguage}`, 303)
    },
  )

  app.get(
    '/people/:prisonNumber/own-account/slip',
    { schema: { params: PersonParams, querystring: SlipQuery }, config: { permission: 'person-accounts.issue' } },
    async (request, reply) => {
      const view = await personAccounts.viewOwnAccount(actorOf(request), request.params.prisonNumber)
      const kept = readKeptCookie(request, SLIP_COOKIE, KeptSlip)
      const slip = kept?.prisonNumber === view.person.prisonNumber ? kept : null
      const language: Language = isLanguage(request.query.language) ? request.query.language : request.language
      return reply.page('my-view/accounts/views/slip.njk', {
        ...view,
        slip,
        slipLanguage: language,
        st: request.tIn(language),
        otherLanguage: language === 'cy' ? 'en' : 'cy',
      })
    },
  )

  async function showPassword(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) {
    return reply.page('my-view/accounts/views/choose-password.njk', { errors, minimum: PERSON_PASSWORD_MIN })
  }

  // Only for the first sign-in with a slip's code: afterwards the person asks staff for a new code.
  app.get('/my/password', { config: { permission: 'my-view' } }, async (request, reply) => {
    if (!actorOf(request).mustChangePassword) return reply.redirect('/my', 303)
    return showPassword(request, reply)
  })

  app.post('/my/password', { config: { permission: 'my-view' } }, async (request, reply) => {
    if (!actorOf(request).mustChangePassword) return reply.redirect('/my', 303)
    const form = PasswordBody.catch({ newPassword: '', confirmPassword: '' }).parse(request.body ?? {})
    const refusal = await personAccounts.choosePassword(actorOf(request), form)
    if (refusal) return showPassword(request, reply.code(400), fieldErrors(request.t, [refusal]))
    return reply.redirect('/my', 303)
  })
}
