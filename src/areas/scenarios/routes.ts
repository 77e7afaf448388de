import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { fieldErrors, type FieldError } from '../../platform/forms.ts'
import type { Translate } from '../../platform/i18n.ts'
import type { NavigationItem } from '../../platform/navigation.ts'
import { byCharacteristicText, characteristicValueText } from '../people/characteristic-names.ts'
import {
  categories,
  chartLayout,
  type BreakdownRow,
  type Refusal,
  type ScenarioChanges,
  type ScenarioFigures,
} from './rules.ts'
import type { ScenariosService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { doneNotices } from '../../platform/notices.ts'

const editNotice = doneNotices({ changed: 'scenarios.edit.changed' })

export const scenariosNavigation: readonly NavigationItem[] = [
  { messageKey: 'scenarios.navigation', href: '/scenarios', permission: 'scenarios.plan' },
]

/**
 * A scenario's refusals as its page lists them: one that names a category names it as the page does
 * ('Education', not 'education').
 */
function scenarioErrors(t: Translate, refusals: readonly Refusal[]): FieldError[] {
  const named = refusals.map((refusal) =>
    refusal.values && 'category' in refusal.values
      ? { ...refusal, values: { ...refusal.values, category: t(`scenarios.category.${refusal.values.category}`) } }
      : refusal,
  )
  return fieldErrors(t, named)
}

const Body = z.record(z.string(), z.unknown()).catch({})
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
/** A checkbox list arrives as one value or several. */
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string',
  )
const IdParams = z.object({ id: z.string().max(40) })
const GroupParams = z.object({ id: z.string().max(40), index: z.coerce.number().int().min(0).max(1000) })

/** A whole number typed into a box, or undefined when it was left blank; NaN when it is not one. */
function wholeOrBlank(value: unknown): number | undefined {
  const typed = text(value)
  if (typed === '') return undefined
  return /^[-+]?\d{1,4}$/.test(typed) ? Number(typed) : Number.NaN
}

/** The changes form as typed: the sizes, closed groups and added slots, and the boxes that hold no whole number. */
function typedChanges(body: Record<string, unknown>): {
  changes: Omit<ScenarioChanges, 'extraGroups'>
  refusals: Refusal[]
} {
  const capacityPercent: Record<string, number> = {}
  const minSize: Record<string, number> = {}
  const refusals: Refusal[] = []
  for (const category of categories) {
    const percent = wholeOrBlank(body[`capacity-${category}`])
    if (percent !== undefined && percent !== 0) capacityPercent[category] = percent
    const minimum = wholeOrBlank(body[`minSize-${category}`])
    if (minimum !== undefined) minSize[category] = minimum
    if (Number.isNaN(percent))
      refusals.push({
        field: `capacity-${category}`,
        messageKey: 'scenarios.error.capacityPercent',
        values: { category },
      })
    if (Number.isNaN(minimum))
      refusals.push({ field: `minSize-${category}`, messageKey: 'scenarios.error.minSize', values: { category } })
  }
  return {
    changes: { capacityPercent, minSize, closedGroups: list(body.closedGroups), extraSlots: list(body.extraSlots) },
    refusals,
  }
}

const formatHours = (value: number) => value.toFixed(1)
const formatPercent = (value: number) => `${Math.round(value * 100)}%`

/** One table per breakdown (cohort, then each characteristic): a row per value, a column pair per option. */
function breakdownTables(t: Translate, options: { label: string; figures: ScenarioFigures }[]) {
  const sets: { title: string; characteristic: string; rows: (figures: ScenarioFigures) => BreakdownRow[] }[] = [
    { title: t('scenarios.compare.byCohort'), characteristic: 'cohort', rows: (figures) => figures.byCohort },
    ...Object.keys(options[0]?.figures.byTrait ?? {}).map((trait) => ({
      title: t(`scenarios.compare.trait.${trait}`),
      characteristic: trait,
      rows: (figures: ScenarioFigures) => figures.byTrait[trait] ?? [],
    })),
  ]
  return sets.map((set) => {
    const values = byCharacteristicText(
      [...new Set(options.flatMap((option) => set.rows(option.figures).map((row) => row.value)))].map((value) => ({
        value,
        text: characteristicValueText(t, set.characteristic, value),
      })),
    )
    return {
      title: set.title,
      rows: values.map(({ value, text }) => {
        const cells = options.map((option) => set.rows(option.figures).find((row) => row.value === value))
        return {
          value: text,
          people: cells.find((cell) => cell)?.people ?? 0,
          cells: cells.map((cell) => ({
            hours: cell ? formatHours(cell.meanHours) : '',
            needsMet: cell?.needsMet === null || !cell ? t('scenarios.compare.noNeeds') : formatPercent(cell.needsMet),
            noSession: cell ? formatPercent(cell.noSession) : '',
          })),
        }
      }),
    }
  })
}
type ScenariosRoutesDeps = { scenarios: ScenariosService }

