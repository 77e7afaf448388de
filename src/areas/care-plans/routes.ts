import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { CaseReviewAttendee } from '../../db/schema.ts'
import { fieldErrors, schemaErrors, type FieldError, type FieldRefusal } from '../../platform/forms.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import type { Language } from '../../platform/i18n.ts'
import {
  closureChecks,
  defaultDeadlinePeriod,
  supervisionFloors,
  immediateReviewReasons,
  referralOutcomes,
  riskLevels,
  riskNamesIn,
  settingLimits,
  type CarePlanSettings,
  type Refusal,
} from './rules.ts'
import { londonDate, londonOffsetMinutes, londonTime } from '../../platform/dates.ts'
import { planLists, type AttendanceInput, type CarePlanService, type DeadlinesView } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

export const carePlanNavigation: readonly NavigationItem[] = [
  { messageKey: 'carePlans.navigation.lists', href: '/care-plans', permission: 'care-plans.lists' },
  { messageKey: 'carePlans.navigation.deadlines', href: '/care-plans/deadlines', permission: 'care-plans.lists' },
  { messageKey: 'carePlans.navigation.settings', href: '/care-plan-settings', permission: 'care-plans.settings' },
]

export const carePlanTab: PersonTab = {
  messageKey: 'carePlans.tab',
  path: 'care-plans',
  permission: 'care-plans.view-summary',
}

const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const Text = (max: number) => z.string().trim().min(1).max(max)
const OptionalText = (max: number) => z.string().trim().max(max).default('')
/** A date as staff type it, 25/11/2026 (or 2026-11-25), as 'YYYY-MM-DD'; anything else fails. */
function isoDateOf(text: string): string {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)
  const iso = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : text
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return ''
  const parsed = Date.parse(`${iso}T00:00:00Z`)
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(iso) ? iso : ''
}
const DateText = z.string().trim().transform(isoDateOf).pipe(z.string().min(1))
const TimeText = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/)
const Params = PersonParams.extend({ id: z.string().max(40) })
const Tick = z
  .union([z.literal('yes'), z.literal('')])
  .optional()
  .transform((value) => value === 'yes')

/** Names typed into one box, separated by commas. */
const namesIn = (typed: string) =>
  typed
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)

/** Who attended a review by role, from the form; the case manager is added by the service from its choice. */
function attendanceOf(
  data: z.infer<typeof AttendanceForm>,
  organisations: readonly { id: string; name: string }[],
): AttendanceInput {
  const partnerIds = [data.partnerIds ?? []].flat()
  const attendees: CaseReviewAttendee[] = [
    ...(data.healthcareAttended ? [{ kind: 'healthcare' as const, name: data.healthcareAttended }] : []),
    ...namesIn(data.wingStaffAttended).map((name) => ({ kind: 'wing-staff' as const, name })),
    ...(data.chaplaincyAttended ? [{ kind: 'chaplaincy' as const, name: data.chaplaincyAttended }] : []),
    ...(data.familyAttended ? [{ kind: 'family' as const, name: data.familyAttended }] : []),
    ...organisations
      .filter((organisation) => partnerIds.includes(organisation.id))
      .map((organisation) => ({ kind: 'partner' as const, name: organisation.name })),
    ...namesIn(data.staffAttended).map((name) => ({ kind: 'staff' as const, name })),
  ]
  return {
    attendees,
    personPresent: data.personPresent === undefined ? null : data.personPresent === 'yes',
    personAbsentReason: data.personAbsentReason,
    healthcareInput: data.healthcareInput,
    healthcareAbsentReason: data.healthcareAbsentReason,
  }
}

/** The supervision a form set: constant, by its officer, or the four numbers of observations at intervals. */
function supervisionOf(
  data: z.infer<z.ZodObject<typeof IntervalSupervision>> | z.infer<z.ZodObject<typeof ConstantSupervision>>,
) {
  if (data.supervisionKind === 'constant')
    return {
      constantOfficerId: data.constantOfficerId,
      supervision: { observationsPerDay: 0, observationsPerNight: 0, conversationsPerDay: 0, conversationsPerNight: 0 },
    }
  return {
    constantOfficerId: null,
    supervision: {
      observationsPerDay: data.observationsPerDay,
      observationsPerNight: data.observationsPerNight,
      conversationsPerDay: data.conversationsPerDay,
      conversationsPerNight: data.conversationsPerNight,
    },
  }
}

/** A date and a time typed on a form, read as the prison's local (UK) time. */
function instantOf(date: string, time: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  return londonTime(date, hour, minute)
}

/** '2026-11-25' as staff write it: '25/11/2026'. */
function ukDate(iso: string): string {
  const [year, month, day] = iso.split('-')
  return `${day}/${month}/${year}`
}

