import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { keepInCookie, readKeptCookie } from './kept-cookie.ts'
import { PASSWORD_MIN } from './passwords.ts'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { renewCsrfSecret } from './csrf.ts'
import { BadRequest } from './errors.ts'
import { createHealth } from './health.ts'
import { isLanguage } from './i18n.ts'
import { hasPermission, type Role } from './permissions.ts'
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './plugin.ts'
import { deviceOf, type Sessions } from './sessions.ts'
import type { Audit } from './audit.ts'
import { signInLimits } from './sign-in-limits.ts'
import { type AreaRoutes, actorOf } from './area.ts'
import { NotFound } from './errors.ts'
import { doneNotices } from './notices.ts'
import { createOidc, OidcRefusal, type PendingSignIn } from './oidc.ts'

/** The sign-in begun at the identity provider, kept (signed) until the person comes back to the callback. */
const PENDING_COOKIE = 'waymark_sign_in'
const PendingCookie = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  returnTo: z.string(),
})

const SignInForm = z.object({
  username: z.string().trim().max(64).default(''),
  password: z.string().max(256).default(''),
  returnTo: z.string().optional(),
})

/**
 * Only paths inside Waymark: an open redirect would let a phishing link borrow our sign-in page. Browsers
 * drop tabs and line breaks from a Location, so `/<tab>/evil.example` would become `//evil.example`.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\') ||
    [...value].some((character) => character <= ' ' || character === '\u007f')
  )
    return fallback
  return value
}

/**
 * Where a user starts: the roll; for those who hold no roll, the safety figures if they oversee them (group
 * directors, M2, and monitors), or else raising a concern (partner workers).
 */
function startPageOf(role: Role): string {
  if (hasPermission(role, 'roll.view')) return '/roll'
  return hasPermission(role, 'safety-figures.view') ? '/safety-figures' : '/raise-a-concern'
}

type PlatformRouteDeps = { db: Db; sessions: Sessions; config: Config; audit: Audit }

export function registerPlatformRoutes(app: AreaRoutes, deps: PlatformRouteDeps) {
  registerSignInRoutes(app, deps)
  registerOwnAccountRoutes(app, deps)
}

/** The start page, health, and signing in and out: with Waymark's own password or the prison's provider. */
function registerSignInRoutes(app: AreaRoutes, { db, sessions, config, audit }: PlatformRouteDeps) {
  const sessionCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies }
  const oidc = config.oidc ? createOidc(config.oidc, config.publicUrl) : null
  const signInPage = (returnTo: string) => ({
    returnTo,
    provider: oidc?.providerName ?? null,
    localSignIn: config.localSignIn,
  })

  app.get('/', { config: { permission: 'signed-in' } }, async (request, reply) =>
    reply.redirect(startPageOf(actorOf(request).role), 303),
  )

  const health = createHealth({ db })
  app.addHook('onReady', () => health.start())
  app.addHook('onClose', async () => health.stop())
  // Answers from the last background check: waiting for the database here would wait behind its queue.
  app.get('/health', { config: { permission: 'public' } }, async (_request, reply) => {
    const report = health.report()
    return reply.code(report.status === 'UP' ? 200 : 503).send(report)
  })

  app.get('/sign-in', { config: { permission: 'public' } }, async (request, reply) => {
    const query = z
      .object({ expired: z.string().optional(), signedOut: z.string().optional(), returnTo: z.string().optional() })
      .parse(request.query)
    if (request.actor) return reply.redirect(safeReturnPath(query.returnTo), 303)
    return reply.page('sign-in.njk', {
      ...signInPage(safeReturnPath(query.returnTo)),
      notice: query.expired ? 'signIn.expired' : query.signedOut ? 'signIn.signedOut' : undefined,
      values: {},
    })
  })

  // Issue 13: staff sign-in at the prison's identity provider (OpenID Connect), where one is set up.
  app.get('/sign-in/provider', { config: { permission: 'public' } }, async (request, reply) => {
    if (!oidc) throw new NotFound()
    const { returnTo } = z.object({ returnTo: z.string().optional() }).parse(request.query)
    const { url, pending } = await oidc.start(safeReturnPath(returnTo))
    keepInCookie(reply, PENDING_COOKIE, pending, {
      path: '/sign-in',
      // Lax: the provider sends the person back with a top-level GET, which carries a lax cookie.
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAgeSeconds: 600,
    })
    return reply.redirect(url.href, 303)
  })

  app.get('/sign-in/callback', { config: { permission: 'public' } }, async (request, reply) => {
    if (!oidc) throw new NotFound()
    const pending: PendingSignIn | null = readKeptCookie(request, PENDING_COOKIE, PendingCookie)
    // One use: a second return with the same code finds nothing kept.
    reply.clearCookie(PENDING_COOKIE, { path: '/sign-in' })
    const refused = (status: number, titleKey: string, bodyKey: string) =>
      reply.code(status).page('sign-in-refused.njk', { titleKey, bodyKey, providerName: oidc.providerName })
    let username: string
    try {
      ;({ username } = await oidc.finish(new URL(request.url, config.publicUrl), pending))
    } catch (error) {
      if (!(error instanceof OidcRefusal)) throw error
      await audit.record(
        db,
        { id: null, username: 'unknown' },
        {
          action: 'sign-in.refused',
          details: { with: 'identity-provider', reason: error.reason },
        },
      )
      return refused(400, 'signIn.failed.title', 'signIn.failed.body')
    }
    const outcome = await sessions.signInByIdentity(username, deviceOf(request.headers['user-agent']))
    if (!outcome.signedIn) return refused(403, 'signIn.refused.title', 'signIn.refused.body')
    reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookie)
    renewCsrfSecret(reply)
    return reply.redirect(safeReturnPath(pending?.returnTo), 303)
  })

  app.post(
    '/sign-in',
    {
      config: { permission: 'public' },
      preHandler: signInLimits(app, config),
    },
    async (request, reply) => {
      const form = SignInForm.parse(request.body ?? {})
      const errors: { field: string; message: string }[] = []
      if (!config.localSignIn)
        return reply.code(400).page('sign-in.njk', {
          ...signInPage(safeReturnPath(form.returnTo)),
          errors: [
            {
              field: 'username',
              message: request.t('signIn.provider.localOff', { provider: oidc?.providerName ?? '' }),
            },
          ],
          values: {},
        })
      if (!form.username) errors.push({ field: 'username', message: request.t('signIn.enterUsername') })
      if (!form.password) errors.push({ field: 'password', message: request.t('signIn.enterPassword') })
      if (errors.length === 0) {
        const outcome = await sessions.signIn(form.username, form.password, deviceOf(request.headers['user-agent']))
        if (outcome.signedIn) {
          reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookie)
          renewCsrfSecret(reply)
          return reply.redirect(safeReturnPath(form.returnTo), 303)
        }
        errors.push({ field: 'username', message: request.t('signIn.wrongCredentials') })
      }
      return reply.code(400).page('sign-in.njk', {
        ...signInPage(safeReturnPath(form.returnTo)),
        errors,
        values: { username: form.username },
      })
    },
  )

  app.post('/sign-out', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const ended =
      request.actor && request.sessionToken ? await sessions.signOut(request.sessionToken, request.actor) : null
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    renewCsrfSecret(reply)
    // A session begun at the identity provider ends there too, where it offers that (RP-initiated logout).
    const atProvider = ended === 'oidc' && oidc ? await oidc.endSessionUrl().catch(() => null) : null
    return reply.redirect(atProvider?.href ?? '/sign-in?signedOut=1', 303)
  })

  // Issue 13: a member of staff's own sessions, each of which they can end (a PC left signed in elsewhere).
}

