import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import './fastify-types.ts'
import type { Config } from '../config.ts'
import { isLostDatabaseConnection, isWriteConflict, writeConflictOf } from '../db/lost-connection.ts'
import { CSRF_COOKIE } from './csrf.ts'
import { HttpProblem } from './errors.ts'
import { apiError, holdsApiRole, sendApiError, type ApiCallers } from './api-callers.ts'
import { assertStorableForm, UnreadableForm } from './forms.ts'
import { isLanguage, languageNames, languages, type Language, type Translator } from './i18n.ts'
import { navigationFor, type NavigationSection } from './navigation.ts'
import { registerNotices } from './notices.ts'
import { hasPermission, isPermission } from './permissions.ts'
import { registerPersonPage, type PersonPageFrame } from './person-page.ts'
import type { Sessions } from './sessions.ts'
import { govukFrontendDirectory, govukInlineScriptHash, mojFrontendDirectory, type ViewEnvironment } from './views.ts'

export const SESSION_COOKIE = 'waymark_session'
export const LANGUAGE_COOKIE = 'waymark_language'

export type PlatformOptions = {
  config: Config
  sessions: Sessions
  translator: Translator
  views: ViewEnvironment
  navigation: readonly NavigationSection[]
  /** The tabs and actions of a person's record, each contributed by its area. */
  personPage: PersonPageFrame
  /** Issue 15: who sent a bearer token to the API, and the audit of each call; without it the API answers 401. */
  apiCallers?: ApiCallers
  /** Pages open to anyone, each under its own address in a frame of its own: an error there is shown in that frame. */
  publicFrames?: readonly PublicFrame[]
}

/**
 * Pages for the public under one address (`/worried-about-someone`), drawn in their own layout rather than the
 * staff service's: a page not found or an error under the address is shown in that layout, in words for the public
 * (`{messages}.404` and so on for 400, 403, 429 and 500, each page's body) and with a way back to its start page,
 * not in the staff frame with its staff words and sign-in.
 */
export type PublicFrame = { path: string; layout: string; startPage: string; messages: string }

/** The public frame an address is under, if any. */
export function publicFrameOf(frames: readonly PublicFrame[], url: string): PublicFrame | undefined {
  const address = url.split('?')[0]
  return frames.find((frame) => address === frame.path || address.startsWith(`${frame.path}/`))
}

/** The routes someone signed in with a one-time password may use before they choose their own. */
const whileChangingPassword = new Set(['/account/password', '/sign-out', '/my/password', '/my/sign-out'])

/**
 * What every page and API route stands on, in the order it runs: cookies, forms, security headers,
 * static assets, who is signed in, the permission the route declares, CSRF on every unsafe method, and
 * the GOV.UK error pages. Registered on the root instance so areas inherit all of it.
 */
export async function registerPlatform(app: FastifyInstance, options: PlatformOptions): Promise<void> {
  const { config } = options

  app.addHook('onRoute', (route) => {
    // @fastify/static cannot pass a route config; everything it serves under /assets/ is public.
    if (route.url.startsWith('/assets/') && !(route.config as { permission?: unknown } | undefined)?.permission)
      route.config = { ...route.config, permission: 'public' }
    const permission = (route.config as { permission?: unknown } | undefined)?.permission
    if (!isPermission(permission))
      throw new Error(`Route ${route.method.toString()} ${route.url} does not declare a valid permission in its config`)
    const declared = route.config as { apiRole?: unknown; csrf?: unknown } | undefined
    if (permission === 'api' && (typeof declared?.apiRole !== 'string' || !route.url.startsWith('/api/')))
      throw new Error(`API route ${route.method.toString()} ${route.url} must be under /api/ and name its apiRole`)
    if (declared?.csrf === false && permission !== 'api' && !route.url.startsWith('/oauth/'))
      throw new Error(`Route ${route.method.toString()} ${route.url} may not turn CSRF off: only the API's do`)
    // Issue 15: each client has its own limit, counted once its token is known (so before the handler).
    if (permission === 'api')
      route.config = {
        ...route.config,
        rateLimit: {
          max: config.apiCallsPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `api-client:${request.apiCaller?.clientId ?? request.ip}`,
        },
      }
  })

  await registerSecurityAndAssets(app, config)
  await registerApiDocument(app, config)
  registerWhoIsAsking(app, options)
  registerNotices(app, { secureCookies: config.secureCookies })
  registerAccessChecks(app, options)
  registerPagesAndErrors(app, options)
}