/** Now as the prison's clock shows it, to fill in a form. */
function localNow(now: Date) {
  const local = new Date(now.getTime() + londonOffsetMinutes(now) * 60_000)
  return { date: ukDate(londonDate(now)), time: local.toISOString().slice(11, 16) }
}

const Supervision = {
  observationsPerDay: Whole(0, 96),
  observationsPerNight: Whole(0, 96),
  conversationsPerDay: Whole(0, 24),
  conversationsPerNight: Whole(0, 24),
}
const supervisionMessages = {
  observationsPerDay: 'carePlans.error.observations',
  observationsPerNight: 'carePlans.error.observations',
  conversationsPerDay: 'carePlans.error.conversations',
  conversationsPerNight: 'carePlans.error.conversations',
}

const OpenForm = z.object({ reason: Text(4000), concernId: z.string().max(40).optional() })
/** Observations at intervals take their four numbers; constant supervision takes the officer instead. */
const isConstant = (body: unknown) =>
  (body as { supervisionKind?: unknown } | undefined)?.supervisionKind === 'constant'
const ConstantSupervision = { supervisionKind: z.literal('constant'), constantOfficerId: z.string().uuid() }
const IntervalSupervision = { supervisionKind: z.literal('intervals').optional(), ...Supervision }
const ImmediateActionForm = z.object({ immediateAction: Text(4000), ...IntervalSupervision })
const ConstantImmediateActionForm = z.object({ immediateAction: Text(4000), ...ConstantSupervision })
const constantMessages = { constantOfficerId: 'carePlans.constant.error.officer' }
const AssessmentForm = z.object({
  assessorId: z.string().uuid(),
  heldOn: DateText,
  heldTime: TimeText,
  assessmentNotes: Text(8000),
})
const actionRows = [1, 2, 3] as const
/** The closure items a reason is typed for; healthcare's is the reason it did not attend or write. */
const closureReasonChecks = closureChecks.filter((check) => check !== 'healthcare')
/** Who attended, by the part they play, and why the person or healthcare did not. */
const AttendanceForm = z.object({
  personPresent: z.enum(['yes', 'no']).optional(),
  personAbsentReason: OptionalText(1000),
  healthcareAttended: OptionalText(100),
  healthcareInput: OptionalText(4000),
  healthcareAbsentReason: OptionalText(1000),
  wingStaffAttended: OptionalText(500),
  chaplaincyAttended: OptionalText(100),
  familyAttended: z.string().trim().max(100).default(''),
  partnerIds: z.union([z.string(), z.array(z.string())]).optional(),
  staffAttended: OptionalText(500),
})
const ReviewForm = AttendanceForm.extend({
  heldOn: DateText,
  heldTime: TimeText,
  notes: OptionalText(8000),
})
const reviewRest = {
  caseManagerId: z.string().uuid(),
  caseManagerChangeReason: OptionalText(1000),
  riskLevel: z.enum(riskLevels),
  supervisionReason: OptionalText(1000),
  personView: OptionalText(4000),
  ...Object.fromEntries(closureReasonChecks.map((check) => [`closure-${check}`, OptionalText(1000)])),
  triggers: OptionalText(4000),
  warningSigns: OptionalText(4000),
  outcome: z.enum(['continue', 'close']),
  nextReviewOn: z.string().trim().max(10).default(''),
  nextReviewTime: z.string().trim().max(5).default(''),
  closureExpected: Tick,
  ...Object.fromEntries(
    actionRows.flatMap((n) => [
      [`actionDescription${n}`, OptionalText(500)],
      [`actionOwner${n}`, OptionalText(100)],
      [`actionDueOn${n}`, z.string().trim().max(10).default('')],
    ]),
  ),
}
const FullReviewForm = ReviewForm.extend({ ...reviewRest, ...IntervalSupervision })
const ConstantReviewForm = ReviewForm.extend({ ...reviewRest, ...ConstantSupervision })
const PostClosureForm = ReviewForm.extend({ postClosure: z.literal('yes') })
const PreReleaseForm = ReviewForm.extend({ communityInformation: Text(4000) })
const HandoverForm = z.object({ constantOfficerId: z.string().uuid() })
const reviewMessages: Record<string, string> = {
  heldOn: 'carePlans.error.date',
  heldTime: 'carePlans.error.time',
  caseManagerId: 'carePlans.review.error.caseManager',
  riskLevel: 'carePlans.review.error.riskLevel',
  ...supervisionMessages,
  outcome: 'carePlans.review.error.outcome',
  notes: 'carePlans.error.tooLong',
  triggers: 'carePlans.error.tooLong',
  warningSigns: 'carePlans.error.tooLong',
  staffAttended: 'carePlans.error.tooLong',
  familyAttended: 'carePlans.error.tooLong',
  personAbsentReason: 'carePlans.error.tooLong',
  healthcareAttended: 'carePlans.error.tooLong',
  healthcareInput: 'carePlans.error.tooLong',
  healthcareAbsentReason: 'carePlans.error.tooLong',
  wingStaffAttended: 'carePlans.error.tooLong',
  chaplaincyAttended: 'carePlans.error.tooLong',
  caseManagerChangeReason: 'carePlans.error.tooLong',
  supervisionReason: 'carePlans.error.tooLong',
  personView: 'carePlans.error.tooLong',
  ...constantMessages,
  ...Object.fromEntries(closureReasonChecks.map((check) => [`closure-${check}`, 'carePlans.error.tooLong'])),
}
const SEEN_MAX = 4000
const ObservationForm = z.object({
  observedOn: DateText,
  observedTime: TimeText,
  seen: Text(SEEN_MAX),
  wasConversation: z.enum(['yes', 'no']),
})
/** What was seen or heard is either missing or too long, and the message says which. */
const observationMessages = (body: unknown): Record<string, string | FieldRefusal> => {
  const typed = (body as { seen?: unknown } | undefined)?.seen
  return {
    observedOn: 'carePlans.error.date',
    observedTime: 'carePlans.error.time',
    seen:
      typeof typed === 'string' && typed.trim().length > SEEN_MAX
        ? { field: 'seen', messageKey: 'carePlans.observation.error.seenLength', values: { max: SEEN_MAX } }
        : 'carePlans.observation.error.seen',
    wasConversation: 'carePlans.observation.error.conversation',
  }
}
const CorrectionForm = ObservationForm.extend({ reason: Text(2000) })
const ImmediateReviewForm = z.object({ immediateReason: z.enum(immediateReviewReasons) })
const ActionForm = z.object({ actionDescription: Text(500), actionOwner: Text(100), actionDueOn: DateText })
const FamilyForm = z.object({
  familyKind: z.enum(['consent-given', 'consent-withdrawn', 'contact']),
  familyMember: Text(100),
  familyNotes: OptionalText(4000),
})
const ReferralForm = z.object({ organisationId: z.string().uuid(), referralReason: Text(4000) })
const OutcomeForm = z.object({ outcome: z.enum(referralOutcomes), outcomeNotes: OptionalText(2000) })
/** The deadlines page's period as typed; anything odd in the address reads as nothing typed. */
const DeadlinesQuery = z
  .object({ from: z.string().trim().max(20).default(''), to: z.string().trim().max(20).default('') })
  .catch({ from: '', to: '' })