export function registerScenariosRoutes(app: AreaRoutes, deps: ScenariosRoutesDeps) {
  registerListRoutes(app, deps)
  registerScenarioRoutes(app, deps)
}

/** R6: the prison's scenarios, a new one, and today beside the chosen ones. */
function registerListRoutes(app: AreaRoutes, { scenarios }: ScenariosRoutesDeps) {
  async function showList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const list = await scenarios.listScenarios(actorOf(request))
    return reply.page('scenarios/views/scenarios.njk', {
      scenarios: list,
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    })
  }

  app.get('/scenarios', { config: { permission: 'scenarios.plan' } }, async (request, reply) =>
    showList(request, reply),
  )

  app.post('/scenarios', { config: { permission: 'scenarios.plan' } }, async (request, reply) => {
    const body = Body.parse(request.body)
    const created = await scenarios.createScenario(actorOf(request), text(body.name))
    if ('field' in created)
      return showList(request, reply.code(400), { errors: fieldErrors(request.t, [created]), values: body })
    return reply.redirect(`/scenarios/${created.id}`, 303)
  })

  // R6: comparing today with the chosen scenarios, as a chart and a table
  app.get(
    '/scenarios/compare',
    { schema: { querystring: Body }, config: { permission: 'scenarios.plan' } },
    async (request, reply) => {
      const ids = [...new Set(list(request.query.scenario))]
      // More than six were compared as the first six, the rest left out without a word.
      const refused = ids.length === 0 ? 'scenarios.error.choose' : ids.length > 6 ? 'scenarios.error.tooMany' : null
      if (refused)
        return showList(request, reply.code(400), {
          errors: [{ field: 'scenario', text: request.t(refused), href: '#scenario' }],
        })
      const comparison = await scenarios.compare(actorOf(request), ids)
      const t = request.t
      const options = [
        { label: t('scenarios.compare.today'), figures: comparison.today },
        ...comparison.scenarios.map((scenario) => ({ label: scenario.name, figures: scenario.figures })),
      ]
      return reply.page('scenarios/views/compare.njk', {
        options: options.map((option) => ({
          label: option.label,
          figures: option.figures,
          meanHours: formatHours(option.figures.hours.mean),
          sd: formatHours(option.figures.hours.sd),
          p10: formatHours(option.figures.hours.p10),
          p90: formatHours(option.figures.hours.p90),
          meanSessions: option.figures.meanSessions.toFixed(1),
          needsMet:
            option.figures.needsMet === null ? t('scenarios.compare.noNeeds') : formatPercent(option.figures.needsMet),
          noSessionPercent: Math.round(option.figures.noSessionShare * 100),
        })),
        chart: chartLayout(
          options,
          {
            hours: t('scenarios.compare.hoursPanel'),
            needsMet: t('scenarios.compare.needsPanel'),
            noSession: t('scenarios.compare.noSessionPanel'),
          },
          { hours: formatHours, percent: formatPercent },
        ),
        breakdowns: breakdownTables(t, options),
        notRun: comparison.notRun.map((scenario) => scenario.name).join(', '),
      })
    },
  )
}