/** Cookies, forms, security headers, CSRF, rate limits and the static assets every page uses. */
async function registerSecurityAndAssets(app: FastifyInstance, config: PlatformOptions['config']) {
  await app.register(fastifyCookie, { secret: config.cookieSecret })
  await app.register(fastifyFormbody)
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", govukInlineScriptHash],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Signing out of a session begun at the identity provider redirects there, which form-action governs.
        formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.secureCookies,
    crossOriginEmbedderPolicy: false,
  })
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' },
  })
  await app.register(fastifyRateLimit, { global: false })

  await app.register(fastifyStatic, {
    root: path.join(govukFrontendDirectory, 'govuk/assets'),
    prefix: '/assets/',
    maxAge: '1d',
  })
  await app.register(fastifyStatic, minifiedFrontend(govukFrontendDirectory, 'govuk'))
  await app.register(fastifyStatic, minifiedFrontend(mojFrontendDirectory, 'moj'))
  await app.register(fastifyStatic, {
    root: path.resolve(import.meta.dirname, 'public'),
    prefix: '/assets/waymark/',
    decorateReply: false,
    maxAge: '1h',
  })
}

/**
 * Issue 15: the OpenAPI 3.1 document of the systems API, built from the same zod schemas the routes validate
 * with (served by the api area at /v3/api-docs). It collects every route registered after it, so it comes
 * before the areas; pages and the staff's own JSON are left out, only what other systems call is in.
 */
async function registerApiDocument(app: FastifyInstance, config: PlatformOptions['config']) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Waymark API',
        version: '1',
        description:
          'What the prison’s other systems need of Waymark: people and who is responsible for them, concerns, ' +
          'care plans and ACCT alerts, dedicated officers, timetables, attendance and measures. Every call needs a ' +
          'bearer token (client credentials at /oauth/token) and a Caseload-Id header naming the prison it is about.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          clientCredentials: {
            type: 'http',
            scheme: 'basic',
            description: 'The client id and secret, at /oauth/token',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: (input) => {
      const route = input.route.config as { permission?: string; apiRole?: string } | undefined
      if (route?.permission === 'api') {
        // The role a call needs is part of what the document says of it, in words a developer reads.
        const needs = `Needs ${route.apiRole ?? ''}${route.apiRole?.endsWith('__RO') ? ' (or its __RW)' : ''}.`
        const description = [input.schema.description, needs].filter(Boolean).join(' ')
        return jsonSchemaTransform({ ...input, schema: { ...input.schema, description } })
      }
      if (input.url.startsWith('/oauth/')) return jsonSchemaTransform(input)
      return { schema: { hide: true }, url: input.url }
    },
    transformObject: jsonSchemaTransformObject,
  })
}

/**
 * A design system's minified stylesheet and script (and their maps), served from its package under
 * `/assets/<name>/`: nothing else in the package is.
 */
function minifiedFrontend(packageDirectory: string, name: 'govuk' | 'moj') {
  const minified = new RegExp(`^/${name}-frontend\\.min\\.(css|js)(\\.map)?$`)
  return {
    root: path.join(packageDirectory, name),
    prefix: `/assets/${name}/`,
    decorateReply: false,
    allowedPath: (pathName: string) => minified.test(pathName),
    maxAge: '1d',
  }
}

