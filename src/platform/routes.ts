import { z } from 'zod'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { renewCsrfSecret } from './csrf.ts'
import { BadRequest } from './errors.ts'
import { createHealth } from './health.ts'
import { isLanguage } from './i18n.ts'
import { hasPermission, type Role } from './permissions.ts'
import { LANGUAGE_COOKIE, SESSION_COOKIE } from './plugin.ts'
import type { Sessions } from './sessions.ts'
import { signInLimits } from './sign-in-limits.ts'
import { type AreaRoutes, actorOf } from './area.ts'

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

export function registerPlatformRoutes(
  app: AreaRoutes,
  { db, sessions, config }: { db: Db; sessions: Sessions; config: Config },
) {
  const sessionCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies }

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
      notice: query.expired ? 'signIn.expired' : query.signedOut ? 'signIn.signedOut' : undefined,
      returnTo: safeReturnPath(query.returnTo),
      values: {},
    })
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
      if (!form.username) errors.push({ field: 'username', message: request.t('signIn.enterUsername') })
      if (!form.password) errors.push({ field: 'password', message: request.t('signIn.enterPassword') })
      if (errors.length === 0) {
        const outcome = await sessions.signIn(form.username, form.password)
        if (outcome.signedIn) {
          reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookie)
          renewCsrfSecret(reply)
          return reply.redirect(safeReturnPath(form.returnTo), 303)
        }
        errors.push({ field: 'username', message: request.t('signIn.wrongCredentials') })
      }
      return reply
        .code(400)
        .page('sign-in.njk', { errors, values: { username: form.username }, returnTo: safeReturnPath(form.returnTo) })
    },
  )

  app.post('/sign-out', { config: { permission: 'signed-in' } }, async (request, reply) => {
    if (request.actor && request.sessionToken) await sessions.signOut(request.sessionToken, request.actor)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    renewCsrfSecret(reply)
    return reply.redirect('/sign-in?signedOut=1', 303)
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