const ListQuery = z.object({
  list: z.enum(planLists).catch('open').default('open'),
  risk: z.enum(riskLevels).optional().catch(undefined),
})
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
})

const notices: Record<string, string> = {
  opened: 'carePlans.done.opened',
  'immediate-action': 'carePlans.done.immediateAction',
  assessment: 'carePlans.done.assessment',
  review: 'carePlans.done.review',
  closed: 'carePlans.done.closed',
  'post-closure': 'carePlans.done.postClosure',
  observation: 'carePlans.done.observation',
  correction: 'carePlans.done.correction',
  'immediate-review': 'carePlans.done.immediateReview',
  action: 'carePlans.done.action',
  completed: 'carePlans.done.completed',
  family: 'carePlans.done.family',
  referral: 'carePlans.done.referral',
  outcome: 'carePlans.done.outcome',
  saved: 'carePlans.done.settings',
  'pre-release': 'carePlans.done.preRelease',
  handover: 'carePlans.done.handover',
}
const NoticeQuery = z.object({ done: z.string().max(30).optional().catch(undefined) })
function noticeOf(request: FastifyRequest): string | null {
  const { done } = NoticeQuery.parse(request.query)
  return done ? (notices[done] ?? null) : null
}

const whenFormats = {
  en: new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }),
  cy: new Intl.DateTimeFormat('cy-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }),
}
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
})

/** Instants as the prison's clock shows them, for the pages: '25 November 2026, 14:05' and '14:05'. */
function formatting(language: 'en' | 'cy') {
  const asDate = (value: Date | string | null | undefined) => (value ? new Date(value) : null)
  return {
    when: (value: Date | string | null | undefined) => {
      const instant = asDate(value)
      return instant ? whenFormats[language].format(instant) : ''
    },
    timeOf: (value: Date | string | null | undefined) => {
      const instant = asDate(value)
      return instant ? timeFormat.format(instant) : ''
    },
    localDateOf: (value: Date | string | null | undefined) => {
      const instant = asDate(value)
      return instant ? ukDate(londonDate(instant)) : ''
    },
  }
}