/** Who is asking, and in which language: the session's user and the request's translator. */
function registerWhoIsAsking(app: FastifyInstance, { sessions, translator, personPage, apiCallers }: PlatformOptions) {
  app.decorateRequest('actor', null)
  app.decorateRequest('apiCaller', null)
  app.decorateRequest('apiRefusal', null)
  app.decorateRequest('sessionToken', null)
  app.decorateRequest('language', 'en')
  app.decorateRequest('t', undefined as unknown as FastifyRequest['t'])
  // A page that speaks to someone other than its reader (a slip printed for a person in custody) in their language.
  app.decorateRequest('tIn', function (language: Language) {
    return translator.forLanguage(language)
  })
  // A message that depends on a number, by the reader's language's plural rules, where a handler words it. Set
  // with `t` for each request, a function of its own: a method on the request lost its `this` when handed on
  // (`violationText(request.t, request.plural, …)` threw on any count it worded).
  app.decorateRequest('plural', undefined as unknown as FastifyRequest['plural'])
  app.decorateRequest('unreadNotifications', 0)
  registerPersonPage(app, personPage)

  app.addHook('onRequest', async (request) => {
    const chosen = request.cookies[LANGUAGE_COOKIE]
    request.language = isLanguage(chosen) ? chosen : 'en'
    request.t = translator.forLanguage(request.language)
    request.plural = translator.pluralFor(request.language)
    // Issue 15: another system, by its bearer token; it has no session, and a cookie sent beside it is ignored.
    const bearer = isApi(request) ? /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] : undefined
    if (bearer) {
      const found = apiCallers
        ? await apiCallers.resolve(bearer, {
            caseloadId: headerValue(request.headers['caseload-id']),
            username: headerValue(request.headers['username']),
          })
        : { status: 401 as const, developerMessage: 'This Waymark does not accept API tokens' }
      if ('clientId' in found) request.apiCaller = found
      else request.apiRefusal = found
      return
    }
    const token = request.cookies[SESSION_COOKIE]
    if (token) {
      // The header's count of unread notifications comes with the session, in the same query (issue 19).
      const resolved = await sessions.resolveForRequest(token)
      request.actor = resolved?.actor ?? null
      request.unreadNotifications = resolved?.unreadNotifications ?? 0
      request.sessionToken = resolved ? token : null
    }
  })
}

