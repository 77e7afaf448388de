import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { NotFound } from '../../platform/errors.ts'
import { fieldErrors, type FieldError } from '../../platform/forms.ts'
import type { Language, Translate } from '../../platform/i18n.ts'
import type { NavigationItem } from '../../platform/navigation.ts'
import { doneNotices } from '../../platform/notices.ts'
import { formatDate } from '../../platform/views.ts'
import { isEffect, unitCostItems, type AssumptionName, type UnitCost, type UnitCostItem } from './rules.ts'
import type { CostingService, CostingView } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

export const costingNavigation: readonly NavigationItem[] = [
  { messageKey: 'costing.navigation', href: '/costing', permission: 'costing.view' },
]

const stylesheet = readFileSync(path.join(import.meta.dirname, 'views/costing.css'), 'utf8')

const money: Record<Language, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }),
  cy: new Intl.NumberFormat('cy-GB', { style: 'currency', currency: 'GBP' }),
}
const wholeMoney: Record<Language, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 }),
  cy: new Intl.NumberFormat('cy-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 }),
}
const numbers: Record<Language, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
  cy: new Intl.NumberFormat('cy-GB', { maximumFractionDigits: 1 }),
}

// An address naming no unit cost is a page that does not exist (404), not a mistake in a form (400).
const ItemParams = z.object({ item: z.enum(unitCostItems).optional().catch(undefined) })
function itemOf(params: z.infer<typeof ItemParams>): UnitCostItem {
  if (!params.item) throw new NotFound()
  return params.item
}
const noticeOf = doneNotices({
  'unit-cost': 'costing.saved.unitCost',
  assumptions: 'costing.saved.assumptions',
  unchanged: 'costing.saved.unchanged',
})
const UnitCostForm = z.object({ amount: z.string().default(''), source: z.string().default('') })

/** An item's name in the reader's language; care plan levels carry the prison's own name of the level. */
function itemName(t: Translate, item: UnitCostItem, levelNames: Record<string, string>): string {
  const level = /^care-plan-day-(low|raised|high)$/.exec(item)?.[1]
  return level
    ? t('costing.item.care-plan-day-level', { level: levelNames[level] ?? level })
    : t(`costing.item.${item}`)
}

/** M4: the page's figures as the reader reads them: money in pounds, counts to one decimal place. */
function costingPage(request: FastifyRequest, view: CostingView) {
  const t = request.t
  const language = request.language
  const pounds = (pence: number) => money[language].format(pence / 100)
  const yearly = (pence: number) => wholeMoney[language].format(Math.round(pence / 100))
  const count = (value: number) => numbers[language].format(value)
  const assumed = (name: AssumptionName) => view.assumptions.find((assumption) => assumption.name === name)?.value ?? 0
  const hours = (name: AssumptionName) => count(assumed(name))
  const figure = (value: number | null, unit: string | null) =>
    // The form by the figure as shown (to one decimal place): 0.96 hours reads '1 hour'.
    value === null
      ? null
      : unit
        ? request.plural(`costing.unit.${unit}`, Math.round(value * 10) / 10, { value: count(value) })
        : count(value)
  // A course's staff hours are set by the prison and may be 1: those lines read by the language's plural rules.
  const staffHours = (name: AssumptionName, more: Record<string, string> = {}) => ({
    values: { hours: hours(name), ...more },
    staffHours: assumed(name),
  })
  const perLine: Record<string, { values: Record<string, string>; staffHours?: number }> = {
    'training-mental-health-first-aid': staffHours('hours-mental-health-first-aid'),
    'training-trauma-informed': staffHours('hours-trauma-informed'),
    'training-acct': staffHours('hours-acct', { percent: hours('acct-case-managers-percent') }),
    'health-and-social-care': staffHours('hours-health-and-social-care'),
    'time-out-of-cell': { values: { hours: hours('group-session-hours'), people: hours('people-per-group') } },
  }
  const per = (code: string) => {
    const { values, staffHours: hoursFor } = perLine[code] ?? { values: {} }
    return hoursFor === undefined
      ? t(`costing.package.per.${code}`, values)
      : request.plural(`costing.package.per.${code}`, hoursFor, values)
  }
  return {
    prepared: t('costing.prepared', {
      establishment: actorOf(request).establishmentName ?? actorOf(request).establishmentCode,
      date: formatDate(view.today, language),
    }),
    period: t('costing.today.period', {
      from: formatDate(view.period.from, language),
      to: formatDate(view.period.to, language),
    }),
    todayTotal: yearly(view.todayTotalPence),
    // With no target set the package is not £0 (nothing to pay for) but not costed at all: say so.
    packageTotal: view.packageLines.every((line) => line.state === 'no-target')
      ? t('costing.summary.noTargets')
      : yearly(view.packageTotalPence),
    savingsTotal: view.savings.length ? yearly(view.savingsTotalPence) : null,
    todayRows: view.todayLines.map((line) => {
      const level = /^care-plan-day-(low|raised|high)$/.exec(line.code)?.[1]
      return {
        what: level
          ? t('costing.today.care-plan-day-level', { level: view.levelNames[language][level as 'low'] })
          : t(`costing.today.${line.code}`),
        count: count(line.count),
        unitCost: pounds(line.unitPence),
        yearly: yearly(line.yearlyPence),
      }
    }),
    packageIntro: t('costing.package.intro', {
      population: count(view.basis.population),
      staff: count(view.basis.staff),
      sessions: count(view.basis.keyWorkSessionsDue),
    }),
    packageRows: view.packageLines.map((line) => ({
      code: line.code,
      what: t(`costing.package.${line.code}`),
      now: figure(line.now, line.unit) ?? t('costing.package.noFigure'),
      target: figure(line.target, line.unit) ?? t('costing.package.noTarget'),
      gap:
        line.state === 'gap'
          ? request.plural(`costing.package.gap.${line.gapUnit}`, line.gap, { count: count(line.gap) })
          : t(`costing.package.state.${line.state}`),
      unitCost: `${pounds(line.unitPence)}: ${per(line.code)}`,
      yearly: yearly(line.yearlyPence),
    })),
    savings: view.savings.map((saving) =>
      t(`costing.effect.${saving.name}`, {
        percent: count(saving.percent),
        source: saving.source,
        saving: yearly(saving.savingPence),
        of: yearly(saving.ofPence),
      }),
    ),
    assumptionRows: view.assumptions.map((assumption) => ({
      name: assumption.name,
      label: t(`costing.assumption.${assumption.name}`),
      value:
        assumption.value !== null
          ? count(assumption.value)
          : isEffect(assumption.name)
            ? t('costing.assumptions.noChange')
            : t('costing.assumptions.fromRecordsValue', {
                value: count(
                  assumption.name === 'staff-counted' ? view.records.staff : view.records.keyWorkSessionsDue,
                ),
              }),
      source: assumption.source,
      effect: isEffect(assumption.name),
      hint:
        assumption.name === 'staff-counted' || assumption.name === 'key-work-sessions-due'
          ? t('costing.assumptions.fromRecords', {
              value: count(assumption.name === 'staff-counted' ? view.records.staff : view.records.keyWorkSessionsDue),
            })
          : isEffect(assumption.name)
            ? t('costing.assumptions.blankNone')
            : null,
    })),
    unitCostRows: view.unitCosts.map((cost: UnitCost) => ({
      item: cost.item,
      what: itemName(t, cost.item, view.levelNames[language]),
      cost: pounds(cost.pence),
      source: cost.source,
      isDefault: cost.isDefault,
    })),
  }
}