const sessionsNotice = doneNotices({ ended: 'sessions.ended' })
const passwordNotice = doneNotices({ changed: 'passwords.changed' })

/** A member of staff's own sessions and password, the prison they are working in, and the page's language. */
function registerOwnAccountRoutes(app: AreaRoutes, { sessions, config }: { sessions: Sessions; config: Config }) {
  app.get('/account/sessions', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const actor = actorOf(request)
    if (actor.person || !request.sessionToken) throw new NotFound()
    return reply.page('account-sessions.njk', {
      sessions: await sessions.ownSessions(actor, request.sessionToken),
      localSignIn: config.localSignIn,
      notice: sessionsNotice(request),
    })
  })
  app.post('/account/sessions/:id/end', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const actor = actorOf(request)
    if (actor.person) throw new NotFound()
    const { id } = z.object({ id: z.string().max(40) }).parse(request.params)
    if (!(await sessions.endOwnSession(actor, id))) throw new NotFound()
    return reply.redirectWithNotice('/account/sessions', 'ended')
  })

  // Issue 13: a member of staff changes their own Waymark password (where Waymark's passwords are used).
  const PasswordForm = z.object({
    currentPassword: z.string().max(256).default(''),
    newPassword: z.string().max(1024).default(''),
    confirmPassword: z.string().max(1024).default(''),
  })
  const passwordPage = (request: FastifyRequest) => {
    const actor = actorOf(request)
    if (actor.person || !request.sessionToken || !config.localSignIn) throw new NotFound()
    return { actor, token: request.sessionToken }
  }
  app.get('/account/password', { config: { permission: 'signed-in' } }, async (request, reply) => {
    passwordPage(request)
    return reply.page('account-password.njk', {
      errors: [],
      notice: passwordNotice(request),
      first: Boolean(actorOf(request).mustChangePassword),
    })
  })
  app.post('/account/password', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const { actor, token } = passwordPage(request)
    const form = PasswordForm.parse(request.body ?? {})
    const refusal = await sessions.changeOwnPassword(actor, token, {
      current: form.currentPassword,
      next: form.newPassword,
      confirm: form.confirmPassword,
    })
    if (refusal)
      return reply.code(400).page('account-password.njk', {
        errors: [{ field: refusal.field, message: request.t(refusal.messageKey, { min: PASSWORD_MIN }) }],
        first: Boolean(actor.mustChangePassword),
      })
    // A first password chosen, the work begins: the person's own start page, as after any sign-in.
    if (actor.mustChangePassword) return reply.redirect(startPageOf(actor.role), 303)
    return reply.redirectWithNotice('/account/password', 'changed')
  })

  app.post('/establishment', { config: { permission: 'signed-in' } }, async (request, reply) => {
    const form = z.object({ establishmentCode: z.string(), returnTo: z.string().optional() }).parse(request.body ?? {})
    if (!request.actor || !request.sessionToken) throw new BadRequest()
    const switched = await sessions.switchEstablishment(request.sessionToken, request.actor, form.establishmentCode)
    if (!switched) throw new BadRequest('Not one of your establishments')
    return reply.redirect(startPageOf(request.actor.role), 303)
  })

  // A GET, so the switch works as a plain link without JavaScript; it changes only a display preference.
  app.get('/language/:language', { config: { permission: 'public' } }, async (request, reply) => {
    const { language } = z.object({ language: z.string() }).parse(request.params)
    const { returnTo } = z.object({ returnTo: z.string().optional() }).parse(request.query)
    if (!isLanguage(language)) throw new BadRequest('Unknown language')
    reply.setCookie(LANGUAGE_COOKIE, language, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: 31_536_000,
    })
    return reply.redirect(safeReturnPath(returnTo), 303)
  })
}
