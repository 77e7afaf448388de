import { z } from 'zod'
import { isRefusal } from '../../platform/forms.ts'
import type { NavigationItem, PersonAction } from '../../platform/navigation.ts'
import { londonTime } from '../../platform/dates.ts'
import type { Plural, Translate } from '../../platform/i18n.ts'
import { investigationReferenceMaximum, investigationReferenceRefusal, measureKeys, measureOf } from './rules.ts'
import { incidentInjuries, incidentMethods, type MeasuresService } from './service.ts'
import { protectedCount } from '../equality/rules.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { formPageOf, registerFormPage, registerFormPost } from '../../platform/form-page.ts'
import { doneNotices } from '../../platform/notices.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { registerViewPage } from '../../platform/view-page.ts'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'
import { isoDateOf } from '../../platform/date-input.ts'

export const measuresNavigation: readonly NavigationItem[] = [
  { messageKey: 'measures.navigation.dashboard', href: '/measures', permission: 'measures.view' },
  { messageKey: 'measures.navigation.safety', href: '/safety-figures', permission: 'safety-figures.view' },
  { messageKey: 'measures.navigation.incidents', href: '/self-harm-incidents', permission: 'safety-figures.record' },
  { messageKey: 'measures.navigation.deaths', href: '/deaths-in-custody', permission: 'deaths-in-custody.record' },
]

/** M2: on a person's record, for safer custody and the governors. */
export const deathInCustodyAction: PersonAction = {
  messageKey: 'measures.death.action',
  path: 'death-in-custody',
  permission: 'deaths-in-custody.record',
}

const DashboardQuery = z.object({
  compare: z.enum(['yes']).optional().catch(undefined),
})
const dashboardNotice = doneNotices({
  target: 'measures.dashboard.targetSaved',
  'worked-out': 'measures.dashboard.workedOut',
})
/** The banner on a list of records when its form has just added one. */
const incidentNotice = doneNotices({ recorded: 'measures.incident.saved' })
const deathNotice = doneNotices({ recorded: 'measures.death.saved' })
const KeyParams = z.object({ key: z.enum(measureKeys) })
// An empty box is no target: coercing '' would save a target of 0.
const TargetForm = z.object({ target: z.string().trim().min(1).pipe(z.coerce.number<string>().finite()) })
const PrisonNumberQuery = z.object({ prisonNumber: z.string().trim().max(20).default('') })

const DeathForm = z.object({
  diedOn: z.string().trim().max(20).catch('').transform(isoDateOf),
  investigationReference: z.string().max(1000).catch(''),
})
const IncidentForm = z.object({
  prisonNumber: z.string().trim().max(20),
  occurredOn: z.string().trim().transform(isoDateOf).pipe(z.string().min(1)),
  occurredAt: z
    .string()
    .trim()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/),
  method: z.enum(incidentMethods),
  injury: z.enum(incidentInjuries),
})

const incidentMessages = Object.fromEntries(
  (['occurredOn', 'occurredAt', 'method', 'injury'] as const).map((field) => [
    field,
    `measures.incident.error.${field}`,
  ]),
)

export function registerMeasuresRoutes(app: AreaRoutes, { measures }: { measures: MeasuresService }) {
  registerDashboardRoutes(app, measures)
  registerIncidentRoutes(app, measures)
  registerDeathRoutes(app, measures)
}

/**
 * A month ('2026-11') and a figure in its unit as the measures pages word them, in the page's language ('1 day',
 * '2 days'). Functions rather than Nunjucks macros: the dashboard's dozen measures ask for them some four hundred
 * times a page, and each macro call (a frame of its own, its text escaped and marked safe) was much of the page's
 * time (issue 19).
 */
export function measureLabels(t: Translate, plural: Plural) {
  // For one page: its dozen months are named some two hundred times, and most figures more than once (a target
  // beside each month's figure); each is worked out once here (issue 19).
  const months = new Map<string, string>()
  const figures = new Map<string, string>()
  return {
    monthLabel: (month: string) => {
      let label = months.get(month)
      if (label === undefined) {
        label = `${t(`measures.month.${month.slice(5, 7)}`)} ${month.slice(2, 4)}`
        months.set(month, label)
      }
      return label
    },
    figure: (value: number | null | undefined, unit: string) => {
      if (value === null || value === undefined) return t('measures.dashboard.noFigure')
      const key = `${unit} ${value}`
      let figure = figures.get(key)
      if (figure === undefined) {
        figure = plural(`measures.unit.${unit}`, value)
        figures.set(key, figure)
      }
      return figure
    },
  }
}