/** The risk level as the prison names it, in the reader's language. */
function riskNamer(settings: CarePlanSettings, language: Language) {
  const names = riskNamesIn(language, settings)
  return (level: string | null) => (level ? (names[level as 'low'] ?? level) : '')
}

export function registerCarePlanRoutes(
  app: AreaRoutes,
  { carePlans, clock }: { carePlans: CarePlanService; clock: { now: () => Date } },
) {
  /** Every care plan page: never cached (it holds a person's safety record), with the time formatters. */
  function render(request: FastifyRequest, reply: FastifyReply, template: string, context: Record<string, unknown>) {
    return reply
      .header('cache-control', 'no-store')
      .page(`care-plans/views/${template}.njk`, { ...formatting(request.language), ...context })
  }
  const planUrl = (prisonNumber: string, id: string) => `/people/${prisonNumber}/care-plans/${id}`

  /** Shows a form page of a plan; the view gets the person's tabs, errors, what was typed and the time now. */
  function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    view: { person: { prisonNumber: string } } & Record<string, unknown>,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    return render(request, reply, template, {
      ...view,
      tabs: request.personTabs(view.person.prisonNumber, 'care-plans'),
      subPageTitle: request.t('carePlans.tab'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      now: localNow(clock.now()),
    })
  }

  // The person's care plan tab
  app.get(
    '/people/:prisonNumber/care-plans',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.view-summary' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const view = await carePlans.viewPersonCarePlans(actorOf(request), prisonNumber)
      return render(request, reply, 'person-care-plans', {
        ...view,
        riskName: riskNamer(view.settings, request.language),
        tabs: request.personTabs(view.person.prisonNumber, 'care-plans'),
        subPageTitle: request.t('carePlans.tab'),
      })
    },
  )

  // S3: opening a plan, from a concern or directly
  async function showOpen(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    concernId: string | null,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await carePlans.openForm(actorOf(request), prisonNumber, concernId)
    return formPage(request, reply, 'open', view, extra)
  }
  app.get(
    '/people/:prisonNumber/care-plans/new',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.open' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const { concern } = z.object({ concern: z.string().max(40).optional() }).parse(request.query)
      return showOpen(request, reply, prisonNumber, concern ?? null)
    },
  )
  app.post(
    '/people/:prisonNumber/care-plans',
    { schema: { params: PersonParams }, config: { permission: 'care-plans.open' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = OpenForm.safeParse(request.body)
      const concernId = (request.body as { concernId?: string } | undefined)?.concernId || null
      if (!form.success)
        return showOpen(request, reply.code(400), prisonNumber, concernId, {
          errors: schemaErrors(request.t, form.error, { reason: 'carePlans.open.error.reason' }),
          values: request.body,
        })
      const outcome = await carePlans.openCarePlan(actorOf(request), prisonNumber, {
        reason: form.data.reason,
        concernId,
      })
      if ('messageKey' in outcome)
        return showOpen(request, reply.code(400), prisonNumber, concernId, {
          errors: fieldErrors(request.t, [outcome]),
          values: request.body,
        })
      return reply.redirect(`${planUrl(prisonNumber, outcome.carePlanId)}?done=opened`, 303)
    },
  )

  // S3: the plan
  app.get(
    '/people/:prisonNumber/care-plans/:id',
    { schema: { params: Params }, config: { permission: 'care-plans.view' } },
    async (request, reply) => {
      const { prisonNumber, id } = request.params
      const view = await carePlans.viewCarePlan(actorOf(request), prisonNumber, id)
      const actor = actorOf(request)
      return render(request, reply, 'plan', {
        ...view,
        riskName: riskNamer(view.settings, request.language),
        canRecord: hasPermission(actor.role, 'care-plans.record'),
        canReview: hasPermission(actor.role, 'care-plans.review'),
        immediateReviewReasons,
        tabs: request.personTabs(view.person.prisonNumber, 'care-plans'),
        subPageTitle: request.t('carePlans.tab'),
        notice: noticeOf(request),
        now: localNow(clock.now()),
        // The newest observations first; the whole record is a click away, not a page miles long.
        observationsShown: 20,
        showAllObservations:
          z.object({ observations: z.literal('all').optional().catch(undefined) }).parse(request.query).observations ===
          'all',
      })
    },
  )
  app.get(
    '/api/people/:prisonNumber/care-plans/:id',
    { schema: { params: Params }, config: { permission: 'care-plans.view' } },
    async (request) => {
      const { prisonNumber, id } = request.params
      return carePlans.viewCarePlan(actorOf(request), prisonNumber, id)
    },
  )

  /** A form page of a plan, its GET and its POST: parse, call one service function, redirect or show again. */
  function planForm<T>(options: {
    path: string
    permission: 'care-plans.record' | 'care-plans.review'
    template: string
    view: (
      actor: Actor,
      prisonNumber: string,
      id: string,
      language: Language,
    ) => Promise<{ person: { prisonNumber: string } } & Record<string, unknown>>
    /** The form's schema, or a choice of schema by what was sent (a post-closure review asks less). */
    schema: z.ZodType<T> | ((body: unknown) => z.ZodType<T>)
    /** Each field's message, or a choice of them by what was sent (text missing or too long). */
    messages: Record<string, string> | ((body: unknown) => Record<string, string | FieldRefusal>)
    save: (actor: Actor, prisonNumber: string, id: string, data: T, request: FastifyRequest) => Promise<Refusal | null>
    done: (data: T) => string
  }) {
    const url = `/people/:prisonNumber/care-plans/:id/${options.path}`
    app.get(url, { config: { permission: options.permission } }, async (request, reply) => {
      const { prisonNumber, id } = Params.parse(request.params)
      return formPage(
        request,
        reply,
        options.template,
        await options.view(actorOf(request), prisonNumber, id, request.language),
      )
    })
    app.post(url, { config: { permission: options.permission } }, async (request, reply) => {
      const { prisonNumber, id } = Params.parse(request.params)
      const schema = typeof options.schema === 'function' ? options.schema(request.body) : options.schema
      const form = schema.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(request.t, [await options.save(actorOf(request), prisonNumber, id, form.data, request)])
        : schemaErrors(
            request.t,
            form.error,
            typeof options.messages === 'function' ? options.messages(request.body) : options.messages,
          )
      if (errors.length > 0)
        return formPage(
          request,
          reply.code(400),
          options.template,
          await options.view(actorOf(request), prisonNumber, id, request.language),
          { errors, values: request.body },
        )
      return reply.redirect(`${planUrl(prisonNumber, id)}?done=${options.done(form.data!)}`, 303)
    })
  }

  const planView = async (actor: Actor, prisonNumber: string, id: string) =>
    carePlans.viewCarePlan(actor, prisonNumber, id)

  /** A form that sets supervision: the plan, with the officers on duty who could keep constant watch. */
  const supervisionView = async (actor: Actor, prisonNumber: string, id: string) => {
    const view = await carePlans.viewCarePlan(actor, prisonNumber, id)
    return {
      ...view,
      officers: await carePlans.officersOnDuty(view.plan.establishmentCode),
      floors: supervisionFloors,
    }
  }

  planForm({
    path: 'immediate-action',
    permission: 'care-plans.record',
    template: 'immediate-action',
    view: supervisionView,
    schema: (body): z.ZodType<z.infer<typeof ImmediateActionForm> | z.infer<typeof ConstantImmediateActionForm>> =>
      isConstant(body) ? ConstantImmediateActionForm : ImmediateActionForm,
    messages: { immediateAction: 'carePlans.immediateAction.error.text', ...supervisionMessages, ...constantMessages },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordImmediateAction(actor, prisonNumber, id, {
        text: data.immediateAction,
        ...supervisionOf(data),
      }),
    done: () => 'immediate-action',
  })

  // S3: constant supervision passes from one officer to the next with no gap
  planForm({
    path: 'constant-supervision',
    permission: 'care-plans.record',
    template: 'constant-supervision',
    view: supervisionView,
    schema: HandoverForm,
    messages: constantMessages,
    save: (actor, prisonNumber, id, data) =>
      carePlans.handOverConstantSupervision(actor, prisonNumber, id, data.constantOfficerId),
    done: () => 'handover',
  })

  planForm({
    path: 'assessment',
    permission: 'care-plans.review',
    template: 'assessment',
    view: (actor, prisonNumber, id) => carePlans.assessmentForm(actor, prisonNumber, id),
    schema: AssessmentForm,
    messages: {
      assessorId: 'carePlans.assessment.error.assessor',
      heldOn: 'carePlans.error.date',
      heldTime: 'carePlans.error.time',
      assessmentNotes: 'carePlans.assessment.error.notes',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordAssessment(actor, prisonNumber, id, {
        assessorId: data.assessorId,
        heldAt: instantOf(data.heldOn, data.heldTime),
        notes: data.assessmentNotes,
      }),
    done: () => 'assessment',
  })

  // S3: a case review; a post-closure review asks only who attended and what was decided.
  async function reviewView(actor: Actor, prisonNumber: string, id: string, language: Language) {
    const view = await carePlans.reviewForm(actor, prisonNumber, id)
    return {
      ...view,
      riskLevels,
      riskName: riskNamer(view.settings, language),
      actionRows,
      floors: supervisionFloors,
      closureReasonChecks,
    }
  }
  planForm({
    path: 'review',
    permission: 'care-plans.review',
    template: 'review',
    view: reviewView,
    schema: (
      body,
    ): z.ZodType<
      z.infer<typeof FullReviewForm> | z.infer<typeof ConstantReviewForm> | z.infer<typeof PostClosureForm>
    > =>
      (body as { postClosure?: unknown } | undefined)?.postClosure === 'yes'
        ? PostClosureForm
        : isConstant(body)
          ? ConstantReviewForm
          : FullReviewForm,
    messages: reviewMessages,
    save: async (actor, prisonNumber, id, data) => {
      const form = await carePlans.reviewForm(actor, prisonNumber, id)
      const heldAt = instantOf(data.heldOn, data.heldTime)
      const attendance = attendanceOf(data, form.organisations)
      if ('postClosure' in data || form.kind === 'post-closure') {
        if (form.kind !== 'post-closure')
          return { field: 'caseManagerId', messageKey: 'carePlans.review.error.caseManager', values: {} }
        return carePlans.holdReview(actor, prisonNumber, id, { heldAt, ...attendance, notes: data.notes })
      }
      const full = data as (z.infer<typeof FullReviewForm> | z.infer<typeof ConstantReviewForm>) &
        Record<string, string>
      const actions = []
      for (const n of actionRows) {
        const description = full[`actionDescription${n}`] ?? ''
        const owner = full[`actionOwner${n}`] ?? ''
        const dueOn = full[`actionDueOn${n}`] ?? ''
        if (!description && !owner && !dueOn) continue
        const due = DateText.safeParse(dueOn)
        if (!description || !owner || !due.success)
          return { field: `actionDescription${n}`, messageKey: 'carePlans.review.error.action', values: { n } }
        actions.push({ description, owner, dueOn: due.data })
      }
      const close = full.outcome === 'close'
      let nextReviewDueAt: Date | null = null
      if (!close) {
        const nextOn = DateText.safeParse(full.nextReviewOn)
        if (!nextOn.success || !TimeText.safeParse(full.nextReviewTime).success)
          return { field: 'nextReviewOn', messageKey: 'carePlans.review.error.nextReview', values: {} }
        nextReviewDueAt = instantOf(nextOn.data, full.nextReviewTime)
      }
      return carePlans.holdReview(actor, prisonNumber, id, {
        heldAt,
        ...attendance,
        notes: full.notes,
        caseManagerId: full.caseManagerId,
        caseManagerChangeReason: full.caseManagerChangeReason,
        riskLevel: full.riskLevel,
        ...supervisionOf(full),
        supervisionReason: full.supervisionReason,
        personView: full.personView,
        closureReasons: Object.fromEntries(closureReasonChecks.map((check) => [check, full[`closure-${check}`] ?? ''])),
        triggers: full.triggers,
        warningSigns: full.warningSigns,
        actions,
        nextReviewDueAt,
        close,
        closureExpected: full.closureExpected,
      })
    },
    done: (data) => ('postClosure' in data ? 'post-closure' : data.outcome === 'close' ? 'closed' : 'review'),
  })

  // S3: before a release, a review that records what was passed to community services
  async function preReleaseView(actor: Actor, prisonNumber: string, id: string, language: Language) {
    const view = await carePlans.reviewForm(actor, prisonNumber, id)
    return { ...view, riskName: riskNamer(view.settings, language) }
  }
  planForm({
    path: 'pre-release-review',
    permission: 'care-plans.review',
    template: 'pre-release',
    view: preReleaseView,
    schema: PreReleaseForm,
    messages: { ...reviewMessages, communityInformation: 'carePlans.preRelease.error.information' },
    save: async (actor, prisonNumber, id, data) => {
      const form = await carePlans.reviewForm(actor, prisonNumber, id)
      return carePlans.holdPreReleaseReview(actor, prisonNumber, id, {
        heldAt: instantOf(data.heldOn, data.heldTime),
        ...attendanceOf(data, form.organisations),
        notes: data.notes,
        communityInformation: data.communityInformation,
      })
    },
    done: () => 'pre-release',
  })

  // S3: observations, and corrections that never overwrite
  planForm({
    path: 'observations',
    permission: 'care-plans.record',
    template: 'observation',
    view: planView,
    schema: ObservationForm,
    messages: observationMessages,
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordObservation(actor, prisonNumber, id, {
        observedAt: instantOf(data.observedOn, data.observedTime),
        seen: data.seen,
        wasConversation: data.wasConversation === 'yes',
      }),
    done: () => 'observation',
  })

  const CorrectParams = Params.extend({ observationId: z.string().max(40) })
  async function showCorrection(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const { prisonNumber, id, observationId } = CorrectParams.parse(request.params)
    const view = await carePlans.observationForCorrection(actorOf(request), prisonNumber, id, observationId)
    return formPage(request, reply, 'correct-observation', view, extra)
  }
  app.get(
    '/people/:prisonNumber/care-plans/:id/observations/:observationId/correct',
    { config: { permission: 'care-plans.record' } },
    async (request, reply) => showCorrection(request, reply),
  )
  app.post(
    '/people/:prisonNumber/care-plans/:id/observations/:observationId/correct',
    { schema: { params: CorrectParams }, config: { permission: 'care-plans.record' } },
    async (request, reply) => {
      const { prisonNumber, id, observationId } = request.params
      const form = CorrectionForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(request.t, [
            await carePlans.correctObservation(actorOf(request), prisonNumber, id, observationId, {
              observedAt: instantOf(form.data.observedOn, form.data.observedTime),
              seen: form.data.seen,
              wasConversation: form.data.wasConversation === 'yes',
              reason: form.data.reason,
            }),
          ])
        : schemaErrors(request.t, form.error, {
            ...observationMessages(request.body),
            reason: 'carePlans.correction.error.reason',
          })
      if (errors.length > 0) return showCorrection(request, reply.code(400), { errors, values: request.body })
      return reply.redirect(`${planUrl(prisonNumber, id)}?done=correction`, 303)
    },
  )

  planForm({
    path: 'immediate-review',
    permission: 'care-plans.record',
    template: 'immediate-review',
    view: planView,
    schema: ImmediateReviewForm,
    messages: { immediateReason: 'carePlans.immediateReview.error.reason' },
    save: (actor, prisonNumber, id, data) =>
      carePlans.requestImmediateReview(actor, prisonNumber, id, data.immediateReason),
    done: () => 'immediate-review',
  })

  // S3: the care map
  planForm({
    path: 'actions',
    permission: 'care-plans.record',
    template: 'action',
    view: planView,
    schema: ActionForm,
    messages: {
      actionDescription: 'carePlans.action.error.description',
      actionOwner: 'carePlans.action.error.owner',
      actionDueOn: 'carePlans.error.date',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.addAction(actor, prisonNumber, id, {
        description: data.actionDescription,
        owner: data.actionOwner,
        dueOn: data.actionDueOn,
      }),
    done: () => 'action',
  })
  app.post(
    '/people/:prisonNumber/care-plans/:id/actions/:actionId/complete',
    { config: { permission: 'care-plans.record' } },
    async (request, reply) => {
      const { prisonNumber, id, actionId } = Params.extend({ actionId: z.string().max(40) }).parse(request.params)
      const refusal = await carePlans.completeAction(actorOf(request), prisonNumber, id, actionId)
      if (refusal) return reply.redirect(planUrl(prisonNumber, id), 303)
      return reply.redirect(`${planUrl(prisonNumber, id)}?done=completed`, 303)
    },
  )

  // S4: family
  planForm({
    path: 'family',
    permission: 'care-plans.record',
    template: 'family',
    view: planView,
    schema: FamilyForm,
    messages: {
      familyKind: 'carePlans.family.error.kind',
      familyMember: 'carePlans.family.error.member',
      familyNotes: 'carePlans.error.tooLong',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.recordFamily(actor, prisonNumber, id, {
        kind: data.familyKind,
        familyMember: data.familyMember,
        notes: data.familyNotes,
      }),
    done: () => 'family',
  })

  // S5: referrals
  async function referralView(actor: Actor, prisonNumber: string, id: string) {
    const [view, form] = await Promise.all([
      carePlans.viewCarePlan(actor, prisonNumber, id),
      carePlans.reviewForm(actor, prisonNumber, id),
    ])
    return { ...view, organisations: form.organisations, referralOutcomes }
  }
  planForm({
    path: 'referrals',
    permission: 'care-plans.record',
    template: 'referrals',
    view: referralView,
    schema: ReferralForm,
    messages: {
      organisationId: 'carePlans.referral.error.organisation',
      referralReason: 'carePlans.referral.error.reason',
    },
    save: (actor, prisonNumber, id, data) =>
      carePlans.refer(actor, prisonNumber, id, { organisationId: data.organisationId, reason: data.referralReason }),
    done: () => 'referral',
  })
  app.post(
    '/people/:prisonNumber/care-plans/:id/referrals/:referralId/outcome',
    { config: { permission: 'care-plans.record' } },
    async (request, reply) => {
      const { prisonNumber, id, referralId } = Params.extend({ referralId: z.string().max(40) }).parse(request.params)
      const form = OutcomeForm.safeParse(request.body)
      const errors = form.success
        ? fieldErrors(request.t, [
            await carePlans.recordReferralOutcome(actorOf(request), prisonNumber, id, referralId, {
              outcome: form.data.outcome,
              notes: form.data.outcomeNotes,
            }),
          ])
        : fieldErrors(request.t, [
            { field: `outcome-${referralId}`, messageKey: 'carePlans.referral.error.outcome', values: {} },
          ])
      if (errors.length > 0)
        return formPage(request, reply.code(400), 'referrals', await referralView(actorOf(request), prisonNumber, id), {
          errors,
          values: request.body,
        })
      return reply.redirect(`${planUrl(prisonNumber, id)}?done=outcome`, 303)
    },
  )

  // The lists behind the dashboard counts
  app.get(
    '/care-plans',
    { schema: { querystring: ListQuery }, config: { permission: 'care-plans.lists' } },
    async (request, reply) => {
      const { list, risk } = request.query
      const view = await carePlans.listPlans(actorOf(request), list, list === 'open' ? (risk ?? null) : null)
      return render(request, reply, 'lists', {
        ...view,
        list,
        risk: risk ?? null,
        lists: planLists,
        riskLevels,
        riskName: riskNamer(view.settings, request.language),
        canExport: hasPermission(actorOf(request).role, 'care-plans.export-alerts'),
      })
    },
  )

  // S3, M1: how often each deadline was met over a period, and the plans that missed one
  app.get(
    '/care-plans/deadlines',
    { schema: { querystring: DeadlinesQuery }, config: { permission: 'care-plans.lists' } },
    async (request, reply) => {
      const actor = actorOf(request)
      const typed = request.query
      const defaults = defaultDeadlinePeriod(londonDate(clock.now()))
      const asked = typed.from !== '' || typed.to !== ''
      const period = asked
        ? { fromOn: isoDateOf(typed.from), toOn: isoDateOf(typed.to) }
        : { fromOn: defaults.fromOn, toOn: defaults.toOn }
      const values = asked ? typed : { from: ukDate(period.fromOn), to: ukDate(period.toOn) }
      const page = (status: number, errors: FieldError[], view: DeadlinesView | null) =>
        render(request, reply.code(status), 'deadlines', {
          errors,
          values,
          view,
          canOpenPlan: hasPermission(actor.role, 'care-plans.view'),
          canOpenTab: hasPermission(actor.role, 'care-plans.view-summary'),
        })
      const unreadable = (['from', 'to'] as const)
        .filter((field) => !period[field === 'from' ? 'fromOn' : 'toOn'])
        .map((field) => ({ field, messageKey: 'carePlans.error.date' }))
      if (unreadable.length > 0) return page(400, fieldErrors(request.t, unreadable), null)
      const outcome = await carePlans.viewDeadlines(actor, period)
      if ('messageKey' in outcome) return page(400, fieldErrors(request.t, [outcome]), null)
      return page(200, [], outcome)
    },
  )

  // S3: the ACCT alerts export
  app.get('/care-plans/alerts.csv', { config: { permission: 'care-plans.export-alerts' } }, async (request, reply) => {
    const actor = actorOf(request)
    const { csv } = await carePlans.exportAlerts(actor)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="acct-alerts-${actor.establishmentCode}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv)
  })
  app.get('/care-plans/alerts.json', { config: { permission: 'care-plans.export-alerts' } }, async (request, reply) => {
    const actor = actorOf(request)
    const { alerts } = await carePlans.exportAlerts(actor)
    return reply.header('cache-control', 'no-store').send({ establishmentCode: actor.establishmentCode, alerts })
  })

  // S3: settings per prison
  async function showSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const settings = await carePlans.settingsFor(actorOf(request).establishmentCode)
    return render(request, reply, 'settings', {
      fields: Object.keys(settingLimits),
      limits: settingLimits,
      values: extra.values ?? {
        ...settings,
        riskLow: settings.riskNames.low,
        riskRaised: settings.riskNames.raised,
        riskHigh: settings.riskNames.high,
        riskLowCy: settings.riskNamesCy.low,
        riskRaisedCy: settings.riskNamesCy.raised,
        riskHighCy: settings.riskNamesCy.high,
      },
      errors: extra.errors ?? [],
      notice: noticeOf(request),
    })
  }
  app.get('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) =>
    showSettings(request, reply),
  )
  app.post('/care-plan-settings', { config: { permission: 'care-plans.settings' } }, async (request, reply) => {
    const form = SettingsForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(
          request.t,
          await carePlans.saveSettings(actorOf(request), {
            ...form.data,
            riskNames: { low: form.data.riskLow, raised: form.data.riskRaised, high: form.data.riskHigh },
            riskNamesCy: { low: form.data.riskLowCy, raised: form.data.riskRaisedCy, high: form.data.riskHighCy },
          }),
        )
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
    return reply.redirect('/care-plan-settings?done=saved', 303)
  })
}