/** The assumptions form as it stands: what was typed after a refusal, the saved values otherwise. */
function assumptionValues(view: CostingView, typed?: Record<string, unknown>) {
  if (typed) return typed
  return Object.fromEntries(
    view.assumptions.flatMap((assumption) => [
      [assumption.name, assumption.value === null ? '' : String(assumption.value)],
      [`${assumption.name}-source`, assumption.source],
    ]),
  )
}

/** M4: the cost of what works, its print version, and the forms that change its unit costs and assumptions. */
export function registerCostingRoutes(app: AreaRoutes, { costing }: { costing: CostingService }) {
  app.get('/assets/costing/costing.css', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  )

  async function showCosting(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      printView?: boolean
      errors?: FieldError[]
      values?: Record<string, unknown>
    } = {},
  ) {
    const view = await costing.costing(actorOf(request))
    return reply.page('costing/views/costing.njk', {
      view,
      page: costingPage(request, view),
      printView: options.printView ?? false,
      notice: noticeOf(request),
      errors: options.errors ?? [],
      values: assumptionValues(view, options.values),
    })
  }

  app.get('/costing', { config: { permission: 'costing.view' } }, async (request, reply) => showCosting(request, reply))

  app.get('/costing/print', { config: { permission: 'costing.view' } }, async (request, reply) =>
    showCosting(request, reply, { printView: true }),
  )

  app.post('/costing/assumptions', { config: { permission: 'costing.edit' } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const { refusals, changed } = await costing.setAssumptions(actorOf(request), body)
    if (refusals.length > 0) {
      // Eleven fields share a few messages ("Enter a number from 0 to 500"): each says which assumption it is.
      const errors = fieldErrors(request.t, refusals).map((error) => {
        const name = error.field.replace(/-source$/, '')
        const label = request.t(`costing.assumption.${name}`)
        return { ...error, text: `${label}: ${error.text}` }
      })
      return showCosting(request, reply.code(400), { errors, values: body })
    }
    // The page says "saved" only when something was: a form sent back as it was shown stores nothing.
    return reply.redirectWithNotice('/costing#assumptions', changed > 0 ? 'assumptions' : 'unchanged')
  })

  async function showUnitCost(
    request: FastifyRequest,
    reply: FastifyReply,
    item: UnitCostItem,
    options: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const view = await costing.unitCostForm(actorOf(request), item)
    return reply.page('costing/views/unit-cost.njk', {
      item,
      name: itemName(request.t, item, view.levelNames[request.language]),
      current: money.en.format(view.unitCost.pence / 100).replace('£', ''),
      values: options.values ?? { amount: (view.unitCost.pence / 100).toFixed(2), source: view.unitCost.source },
      errors: options.errors ?? [],
    })
  }

  app.get(
    '/costing/unit-costs/:item',
    { schema: { params: ItemParams }, config: { permission: 'costing.edit' } },
    async (request, reply) => {
      const item = itemOf(request.params)
      return showUnitCost(request, reply, item)
    },
  )

  app.post(
    '/costing/unit-costs/:item',
    { schema: { params: ItemParams }, config: { permission: 'costing.edit' } },
    async (request, reply) => {
      const item = itemOf(request.params)
      const form = UnitCostForm.parse(request.body ?? {})
      const refusals = await costing.setUnitCost(actorOf(request), item, form.amount, form.source)
      if (refusals.length > 0)
        return showUnitCost(request, reply.code(400), item, { errors: fieldErrors(request.t, refusals), values: form })
      return reply.redirectWithNotice('/costing#unit-costs', 'unit-cost')
    },
  )
}
