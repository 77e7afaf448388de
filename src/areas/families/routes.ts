import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { dateFromInput, dateInputErrorHrefs, dateInputParts } from '../../platform/date-input.ts'
import { formPageOf, registerFormPost } from '../../platform/form-page.ts'
import { fieldErrors, isRefusal, type FieldError, type Refusal } from '../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../platform/prison-settings.ts'
import { keepInCookie, readKeptCookie } from '../../platform/kept-cookie.ts'
import type { NavigationItem } from '../../platform/navigation.ts'
import { hasPermission, type Actor, type Permission } from '../../platform/permissions.ts'
import type { PublicFrame } from '../../platform/plugin.ts'
import { familyStatuses, howSoonAnswers, NOT_HELD_HERE_NOTE_MAX, selfHarmAnswers, WHAT_WORRIES_MAX } from './rules.ts'
import type { FamiliesService, WorryForm } from './service.ts'
import { doneNotices } from '../../platform/notices.ts'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'

export const familiesNavigation: readonly NavigationItem[] = [
  { messageKey: 'families.navigation', href: '/family-worries', permission: 'family-worries.view' },
]

const PUBLIC_PATH = '/worried-about-someone'
/** Issue 14: the public pages' own frame, which a page not found or an error under them keeps too. */
export const familiesPublicFrame: PublicFrame = {
  path: PUBLIC_PATH,
  layout: 'families/views/public-layout.njk',
  startPage: PUBLIC_PATH,
  messages: 'families.error',
}
const SENT_COOKIE = 'waymark_worry_sent'
const SENT_MINUTES = 10
/**
 * Once shown, the reference and code stay for this long: enough to read them again in the other language or after
 * a reload, short enough that the next person at a shared computer does not find them.
 */
const SHOWN_SECONDS = 120
const Sent = z.object({
  reference: z.string(),
  followUpCode: z.string(),
  prison: z.string(),
  phone: z.string().nullable(),
  /** When the page first showed them (milliseconds since 1970). */
  shownAt: z.number().optional(),
})

/** Every field as a string, whatever was sent: the service says what is wrong with each, in the form's words. */
const text = z.string().default('').catch('')
const WorryBody = z
  .object({
    establishmentCode: text,
    personName: text,
    prisonNumber: text,
    whatWorries: text,
    howSoon: text,
    selfHarm: text,
    relationship: text,
    raiserName: text,
    raiserPhone: text,
    raiserEmail: text,
    mayTell: text,
    website: text,
  })
  .passthrough()
const FollowUpBody = z.object({ reference: text, code: text })
// Any text up to a URL's length: an id that is not a worry's is a 404 from the service, as an unknown one is.
const IdParams = z.object({ id: z.string().max(2000) })
/** The prison number to check, and `confirm` once safer custody have seen whom it finds and said yes. */
const MatchBody = z.object({ prisonNumber: text, confirm: text })
const StatusBody = z.object({ familyStatus: text })
const MaliciousBody = z.object({ reason: text })
const NotHeldHereBody = z.object({ note: text })
const PhoneBody = z.object({ phone: text, drawn: DrawnField })
const noticeOf = doneNotices({
  matched: 'families.match.done',
  status: 'families.status.done',
  malicious: 'families.malicious.done',
  'not-held-here': 'families.notHeldHere.done',
  phone: 'families.phone.done',
  'care-plan': 'families.carePlan.done',
})

/** The address a worry came from, as the limits count it. Behind a proxy, the client's (app.ts trusts it). */
const addressOf = (request: FastifyRequest) => normalizeIP(request.ip)

/** The public page again, with the messages where a worry was refused or over a limit. */
async function showPublicForm(
  families: FamiliesService,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: {
    errors?: FieldError[]
    values?: Record<string, unknown>
    limited?: { name: string; phone: string | null }
  },
) {
  const { prisons } = await families.publicPage()
  const values = extra.values ?? {}
  return reply.page('families/views/worried.njk', {
    prisons,
    howSoonAnswers,
    selfHarmAnswers,
    maxLength: WHAT_WORRIES_MAX,
    dateOfBirth: dateInputParts(values, 'dateOfBirth', null),
    errors: dateInputErrorHrefs(extra.errors ?? [], 'dateOfBirth'),
    values,
    limited: extra.limited ?? null,
  })
}

