import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Config } from '../../config.ts'
import type { Translate } from '../../platform/i18n.ts'
import { renewCsrfSecret } from '../../platform/csrf.ts'
import { SESSION_COOKIE } from '../../platform/plugin.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { Sessions } from '../../platform/sessions.ts'
import { signInLimits } from '../../platform/sign-in-limits.ts'
import { dangerAnswers, ratings } from './rules.ts'
import { CHANGE_REASON_MAX, FEEDBACK_MAX, WORRY_MAX, type MyViewService, type Refusal } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import type { FieldError } from '../../platform/forms.ts'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'

function fieldErrors(t: Translate, refusals: readonly Refusal[], values: Record<string, string | number> = {}) {
  return refusals.map((refusal): FieldError => ({
    field: refusal.field,
    text: t(refusal.messageKey, { ...values, ...refusal.values }),
    href: `#${refusal.field}`,
  }))
}

const SignInForm = z.object({
  username: z.string().trim().max(64).default(''),
  password: z.string().max(256).default(''),
})
const SignInQuery = z.object({ expired: z.string().optional(), signedOut: z.string().optional() })
const Text = (max: number) =>
  z
    .string()
    .max(max * 2)
    .default('')
const ChangeForm = z.object({ reason: Text(CHANGE_REASON_MAX) })
const WorryForm = z.object({
  about: z.enum(['me', 'someone-else']).optional().catch(undefined),
  firstName: Text(100),
  lastName: Text(100),
  wing: Text(40),
  whatIsHappening: Text(WORRY_MAX),
  danger: z.enum(dangerAnswers).optional().catch(undefined),
})
const FeedbackForm = z.object({
  activityId: z.string().max(100).default(''),
  rating: z.coerce.number().int().min(1).max(5).optional().catch(undefined),
  comment: Text(FEEDBACK_MAX),
})

/** The signed-in person; the routes' permission (`my-view`) lets no one else this far. */
function me(request: FastifyRequest): Actor {
  return actorOf(request)
}

/**
 * C1: the person in custody's own pages under /my, with a sign-in of their own. No address here carries a
 * prison number or anyone's id: each page is about the signed-in person, so there is nobody else's to ask for.
 */
export function registerMyViewRoutes(
  app: AreaRoutes,
  { myView, sessions, config }: { myView: MyViewService; sessions: Sessions; config: Config },
) {
  registerSignInRoutes(app, { sessions, config })
  registerOwnPages(app, myView)
  registerWorryAndFeedbackRoutes(app, myView)
}

/** C1: their own sign-in and sign-out, with a session cookie like staff's. */
function registerSignInRoutes(app: AreaRoutes, { sessions, config }: { sessions: Sessions; config: Config }) {
  const sessionCookie = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies }

  function showSignIn(reply: FastifyReply, context: Record<string, unknown>) {
    return reply.page('my-view/views/sign-in.njk', { values: {}, ...context })
  }

  app.get(
    '/my/sign-in',
    { schema: { querystring: SignInQuery }, config: { permission: 'public' } },
    async (request, reply) => {
      const query = request.query
      if (request.actor?.role === 'person') return reply.redirect('/my', 303)
      return showSignIn(reply, {
        notice: query.expired ? 'my.signIn.expired' : query.signedOut ? 'my.signIn.signedOut' : undefined,
      })
    },
  )

  app.post(
    '/my/sign-in',
    {
      config: { permission: 'public' },
      preHandler: signInLimits(app, config),
    },
    async (request, reply) => {
      const form = SignInForm.parse(request.body ?? {})
      const refusals: Refusal[] = []
      if (!form.username) refusals.push({ field: 'username', messageKey: 'my.signIn.enterUsername' })
      if (!form.password) refusals.push({ field: 'password', messageKey: 'my.signIn.enterPassword' })
      if (refusals.length === 0) {
        const outcome = await sessions.signInPerson(form.username, form.password)
        if (outcome.signedIn) {
          reply.setCookie(SESSION_COOKIE, outcome.token, sessionCookie)
          renewCsrfSecret(reply)
          return reply.redirect('/my', 303)
        }
        refusals.push({
          field: 'username',
          messageKey: outcome.codeExpired ? 'my.signIn.codeExpired' : 'my.signIn.wrong',
        })
      }
      return showSignIn(reply.code(400), {
        errors: fieldErrors(request.t, refusals),
        values: { username: form.username },
      })
    },
  )

  app.post('/my/sign-out', { config: { permission: 'my-view' } }, async (request, reply) => {
    if (request.actor && request.sessionToken) await sessions.signOut(request.sessionToken, request.actor)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    renewCsrfSecret(reply)
    return reply.redirect('/my/sign-in?signedOut=1', 303)
  })
}