/** M1: the measures of what works, worked out on asking, and their targets. */
function registerDashboardRoutes(app: AreaRoutes, measures: MeasuresService) {
  registerViewPage(app, {
    path: '/measures',
    query: DashboardQuery,
    permission: 'measures.view',
    template: 'measures/views/dashboard.njk',
    view: (actor, { compare }) => measures.dashboard(actor, { compare: compare === 'yes' }),
    extras: (request) => ({ notice: dashboardNotice(request), ...measureLabels(request.t, request.plural) }),
  })

  app.post('/measures/work-out', { config: { permission: 'measures.view' } }, async (request, reply) => {
    await measures.refreshFigures(actorOf(request))
    return reply.redirectWithNotice('/measures', 'worked-out')
  })

  const showTarget = formPageOf(
    'measures/views/target.njk',
    async (request, { key }: z.infer<typeof KeyParams>, sentBack) => {
      const view = await measures.targetForm(actorOf(request), key)
      return {
        ...view,
        values: sentBack?.values ?? { target: view.target ?? '' },
        ...measureLabels(request.t, request.plural),
      }
    },
  )

  registerFormPage(app, {
    path: '/measures/:key/target',
    params: KeyParams,
    permission: 'measures.set-targets',
    show: showTarget,
    form: TargetForm,
    // Not a number at all: the same message as a number out of range, as the service words it.
    messages: (_request, _error, { key }) => ({
      target: {
        field: 'target',
        messageKey: 'measures.target.error.range',
        values: { maximum: measureOf(key).maximum },
      },
    }),
    save: (actor, { key }, form) => measures.setTarget(actor, key, form.target),
    next: ({ key }) => `/measures#${key}`,
    done: 'target',
  })
}

/** M2: the safety figures, and the self-harm incidents behind them. */
function registerIncidentRoutes(app: AreaRoutes, measures: MeasuresService) {
  registerViewPage(app, {
    path: '/safety-figures',
    permission: 'safety-figures.view',
    template: 'measures/views/safety.njk',
    view: (actor) => measures.safetyFigures(actor),
    // The watch's small counts are protected by the equality rule itself, so the two pages hide the same.
    extras: (request) => ({ protectedCount, ...measureLabels(request.t, request.plural) }),
  })

  registerViewPage(app, {
    path: '/self-harm-incidents',
    query: PageQuery,
    permission: 'safety-figures.record',
    template: 'measures/views/incidents.njk',
    view: (actor, { page }) => measures.listIncidents(actor, { page }),
    extras: (request) => ({ notice: incidentNotice(request), pageLink: pageLinks('/self-harm-incidents', {}) }),
  })

  const showIncident = formPageOf('measures/views/incident.njk', async (request, prisonNumber: string) => ({
    ...(await measures.incidentForm(actorOf(request), prisonNumber)),
    methods: incidentMethods,
    injuries: incidentInjuries,
  }))

  app.get(
    '/self-harm-incidents/new',
    { schema: { querystring: PrisonNumberQuery }, config: { permission: 'safety-figures.record' } },
    async (request, reply) => {
      return showIncident(request, reply, request.query.prisonNumber)
    },
  )

  registerFormPost(app, {
    path: '/self-harm-incidents/new',
    permission: 'safety-figures.record',
    // The person comes in the form (a hidden field), not in the address.
    show: (request, reply, _params, sentBack) => {
      const sent = request.body as { prisonNumber?: unknown } | undefined
      return showIncident(
        request,
        reply,
        PrisonNumberQuery.parse({ prisonNumber: sent?.prisonNumber }).prisonNumber,
        sentBack,
      )
    },
    form: IncidentForm,
    messages: incidentMessages,
    save: (actor, _params, form) => {
      const [hour, minute] = form.occurredAt.split(':').map(Number) as [number, number]
      return measures.recordIncident(actor, form.prisonNumber, {
        occurredAt: londonTime(form.occurredOn, hour, minute),
        method: form.method,
        injury: form.injury,
      })
    },
    next: () => '/self-harm-incidents',
    done: 'recorded',
  })
}

/** M2: deaths in custody, listed and recorded on a person's record. */
function registerDeathRoutes(app: AreaRoutes, measures: MeasuresService) {
  registerViewPage(app, {
    path: '/deaths-in-custody',
    permission: 'deaths-in-custody.record',
    template: 'measures/views/deaths.njk',
    view: (actor) => measures.listDeaths(actor),
    extras: (request) => ({ notice: deathNotice(request) }),
  })

  const showDeath = formPageOf(
    'measures/views/death.njk',
    async (request, { prisonNumber }: { prisonNumber: string }) => ({
      ...(await measures.deathForm(actorOf(request), prisonNumber)),
      maximum: investigationReferenceMaximum,
    }),
  )

  registerFormPage(app, {
    path: '/people/:prisonNumber/death-in-custody',
    params: PersonParams,
    permission: 'deaths-in-custody.record',
    show: showDeath,
    form: DeathForm,
    // Every field of the form reads what it cannot parse as blank, so the schema itself refuses nothing.
    messages: {},
    save: async (actor, { prisonNumber }, form) => {
      // A date that is not one is put right here; with a real date the service checks the rest. Either way a
      // refused date comes back with whatever is wrong with the reference too, so both are put right at once.
      const refused = form.diedOn
        ? await measures.recordDeath(actor, prisonNumber, form)
        : { field: 'diedOn', messageKey: 'measures.death.error.diedOn' }
      if (refused?.field !== 'diedOn') return refused
      return [refused, investigationReferenceRefusal(form.investigationReference)].filter(isRefusal)
    },
    next: () => '/deaths-in-custody',
    done: 'recorded',
  })
}