/** Issue 14: the public page, for anyone, and the reference and code shown once a worry is taken. */
function registerPublicRoutes(app: AreaRoutes, families: FamiliesService, secureCookies: boolean) {
  // Issue 14: the public page, for anyone, signed in or not
  app.get(PUBLIC_PATH, { config: { permission: 'public' } }, async (request, reply) =>
    showPublicForm(families, request, reply, {}),
  )
  app.post(PUBLIC_PATH, { config: { permission: 'public' } }, async (request, reply) => {
    const body = WorryBody.parse(request.body ?? {})
    const form: WorryForm = {
      ...body,
      dateOfBirth: dateFromInput(body, 'dateOfBirth'),
      honeypot: body.website,
    }
    const outcome = await families.raiseWorry(form, { address: addressOf(request), language: request.language })
    if (outcome.kind === 'refused')
      return showPublicForm(families, request, reply.code(400), {
        errors: fieldErrors(request.t, outcome.refusals, { onePerField: true }),
        values: body,
      })
    // Over a limit the worry is not taken, and the page says so plainly, with the numbers to ring instead.
    if (outcome.kind === 'limited')
      return showPublicForm(families, request, reply.code(429), {
        errors: fieldErrors(request.t, [{ field: '', messageKey: 'families.limited.title' }]),
        values: body,
        limited: outcome.prison,
      })
    keepInCookie(
      reply,
      SENT_COOKIE,
      {
        reference: outcome.reference,
        followUpCode: outcome.followUpCode,
        prison: outcome.prison.name,
        phone: outcome.prison.phone,
      },
      { path: `${PUBLIC_PATH}/sent`, maxAgeSeconds: SENT_MINUTES * 60, secure: secureCookies, sameSite: 'strict' },
    )
    return reply.redirect(`${PUBLIC_PATH}/sent`, 303)
  })

  // The reference and code, shown for a short while: the cookie that carried them from the form is kept, once
  // they are shown, only for the time it takes to switch language or reload, then it goes.
  app.get(`${PUBLIC_PATH}/sent`, { config: { permission: 'public' } }, async (request, reply) => {
    const sent = readKeptCookie(request, SENT_COOKIE, Sent)
    const now = Date.now()
    if (!sent || (sent.shownAt !== undefined && now - sent.shownAt > SHOWN_SECONDS * 1000)) {
      reply.clearCookie(SENT_COOKIE, { path: `${PUBLIC_PATH}/sent` })
      return reply.redirect(PUBLIC_PATH, 303)
    }
    if (sent.shownAt === undefined)
      keepInCookie(
        reply,
        SENT_COOKIE,
        { ...sent, shownAt: now },
        { path: `${PUBLIC_PATH}/sent`, maxAgeSeconds: SHOWN_SECONDS, secure: secureCookies, sameSite: 'strict' },
      )
    return reply.header('cache-control', 'no-store').page('families/views/sent.njk', { sent })
  })
}

/** Issue 14: what a family may know later, with their reference and code. */
function registerFollowUpRoutes(app: AreaRoutes, families: FamiliesService) {
  // Guessing a code would take far longer than this allows; a family checks once or twice. In each process's
  // memory, as the sign-in limits are: the code's length is the real guard.
  const followUpLimit = app.createRateLimit({ max: 10, timeWindow: 60_000, keyGenerator: addressOf })
  app.get(`${PUBLIC_PATH}/follow-up`, { config: { permission: 'public' } }, async (_request, reply) =>
    reply.page('families/views/follow-up.njk', { errors: [], values: {}, found: null }),
  )
  app.post(`${PUBLIC_PATH}/follow-up`, { config: { permission: 'public' } }, async (request, reply) => {
    const { reference, code } = FollowUpBody.parse(request.body ?? {})
    const limit = await followUpLimit(request)
    if (!limit.isAllowed && limit.isExceeded)
      return reply
        .code(429)
        .header('retry-after', String(limit.ttlInSeconds))
        .page('families/views/follow-up.njk', {
          errors: fieldErrors(request.t, [{ field: 'reference', messageKey: 'families.followUp.error.tooMany' }]),
          values: { reference },
          found: null,
        })
    const refusals = [
      reference.trim() ? null : { field: 'reference', messageKey: 'families.followUp.error.reference' },
      code.trim() ? null : { field: 'code', messageKey: 'families.followUp.error.code' },
    ]
    const found = refusals.some(Boolean) ? null : await families.followUp(reference, code)
    const errors = refusals.some(Boolean)
      ? fieldErrors(request.t, refusals)
      : found
        ? []
        : fieldErrors(request.t, [{ field: 'reference', messageKey: 'families.followUp.error.notFound' }])
    return reply
      .code(errors.length ? 400 : 200)
      .header('cache-control', 'no-store')
      .page('families/views/follow-up.njk', { errors, values: { reference }, found })
  })
}

