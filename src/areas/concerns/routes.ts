import { z } from 'zod'
import type { Language, Plural } from '../../platform/i18n.ts'
import { fieldErrors } from '../../platform/forms.ts'
import { DrawnField, settingsForm } from '../../platform/prison-settings.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  ACTION_NOTE_MAX,
  minutesAllowed,
  policyLimits,
  recordedOutcomes,
  safeNowAnswers,
  urgencies,
  WHAT_HAPPENED_MAX,
  type Refusal,
} from './rules.ts'
import type { ConcernsService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { formPageOf, registerFormPage, registerFormPost } from '../../platform/form-page.ts'
import { doneNotices } from '../../platform/notices.ts'
import { registerViewPage } from '../../platform/view-page.ts'
import { formatDateTime } from '../../platform/views.ts'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'

export const concernsNavigation: readonly NavigationItem[] = [
  { messageKey: 'concerns.navigation.dashboard', href: '/safer-custody', permission: 'safer-custody.dashboard' },
  { messageKey: 'concerns.navigation.open', href: '/concerns', permission: 'concerns.view' },
]

/** S1, S2: raising a concern has a place of its own in the menu, for every role, one click from any page. */
export const raiseConcernNavigation: readonly NavigationItem[] = [
  { messageKey: 'concerns.navigation.raise', href: '/raise-a-concern', permission: 'concerns.raise' },
  // S2: and what became of them, where the raiser looks for it.
  { messageKey: 'concerns.navigation.raised', href: '/concerns/raised', permission: 'concerns.raise' },
]

/** S1: the way to raise a concern from a person's record, for every role. */
export const concernsTab: PersonTab = { messageKey: 'concerns.tab', path: 'concerns', permission: 'concerns.raise' }

/** An instant as the wing reads it, '25 November 2026 at 10:05' in UK time, as the formatDateTime filter writes it. */
function whenOf(language: Language) {
  return (value: Date | null | undefined) => formatDateTime(value, language)
}

/** '15 minutes', '4 hours', '1 hour', '1 minute'. */
function durationText(plural: Plural, minutes: number): string {
  return minutes % 60 === 0 ? plural('concerns.hours', minutes / 60) : plural('concerns.minutes', minutes)
}

const RaiseForm = z.object({
  whatHappened: z.string().trim().min(1).max(WHAT_HAPPENED_MAX),
  urgency: z.enum(urgencies),
  safeNow: z.enum(safeNowAnswers),
  selfHarmRisk: z.enum(['yes', 'no', 'not-sure']),
  isSensitive: z.literal('yes').optional(),
  peerSupporterId: z
    .string()
    .max(40)
    .optional()
    .transform((value) => (value ? value : null)),
})
/** The form's messages; what was seen or heard is either missing or too long, and the message says which. */
const raiseMessages = (body: unknown): Record<string, Refusal> => {
  const typed = (body as { whatHappened?: unknown } | undefined)?.whatHappened
  const tooLong = typeof typed === 'string' && typed.trim().length > WHAT_HAPPENED_MAX
  return {
    whatHappened: tooLong
      ? {
          field: 'whatHappened',
          messageKey: 'concerns.raise.error.whatHappenedLength',
          values: { max: WHAT_HAPPENED_MAX },
        }
      : { field: 'whatHappened', messageKey: 'concerns.raise.error.whatHappened' },
    urgency: { field: 'urgency', messageKey: 'concerns.raise.error.urgency' },
    safeNow: { field: 'safeNow', messageKey: 'concerns.raise.error.safeNow' },
    selfHarmRisk: { field: 'selfHarmRisk', messageKey: 'concerns.raise.error.selfHarmRisk' },
    peerSupporterId: { field: 'peerSupporterId', messageKey: 'concerns.raise.error.peerSupporter' },
  }
}

const ActForm = z.object({
  outcome: z.enum(recordedOutcomes),
  note: z.string().max(ACTION_NOTE_MAX).default(''),
})
const actMessages: Record<string, Refusal> = {
  outcome: { field: 'outcome', messageKey: 'concerns.act.error.outcome' },
  note: { field: 'note', messageKey: 'concerns.act.error.noteLength', values: { max: ACTION_NOTE_MAX } },
}

const Whole = (limits: { min: number; max: number }) => z.coerce.number().int().min(limits.min).max(limits.max)
const SettingsForm = z.object({
  immediateMinutes: Whole(policyLimits.immediateMinutes),
  todayMinutes: Whole(policyLimits.todayMinutes),
  canWaitMinutes: Whole(policyLimits.canWaitMinutes),
  drawn: DrawnField,
})
const settingsMessages: Record<string, Refusal> = Object.fromEntries(
  Object.entries(policyLimits).map(([field, limits]) => [
    field,
    { field, messageKey: `concerns.settings.error.${field}`, values: limits },
  ]),
)

const FindForm = z.object({ person: z.string().trim().min(1).max(200) })
const IdParams = z.object({ id: z.string().max(40) })
const states = ['open', 'escalated', 'overdue', 'sensitive', 'acted'] as const
const ListQuery = PageQuery.extend({ state: z.enum(states).catch('open').default('open') })

const noticeOf = doneNotices({
  raised: 'concerns.raise.done',
  acted: 'concerns.act.done',
  saved: 'concerns.settings.saved',
})

/** S1, S2: one concern, and what was done about it, with the form to act on it. */
function showConcernOf(concerns: ConcernsService) {
  return formPageOf('concerns/views/concern.njk', async (request, { id }: { id: string }) => {
    const view = await concerns.viewConcern(actorOf(request), id)
    const notice = noticeOf(request)
    return {
      ...view,
      outcomes: recordedOutcomes,
      maxLength: ACTION_NOTE_MAX,
      when: whenOf(request.language),
      // A family's follow-up page says what safer custody set on the worry, not that the concern was acted on.
      notice: notice === 'concerns.act.done' && view.concern.familyWorryId ? 'concerns.act.doneFromFamily' : notice,
    }
  })
}

/** S1: raising a concern: finding the person, and the form. */
function registerRaisingRoutes(app: AreaRoutes, concerns: ConcernsService) {
  // S1: the quickest way in, from the service navigation on any page (the roll among them)
  app.get('/raise-a-concern', { config: { permission: 'concerns.raise' } }, async (_request, reply) =>
    reply.page('concerns/views/find.njk', { errors: [], values: {} }),
  )
  app.post('/raise-a-concern', { config: { permission: 'concerns.raise' } }, async (request, reply) => {
    const form = FindForm.safeParse(request.body)
    const matches = form.success ? await concerns.findPeopleToRaiseAbout(actorOf(request), form.data.person) : []
    if (matches.length === 0)
      return reply.code(400).page('concerns/views/find.njk', {
        errors: fieldErrors(request.t, [{ field: 'person', messageKey: 'concerns.find.error' }]),
        values: request.body ?? {},
      })
    if (matches.length === 1) return reply.redirect(`/people/${matches[0].prisonNumber}/concerns/new`, 303)
    return reply.page('concerns/views/find.njk', { errors: [], values: request.body ?? {}, matches })
  })

  registerFormPage(app, {
    path: '/people/:prisonNumber/concerns/new',
    params: PersonParams,
    permission: 'concerns.raise',
    show: formPageOf('concerns/views/raise.njk', async (request, { prisonNumber }, sentBack) => {
      const view = await concerns.raiseForm(actorOf(request), prisonNumber)
      const policy = await concerns.policyFor(view.person.establishmentCode)
      return {
        ...view,
        urgencies: urgencies.map((urgency) => ({
          value: urgency,
          text: request.t(`concerns.urgency.${urgency}`),
          hint: request.t('concerns.raise.within', {
            time: durationText(request.plural, minutesAllowed(urgency, policy)),
          }),
        })),
        safeNowAnswers,
        maxLength: WHAT_HAPPENED_MAX,
        tabs: request.personTabs(view.person.prisonNumber, 'concerns'),
        subPageTitle: request.t('concerns.raise.title'),
        values: sentBack ? sentBack.values : { urgency: 'today' },
      }
    }),
    form: RaiseForm,
    messages: (request) => raiseMessages(request.body),
    save: (actor, { prisonNumber }, form) =>
      concerns.raiseConcern(actor, prisonNumber, {
        whatHappened: form.whatHappened,
        urgency: form.urgency,
        safeNow: form.safeNow,
        // Not sure is treated as a risk until someone who knows the person decides otherwise.
        indicatesSelfHarmRisk: form.selfHarmRisk !== 'no',
        isSensitive: form.isSensitive === 'yes',
        peerSupporterId: form.peerSupporterId,
      }),
    next: () => '/concerns/raised',
    done: 'raised',
  })
}

/** S1, S2: the lists of concerns, a person's concerns tab and feedback to the raiser, as pages and as JSON. */
function registerListRoutes(app: AreaRoutes, concerns: ConcernsService) {
  // S1, S2: the concerns tab of a person's record
  app.get(
    '/people/:prisonNumber/concerns',
    { schema: { params: PersonParams, querystring: PageQuery }, config: { permission: 'concerns.raise' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const actor = actorOf(request)
      const view = await concerns.viewPersonConcerns(actor, prisonNumber, request.query)
      return reply.page('concerns/views/person-concerns.njk', {
        ...view,
        pageLink: pageLinks(`/people/${view.person.prisonNumber}/concerns`, {}),
        seesAll: hasPermission(actor.role, 'concerns.view'),
        when: whenOf(request.language),
        tabs: request.personTabs(view.person.prisonNumber, 'concerns'),
        subPageTitle: request.t('concerns.person.title'),
      })
    },
  )

  // S2: feedback to the raiser
  registerViewPage(app, {
    path: '/concerns/raised',
    permission: 'concerns.raise',
    query: PageQuery,
    template: 'concerns/views/raised.njk',
    view: (actor, asked) => concerns.listRaised(actor, asked),
    extras: (request) => ({
      pageLink: pageLinks('/concerns/raised', {}),
      when: whenOf(request.language),
      notice: noticeOf(request),
    }),
  })

  // S1: the open-concerns list
  registerViewPage(app, {
    path: '/concerns',
    query: ListQuery,
    permission: 'concerns.view',
    template: 'concerns/views/list.njk',
    view: (actor, { state, page }) => concerns.listConcerns(actor, state, { page }),
    extras: (request, view) => ({
      pageLink: pageLinks('/concerns', { state: view.state }),
      states,
      canChangeSettings: hasPermission(actorOf(request).role, 'concerns.settings'),
      when: whenOf(request.language),
    }),
  })

  // A user's own concerns as JSON, over the same service and its rules. The prison's concerns, and one concern,
  // for other systems are the systems API's (api-routes.ts).
  app.get(
    '/api/concerns/raised',
    { schema: { querystring: PageQuery }, config: { permission: 'concerns.raise' } },
    async (request) => concerns.listRaised(actorOf(request), request.query),
  )
}

/** S1, S2: one concern, and acting on it. */
function registerConcernRoutes(app: AreaRoutes, concerns: ConcernsService) {
  const showConcern = showConcernOf(concerns)
  app.get(
    '/concerns/:id',
    { schema: { params: IdParams }, config: { permission: 'concerns.raise' } },
    async (request, reply) => showConcern(request, reply, request.params),
  )
  registerFormPost(app, {
    path: '/concerns/:id/act',
    params: IdParams,
    permission: 'concerns.act',
    show: showConcern,
    form: ActForm,
    messages: actMessages,
    save: (actor, { id }, form) => concerns.actOnConcern(actor, id, form),
    next: ({ id }) => `/concerns/${id}`,
    done: 'acted',
  })
}

/** S1: how long concerns may wait at the prison, and the safer custody dashboard. */
function registerSettingsAndDashboardRoutes(app: AreaRoutes, concerns: ConcernsService) {
  // S1: how long concerns may wait, per prison
  registerFormPage(app, {
    path: '/concern-settings',
    permission: 'concerns.settings',
    show: formPageOf('concerns/views/settings.njk', async (request, _params, sentBack) => ({
      ...settingsForm(await concerns.policyFor(actorOf(request).establishmentCode), sentBack),
      notice: noticeOf(request),
    })),
    form: SettingsForm,
    messages: settingsMessages,
    save: (actor, _params, { drawn, ...policy }) => concerns.savePolicy(actor, policy, drawn),
    next: () => '/concern-settings',
    done: 'saved',
  })

  // The safer custody dashboard
  registerViewPage(app, {
    path: '/safer-custody',
    permission: 'safer-custody.dashboard',
    template: 'concerns/views/dashboard.njk',
    view: (actor) => concerns.dashboard(actor),
    extras: (request) => {
      const { role } = actorOf(request)
      return {
        canChangeSettings: hasPermission(role, 'concerns.settings'),
        canOpenGaps: hasPermission(role, 'journey.view-gaps'),
        canOpenCarePlanLists: hasPermission(role, 'care-plans.lists'),
      }
    },
  })
}

export function registerConcernsRoutes(app: AreaRoutes, { concerns }: { concerns: ConcernsService }) {
  registerRaisingRoutes(app, concerns)
  registerListRoutes(app, concerns)
  registerConcernRoutes(app, concerns)
  registerSettingsAndDashboardRoutes(app, concerns)
}
