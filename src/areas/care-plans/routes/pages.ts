import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { londonDate } from '../../../platform/dates.ts'
import type { FieldError, FieldRefusal, Outcome } from '../../../platform/forms.ts'
import { registerFormPage } from '../../../platform/form-page.ts'
import type { Language } from '../../../platform/i18n.ts'
import type { Actor } from '../../../platform/permissions.ts'
import { riskNamesIn, type CarePlanSettings } from '../rules.ts'
import type { CarePlanService } from '../service.ts'
import { Params, localNow, ukDate } from './forms.ts'
import { doneNotices } from '../../../platform/notices.ts'

/*
 * What every care plan page shares: the notice after a change, instants as the prison's clock shows them, the
 * risk levels by the prison's names, and a plan's form pages (their GET and POST, from one description).
 */

/** What the care plan routes are handed by app.ts. */
export type CarePlanRoutesDeps = { carePlans: CarePlanService; clock: { now: () => Date } }
type Clock = CarePlanRoutesDeps['clock']

export const noticeOf = doneNotices({
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
})

/** A day and a time, the same in either language but for the month's name. */
const whenOptions: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Europe/London',
}
const whenFormats = {
  en: new Intl.DateTimeFormat('en-GB', whenOptions),
  cy: new Intl.DateTimeFormat('cy-GB', whenOptions),
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
export function riskNamer(settings: CarePlanSettings, language: Language) {
  const names = riskNamesIn(language, settings)
  return (level: string | null) => (level ? (names[level as 'low'] ?? level) : '')
}

/** Every care plan page: never cached (it holds a person's safety record), with the time formatters. */
export function render(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
) {
  return reply.page(`care-plans/views/${template}.njk`, { ...formatting(request.language), ...context })
}
export const planUrl = (prisonNumber: string, id: string) => `/people/${prisonNumber}/care-plans/${id}`

/** Shows a form page of a plan; the view gets the person's tabs, errors, what was typed and the time now. */
export function formPage(
  clock: Clock,
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

/** A form page of a plan, its GET and its POST (`registerFormPage`), each page shown by `formPage`. */
export function planForm<T>(
  app: AreaRoutes,
  clock: Clock,
  options: {
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
    save: (actor: Actor, prisonNumber: string, id: string, data: T, request: FastifyRequest) => Promise<Outcome>
    done: (data: T) => string
  },
) {
  const { messages } = options
  registerFormPage(app, {
    path: `/people/:prisonNumber/care-plans/:id/${options.path}`,
    params: Params,
    permission: options.permission,
    show: async (request, reply, { prisonNumber, id }, sentBack) =>
      formPage(
        clock,
        request,
        reply,
        options.template,
        await options.view(actorOf(request), prisonNumber, id, request.language),
        sentBack,
      ),
    form: options.schema,
    messages: typeof messages === 'function' ? (request) => messages(request.body) : messages,
    save: (actor, { prisonNumber, id }, data, request) => options.save(actor, prisonNumber, id, data, request),
    next: ({ prisonNumber, id }) => planUrl(prisonNumber, id),
    done: (_params, data) => options.done(data),
  })
}

/** The plan itself, as the view of a form that needs nothing more. */
export const planViewOf = (carePlans: CarePlanService) => async (actor: Actor, prisonNumber: string, id: string) =>
  carePlans.viewCarePlan(actor, prisonNumber, id)