/** Issue 14: the worries at the prison, for safer custody, and the forms on one worry's page. */
function registerSaferCustodyRoutes(app: AreaRoutes, families: FamiliesService) {
  // Issue 14: inside the prison, for safer custody
  const showWorries = formPageOf('families/views/list.njk', async (request, _params, sentBack) => {
    const actor = actorOf(request)
    const { page } = PageQuery.parse(request.query ?? {})
    const view = {
      ...(await families.listWorries(actor, { page })),
      pageLink: pageLinks('/family-worries', {}),
      keepsPhoneLine: hasPermission(actor.role, 'family-worries.settings'),
    }
    const phoneForm = settingsForm({ phone: view.phone }, sentBack, (saved) => ({ phone: saved.phone ?? '' }))
    return { ...view, ...phoneForm, notice: sentBack ? null : noticeOf(request) }
  })
  app.get('/family-worries', { config: { permission: 'family-worries.view' } }, async (request, reply) =>
    showWorries(request, reply, {}),
  )
  registerFormPost(app, {
    path: '/family-worries/phone-line',
    permission: 'family-worries.settings',
    show: showWorries,
    form: PhoneBody,
    messages: {},
    save: (actor, _params, { phone, drawn }) => families.savePhoneLine(actor, phone, drawn),
    next: () => '/family-worries',
    done: 'phone',
  })

  /** One worry's page, again with the message where a form on it was refused. */
  const showWorry = formPageOf(
    'families/views/worry.njk',
    async (request, { id }: z.infer<typeof IdParams>, sentBack) => {
      const { worry, mayKnowRaiser } = await families.viewWorry(actorOf(request), id)
      return {
        worry,
        mayKnowRaiser,
        familyStatuses,
        noteMax: NOT_HELD_HERE_NOTE_MAX,
        notice: noticeOf(request),
        ...(!sentBack && { values: { familyStatus: worry.familyStatus } }),
      }
    },
  )
  app.get(
    '/family-worries/:id',
    { schema: { params: IdParams }, config: { permission: 'family-worries.view' } },
    async (request, reply) => showWorry(request, reply, request.params),
  )

  /** A form on one worry's page: saved, back to the page with a notice; refused, the page with the message. */
  function worryForm<Form>(
    path: string,
    form: z.ZodType<Form>,
    save: (actor: Actor, id: string, form: Form) => Promise<Refusal | null>,
    done: string,
    permission: Permission = 'family-worries.view',
  ) {
    registerFormPost(app, {
      path: `/family-worries/:id/${path}`,
      params: IdParams,
      permission,
      show: showWorry,
      form,
      messages: {},
      save: (actor, { id }, sent) => save(actor, id, sent),
      next: ({ id }) => `/family-worries/${id}`,
      done,
    })
  }
  // Matching by hand is two steps, as GOV.UK checks answers before it acts: the number typed shows whom it finds at
  // the prison beside what the family gave, and only "Yes, match to this person" raises the concern.
  app.post(
    '/family-worries/:id/match',
    { schema: { params: IdParams }, config: { permission: 'family-worries.view' } },
    async (request, reply) => {
      const actor = actorOf(request)
      const { id } = request.params
      const { prisonNumber, confirm } = MatchBody.parse(request.body ?? {})
      const outcome =
        confirm === 'yes'
          ? await families.matchByHand(actor, id, prisonNumber)
          : await families.personToMatch(actor, id, prisonNumber)
      if (isRefusal(outcome))
        return showWorry(
          request,
          reply.code(400),
          { id },
          { errors: fieldErrors(request.t, [outcome]), values: { prisonNumber } },
        )
      if (outcome === null) return reply.redirectWithNotice(`/family-worries/${id}`, 'matched')
      return reply.page('families/views/confirm-match.njk', outcome)
    },
  )
  worryForm('care-plan', z.object({}), (actor, id) => families.linkToCarePlan(actor, id), 'care-plan')
  worryForm('status', StatusBody, (actor, id, form) => families.setFamilyStatus(actor, id, form.familyStatus), 'status')
  worryForm(
    'malicious',
    MaliciousBody,
    (actor, id, form) => families.markMalicious(actor, id, form.reason),
    'malicious',
  )
  worryForm(
    'not-held-here',
    NotHeldHereBody,
    (actor, id, form) => families.closeNotHeldHere(actor, id, form.note),
    'not-held-here',
    'family-worries.raiser',
  )
}

export function registerFamiliesRoutes(
  app: AreaRoutes,
  { families, secureCookies }: { families: FamiliesService; secureCookies: boolean },
) {
  registerPublicRoutes(app, families, secureCookies)
  registerFollowUpRoutes(app, families)
  registerSaferCustodyRoutes(app, families)
}