/** The route's permission, a password still to choose, CSRF, caching behind sign-in, and forms no one could send. */
function registerAccessChecks(app: FastifyInstance, { config, apiCallers }: PlatformOptions) {
  // Routes declare their params, query and body as zod schemas (platform/area.ts).
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  // Before validation: someone not signed in, or without the permission, learns nothing from a 400 about
  // what the address or form should have held.
  app.addHook('preValidation', async (request, reply) => {
    const permission = request.routeOptions.config.permission
    // An address with no route is a 404 for everyone: the not-found handler has no permission to check.
    if (permission === 'public' || request.is404) return
    if (permission === 'api') return checkApiCaller(request, reply)
    if (!request.actor) {
      if (isApi(request)) return sendApiError(reply, apiError(401, 'Unauthorised', 'Sign in first'))
      const expired = Boolean(request.cookies[SESSION_COOKIE])
      if (expired) reply.clearCookie(SESSION_COOKIE, { path: '/' })
      const query = new URLSearchParams()
      if (expired) query.set('expired', '1')
      if (request.method === 'GET') query.set('returnTo', request.url)
      // C1: the person's own view has its own sign-in page, plain and without the staff service around it.
      const signIn = request.url === '/my' || request.url.startsWith('/my/') ? '/my/sign-in' : '/sign-in'
      return reply.redirect(`${signIn}${query.size ? `?${query.toString()}` : ''}`, 303)
    }
    if (!permission || !hasPermission(request.actor.role, permission)) throw new HttpProblem(403, 'Forbidden')
    // Issue 13: a one-time password from an administrator is known to two people: until its holder chooses
    // their own, the only pages are the one to choose it and signing out.
    const person = request.actor.role === 'person'
    if (
      request.actor.mustChangePassword &&
      (person || config.localSignIn) &&
      !whileChangingPassword.has(request.routeOptions.url!)
    ) {
      if (request.method === 'GET') return reply.redirect(person ? '/my/password' : '/account/password', 303)
      throw new HttpProblem(403, 'Choose your own password first')
    }
  })

  app.addHook('preHandler', (request, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return done()
    if (request.routeOptions.config.csrf === false) return done()
    app.csrfProtection(request, reply, done)
  })

  // Shared PCs on a wing, kiosks and in-cell devices must keep no copy of what sits behind sign-in, in the
  // browser or a proxy: every answer to a signed-in user, or from a route that needs one, pages, CSV and JSON
  // alike. The public assets keep their own caching.
  // Issue 15: every API call is in the audit trail with its client before its answer leaves; if the entry
  // cannot be written, the answer is an error, not data no one recorded reading.
  app.addHook('onSend', async (request, reply, payload) => {
    // A refusal to a registered client (another prison asked about, say) is on record too.
    const caller = request.apiCaller ?? request.apiRefusal?.client
    if (!caller || !apiCallers) return payload
    try {
      await apiCallers.recordCall(caller, {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        statusCode: reply.statusCode,
        // Which person, concern or plan was asked about, as a page's audit entry names whom it showed.
        params: { ...(request.params as Record<string, string> | undefined) },
      })
      return payload
    } catch (error) {
      request.log.error(
        { err: { type: (error as Error).name, stack: (error as Error).stack } },
        'API call not recorded',
      )
      // A change made is answered as made: it and its own audit entry were saved together, and an error would
      // have the system send it again (an observation recorded twice). What is withheld is a read.
      if (!['GET', 'HEAD'].includes(request.method) && reply.statusCode < 400) return payload
      for (const header of ['etag', 'location', 'last-modified']) reply.removeHeader(header)
      reply.code(500).type('application/json; charset=utf-8')
      return JSON.stringify(apiError(500, 'Something went wrong'))
    }
  })

  app.addHook('onSend', async (request, reply) => {
    const permission = request.routeOptions.config?.permission
    const behindSignIn = permission !== undefined && permission !== 'public'
    if (behindSignIn || (request.actor && !request.url.startsWith('/assets/')))
      reply.header('cache-control', 'no-store')
  })

  // Once for every route, before any reads a field: text no form sends and PostgreSQL refuses (a NUL) and
  // more fields than any form has are a 400 that says why, never a 500 from the database or a slow handler.
  app.addHook('preHandler', async (request) => {
    assertStorableForm(request.body)
    assertStorableForm(request.query)
    assertStorableForm(request.params)
  })
}