/** R6: one scenario: its changes, its new groups, and its run. */
function registerScenarioRoutes(app: AreaRoutes, { scenarios }: ScenariosRoutesDeps) {
  async function showScenario(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: Record<string, unknown>; groupValues?: Record<string, unknown> } = {},
  ) {
    const { id } = IdParams.parse(request.params)
    const view = await scenarios.viewScenario(actorOf(request), id)
    const changes = view.scenario.changes
    const values = extra.values ?? {
      ...Object.fromEntries(
        categories.flatMap((category) => [
          [`capacity-${category}`, changes.capacityPercent[category] ?? ''],
          [`minSize-${category}`, changes.minSize[category] ?? ''],
        ]),
      ),
      closedGroups: changes.closedGroups,
      extraSlots: changes.extraSlots,
    }
    const activityNames = new Map(view.setUp.activities.map((activity) => [activity.code, activity.name]))
    const t = request.t
    const slotNames: Record<string, string> = Object.fromEntries(
      view.weekSlots.map((slot) => [
        slot,
        t('scenarios.slot', {
          day: t(`scenarios.day.${slot.slice(0, 3)}`),
          part: t(`scenarios.part.${slot.slice(4)}`),
        }),
      ]),
    )
    return reply.page('scenarios/views/scenario.njk', {
      ...view,
      slotNames,
      namesOf: (slots: readonly string[]) => slots.map((slot) => slotNames[slot] ?? slot).join(', '),
      extraGroups: changes.extraGroups.map((group) => ({
        ...group,
        activityName: activityNames.get(group.activityCode) ?? group.activityCode,
      })),
      values: { ...values, closedGroups: list(values.closedGroups), extraSlots: list(values.extraSlots) },
      groupValues: { ...(extra.groupValues ?? {}), slots: list(extra.groupValues?.slots) },
      addableSlots: view.weekSlots.filter((slot) => !view.setUp.usableSlots.includes(slot)),
      groupSlotChoices: view.weekSlots.filter(
        (slot) => view.setUp.usableSlots.includes(slot) || changes.extraSlots.includes(slot),
      ),
      errors: extra.errors ?? [],
      notice: editNotice(request),
    })
  }

  app.get('/scenarios/:id', { config: { permission: 'scenarios.plan' } }, async (request, reply) =>
    showScenario(request, reply),
  )

  app.post(
    '/scenarios/:id',
    { schema: { params: IdParams }, config: { permission: 'scenarios.plan' } },
    async (request, reply) => {
      const { id } = request.params
      const body = Body.parse(request.body)
      const { changes, refusals } = typedChanges(body)
      if (refusals.length === 0) refusals.push(...(await scenarios.saveChanges(actorOf(request), id, changes)))
      if (refusals.length > 0)
        return showScenario(request, reply.code(400), {
          errors: scenarioErrors(request.t, refusals),
          values: body,
        })
      return reply.redirectWithNotice(`/scenarios/${id}`, 'changed')
    },
  )

  app.post(
    '/scenarios/:id/groups',
    { schema: { params: IdParams }, config: { permission: 'scenarios.plan' } },
    async (request, reply) => {
      const { id } = request.params
      const body = Body.parse(request.body)
      const capacity = wholeOrBlank(body.capacity)
      const minSize = wholeOrBlank(body.minSize)
      const refusals = await scenarios.addGroup(actorOf(request), id, {
        activityCode: text(body.activityCode),
        code: text(body.code),
        slots: list(body.slots),
        capacity: capacity ?? Number.NaN,
        minSize: minSize ?? 0,
      })
      if (refusals.length > 0)
        return showScenario(request, reply.code(400), {
          errors: scenarioErrors(request.t, refusals).map((error) =>
            error.field === 'slots' ? { ...error, href: '#slots' } : error,
          ),
          groupValues: body,
        })
      return reply.redirectWithNotice(`/scenarios/${id}#new-groups`, 'changed')
    },
  )

  app.post(
    '/scenarios/:id/groups/:index/remove',
    { schema: { params: GroupParams }, config: { permission: 'scenarios.plan' } },
    async (request, reply) => {
      const { id, index } = request.params
      await scenarios.removeGroup(actorOf(request), id, index)
      return reply.redirectWithNotice(`/scenarios/${id}#new-groups`, 'changed')
    },
  )

  app.post(
    '/scenarios/:id/run',
    { schema: { params: IdParams }, config: { permission: 'scenarios.plan' } },
    async (request, reply) => {
      const { id } = request.params
      const body = Body.parse(request.body)
      // The run button submits the changes form: what is typed there is what runs, saved first.
      const typed = body.changesForm === 'shown' ? typedChanges(body) : null
      const refusals = typed?.refusals.length
        ? typed.refusals
        : await scenarios.runScenario(actorOf(request), id, typed?.changes)
      if (refusals.length > 0)
        return showScenario(request, reply.code(refusals.some((refusal) => refusal.field === 'run') ? 409 : 400), {
          errors: scenarioErrors(request.t, refusals),
          values: typed ? body : undefined,
        })
      return reply.redirect(`/scenarios/compare?scenario=${encodeURIComponent(id)}`, 303)
    },
  )
}