/** C1, S3, K2: their home page, care plan, timetable and officer, and a request to change officer. */
function registerOwnPages(app: AreaRoutes, myView: MyViewService) {
  app.get('/my', { config: { permission: 'my-view' } }, async (request, reply) => {
    const { label } = await myView.officerLabel(me(request), request.language)
    const hasCarePlan = await myView.hasCarePlan(me(request))
    const t = request.t
    return reply.page('my-view/views/home.njk', {
      links: [
        ...(hasCarePlan
          ? [{ href: '/my/care-plan', text: t('my.home.carePlan'), hint: t('my.home.carePlanHint') }]
          : []),
        { href: '/my/timetable', text: t('my.home.timetable'), hint: t('my.home.timetableHint') },
        { href: '/my/officer', text: t('my.home.officer', { label }), hint: t('my.home.officerHint') },
        { href: '/my/worry', text: t('my.home.worry'), hint: t('my.home.worryHint') },
        { href: '/my/feedback', text: t('my.home.feedback'), hint: t('my.home.feedbackHint') },
      ],
    })
  })

  // S3: their own copy of their care plan, in large type
  app.get('/my/care-plan', { config: { permission: 'my-view' } }, async (request, reply) => {
    const plan = await myView.carePlan(me(request))
    const { label } = await myView.officerLabel(me(request), request.language)
    return reply.page('my-view/views/care-plan.njk', { plan, label })
  })

  app.get('/my/timetable', { config: { permission: 'my-view' } }, async (request, reply) => {
    const { weeks, today } = await myView.timetable(me(request))
    const empty = weeks.every((week) => week.days.every((day) => day.sessions.length === 0))
    return reply.page('my-view/views/timetable.njk', { weeks, today, empty })
  })

  app.get('/my/officer', { config: { permission: 'my-view' } }, async (request, reply) => {
    const view = await myView.officer(me(request), request.language)
    return reply.page('my-view/views/officer.njk', { ...view, sent: request.done?.word === 'sent' })
  })

  async function showChangeOfficer(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const { label } = await myView.officerLabel(me(request), request.language)
    return reply.page('my-view/views/change-officer.njk', { label, values: {}, ...context })
  }

  app.get('/my/officer/change', { config: { permission: 'my-view' } }, async (request, reply) =>
    showChangeOfficer(request, reply, {}),
  )

  app.post('/my/officer/change', { config: { permission: 'my-view' } }, async (request, reply) => {
    const form = ChangeForm.parse(request.body ?? {})
    const refusal = await myView.askToChangeOfficer(me(request), form.reason)
    if (!refusal) return reply.redirectWithNotice('/my/officer', 'sent')
    const { label } = await myView.officerLabel(me(request), request.language)
    return showChangeOfficer(request, reply.code(400), {
      errors: fieldErrors(request.t, [refusal], { label }),
      values: form,
    })
  })
}

/** S1, R7: a worry raised and what became of it, and feedback on the activities they go to. */
function registerWorryAndFeedbackRoutes(app: AreaRoutes, myView: MyViewService) {
  function showWorry(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const values = (context.values ?? {}) as { danger?: string }
    return reply.page('my-view/views/worry.njk', {
      values: {},
      dangerItems: dangerAnswers.map((answer) => ({
        value: answer,
        text: request.t(`my.worry.danger.${answer}`),
        checked: values.danger === answer,
      })),
      ...context,
    })
  }

  app.get('/my/worry', { config: { permission: 'my-view' } }, async (request, reply) => showWorry(request, reply, {}))

  app.post('/my/worry', { config: { permission: 'my-view' } }, async (request, reply) => {
    const form = WorryForm.parse(request.body ?? {})
    const refusals: Refusal[] = []
    if (!form.about) refusals.push({ field: 'about', messageKey: 'my.worry.error.about' })
    if (!form.danger) refusals.push({ field: 'danger', messageKey: 'my.worry.error.danger' })
    if (refusals.length === 0 && form.about && form.danger)
      refusals.push(...(await myView.raiseWorry(me(request), { ...form, about: form.about, danger: form.danger })))
    if (refusals.length === 0) return reply.redirectWithNotice('/my/worries', 'sent')
    return showWorry(request, reply.code(400), { errors: fieldErrors(request.t, refusals), values: form })
  })

  app.get(
    '/my/worries',
    { schema: { querystring: PageQuery }, config: { permission: 'my-view' } },
    async (request, reply) => {
      const view = await myView.worries(me(request), { page: request.query.page })
      return reply.page('my-view/views/worries.njk', {
        ...view,
        pageLink: pageLinks('/my/worries', {}),
        sent: request.done?.word === 'sent',
      })
    },
  )

  async function showFeedback(request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>) {
    const view = await myView.feedback(me(request))
    const values = (context.values ?? {}) as { activityId?: string; rating?: number }
    return reply.page('my-view/views/feedback.njk', {
      ...view,
      values: {},
      activityItems: view.activities.map((activity) => ({
        value: activity.activityId,
        text: activity.activityName,
        checked: values.activityId === activity.activityId,
      })),
      ratingItems: ratings.map((rating) => ({
        value: String(rating),
        text: request.t(`my.feedback.rating.${rating}`),
        checked: values.rating === rating,
      })),
      ...context,
    })
  }

  app.get('/my/feedback', { config: { permission: 'my-view' } }, async (request, reply) =>
    showFeedback(request, reply, { sent: request.done?.word === 'sent' }),
  )

  app.post('/my/feedback', { config: { permission: 'my-view' } }, async (request, reply) => {
    const form = FeedbackForm.parse(request.body ?? {})
    const refusals: Refusal[] = []
    if (form.rating === undefined) refusals.push({ field: 'rating', messageKey: 'my.feedback.error.rating' })
    else refusals.push(...(await myView.giveFeedback(me(request), { ...form, rating: form.rating })))
    if (refusals.length === 0) return reply.redirectWithNotice('/my/feedback', 'sent')
    return showFeedback(request, reply.code(400), { errors: fieldErrors(request.t, refusals), values: form })
  })
}