/** Every page in its layout (menu, language links, CSRF token), and the GOV.UK error pages. */
function registerPagesAndErrors(app: FastifyInstance, { views, navigation, publicFrames = [] }: PlatformOptions) {
  app.decorateReply('page', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request
    const actor = request.actor
    const t = request.t
    const { menu, section } = actor
      ? navigationFor(navigation, actor.role, request.url, actor)
      : { menu: [], section: undefined }
    const html = views.render(template, {
      t,
      plural: request.plural,
      language: request.language,
      htmlLang: request.language,
      actor,
      roleName: actor ? t(`role.${actor.role}`) : undefined,
      unreadNotifications: request.unreadNotifications,
      csrfToken: this.generateCsrf(),
      currentPath: request.url.split('?')[0],
      languageLinks: languages.map((language: Language) => ({
        text: languageNames[language],
        lang: language,
        current: language === request.language,
        href: `/language/${language}?returnTo=${encodeURIComponent(request.url)}`,
      })),
      navigation: menu.map((link) => ({ text: t(link.messageKey), href: link.href, active: link.active })),
      sectionNavigation: section && {
        label: t('chrome.sectionNavigation', { section: t(section.messageKey) }),
        items: section.items.map((link) => ({ text: t(link.messageKey), href: link.href, active: link.active })),
      },
      ...context,
    })
    // govuk-frontend's error messages tell a screen reader "Error:" whatever the page's language (issue 18).
    const spoken = request.language === 'en' ? html : html.replaceAll(ENGLISH_ERROR_PREFIX, welshErrorPrefix(t))
    return this.type('text/html; charset=utf-8').send(spoken)
  })

  app.setNotFoundHandler({ preHandler: undefined }, (request, reply) => {
    if (isApi(request)) return sendApiError(reply, apiError(404, 'No such resource'))
    return reply.code(404).page('error.njk', { statusCode: 404, publicFrame: publicFrameOf(publicFrames, request.url) })
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = statusOf(error)
    const lostConnection = isLostDatabaseConnection(error)
    const writeConflict = isWriteConflict(error)
    if (statusCode >= 500)
      request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed')
    // A save that met another is told apart, with the table and key (never the values): where only one request
    // writes at a time (the embedded database), one is a fault to look into, not a race.
    else if (writeConflict) request.log.warn(writeConflictOf(error), 'save met another')
    else request.log.info({ statusCode, reason: error.code ?? error.name }, 'request refused')
    if (isApi(request)) {
      const message = lostConnection
        ? request.t('error.lostConnection.message')
        : writeConflict
          ? request.t('error.409.message')
          : statusCode >= 500
            ? 'Something went wrong'
            : error instanceof ZodError
              ? describeZodError(error)
              : error.message
      return sendApiError(reply, apiError(statusCode, statusCode >= 500 ? message : httpReason(statusCode), message))
    }
    return reply.code(statusCode).page('error.njk', {
      statusCode,
      publicFrame: publicFrameOf(publicFrames, request.url),
      lostConnection,
      reason: error instanceof UnreadableForm ? error.messageKey : undefined,
    })
  })
}

/**
 * A route for other systems: a bearer token that was accepted, holding the role the route names. The
 * prison asked about was checked with the token (platform/api-callers.ts).
 */
function checkApiCaller(request: FastifyRequest, reply: FastifyReply) {
  const caller = request.apiCaller
  if (!caller) {
    const refusal = request.apiRefusal ?? { status: 401, developerMessage: 'Send a bearer token from /oauth/token' }
    return sendApiError(reply, apiError(refusal.status, httpReason(refusal.status), refusal.developerMessage))
  }
  const role = request.routeOptions.config.apiRole ?? ''
  if (!holdsApiRole(caller.roles, role))
    return sendApiError(reply, apiError(403, 'Forbidden', `This client does not hold ${role}`))
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Other systems' addresses: answered in JSON, errors in HMPPS's shape, never a page. */
function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/oauth/')
}

function statusOf(error: FastifyError): number {
  if (error instanceof HttpProblem) return error.statusCode
  if (error instanceof ZodError) return 400
  // A restart or failover of PostgreSQL: the request can be tried again on a new connection.
  if (isLostDatabaseConnection(error)) return 503
  // Two saves of the same record at once (a double click, most often): this one saved nothing.
  if (isWriteConflict(error)) return 409
  const code = error.statusCode
  if (code && code >= 400 && code < 600) return code
  return 500
}

function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ')
}

function httpReason(statusCode: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorised',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      428: 'Precondition Required',
      429: 'Too Many Requests',
      503: 'Service Unavailable',
    }[statusCode] ?? 'Internal Server Error'
  )
}

const ENGLISH_ERROR_PREFIX = '<span class="govuk-visually-hidden">Error:</span>'
const welshErrorPrefix = (t: (key: string) => string) =>
  `<span class="govuk-visually-hidden">${t('chrome.errorPrefix').trim()}</span>`
