import { fieldErrors, isRefusal, type FieldError } from '../../platform/forms.ts'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { DEFAULT_SLOTS } from '../../allocator/index.ts'
import type { Language, Translate } from '../../platform/i18n.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { formatDate } from '../../platform/views.ts'
import { byCharacteristicText, characteristicValueText } from '../people/characteristic-names.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { boundShown, percentBelowBound, slotText, violationText, type KeptViolation, type Verdict } from './rules.ts'
import type { AllocationService, Refusal } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { doneNotices } from '../../platform/notices.ts'
import { registerViewPage } from '../../platform/view-page.ts'
import { PageQuery, pageLinks } from '../../platform/pagination.ts'

export const allocationNavigation: readonly NavigationItem[] = [
  { messageKey: 'allocation.navigation.runs', href: '/allocation/runs', permission: 'allocation.run' },
  { messageKey: 'allocation.navigation.groups', href: '/allocation/groups', permission: 'allocation.view-timetables' },
  {
    messageKey: 'allocation.navigation.movements',
    href: '/allocation/movements',
    permission: 'allocation.view-timetables',
  },
]

export const timetableTab: PersonTab = {
  messageKey: 'allocation.tab.timetable',
  path: 'timetable',
  permission: 'allocation.view-timetables',
}

const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const
const parts = ['AM', 'PM', 'ED'] as const
const traits = ['ageBand', 'ethnicGroup', 'religion', 'disability', 'sex'] as const

const londonTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
/** When a run started, as staff read it: '25 November 2026 at 14:05' (London time). */
function startedText(t: Translate, language: Language, at: Date): string {
  return t('allocation.at', { date: formatDate(at, language), time: londonTime.format(at) })
}

const printCss = readFileSync(path.join(import.meta.dirname, 'views/timetable-print.css'), 'utf8')

const RunParams = z.object({ runId: z.string().uuid() })
const GroupParams = z.object({ groupId: z.string().uuid() })
const MemberForm = z.object({ prisonNumber: z.string().trim().min(1).max(20) })
const TIMETABLE_MAX = 2_000_000
const ImportForm = z.object({ timetable: z.string().trim().min(1).max(TIMETABLE_MAX) })
/**
 * Room for a pasted timetable of TIMETABLE_MAX characters once the form encodes it (its braces, quotes and
 * colons take three bytes each): Fastify's default of 1 MiB refused one of half that with a bare 413 page.
 */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024
const MovementQuery = z.object({
  wing: z.string().max(20).optional().catch(undefined),
  slot: z.string().max(6).optional().catch(undefined),
})
const UpdatesQuery = z.object({ updates: z.enum(['off']).optional().catch(undefined) })
const REFRESH_SECONDS = 3
const noticeOf = doneNotices({
  accepted: 'allocation.accept.done',
  added: 'allocation.change.added',
  removed: 'allocation.change.removed',
  imported: 'allocation.import.done',
})

/** The cohort refusals' values that are cohort codes ('vulnerable'), which a Welsh sentence must not show. */
const cohortValues: Readonly<Record<string, readonly string[]>> = {
  'allocation.refusal.cohortNotAdmitted': ['cohort'],
  'allocation.refusal.cohortSeparated': ['cohort', 'other'],
}

/**
 * The refusals beside their fields, a slot named as the reader knows it ("Monday morning") and a cohort as
 * the person's record names it ("vulnerable prisoners"), not by their codes.
 */
function refusalErrors(t: Translate, refusals: readonly Refusal[]): FieldError[] {
  return fieldErrors(
    t,
    refusals.map((refusal) => {
      const values = { ...refusal.values }
      if (typeof values.slot === 'string') values.slot = slotText(t, values.slot)
      for (const name of cohortValues[refusal.messageKey] ?? []) {
        const code = values[name]
        if (typeof code === 'string' && code) values[name] = t(`cohort.${code}`).toLowerCase()
      }
      return refusal.values ? { ...refusal, values } : refusal
    }),
  )
}

/** A verdict with each broken rule worded in the reader's language. */
function verdictWithTexts(request: FastifyRequest, verdict: Verdict) {
  return {
    ...verdict,
    violations: verdict.violations.map((violation) => ({
      rule: violation.rule,
      text: violationText(request.t, request.plural, violation),
    })),
  }
}

/** A score or a share as the reader writes numbers: '6,863.8', to one decimal place at most. */
const numberText: Record<Language, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
  cy: new Intl.NumberFormat('cy-GB', { maximumFractionDigits: 1 }),
}

/**
 * Issue 19: how close the proposal comes to the best timetable possible, and what the proof means, when its
 * run proved a bound. A run kept before runs proved one, or a timetable imported, says nothing of it.
 */
function boundSentences(t: Translate, language: Language, total: number, upperBound: number | undefined) {
  if (upperBound === undefined) return null
  const percent = percentBelowBound(total, upperBound)
  return {
    headline:
      percent === 0
        ? t('allocation.review.bound.best')
        : t('allocation.review.bound.within', { percent: numberText[language].format(percent) }),
    meaning: t('allocation.review.bound.meaning', { bound: numberText[language].format(boundShown(upperBound)) }),
  }
}

/** A broken rule with its number, in the reader's language: 'Rule 6: …'. */
function ruleText(request: FastifyRequest, violation: KeptViolation): string {
  return request.t('allocation.recheck.rule', {
    rule: violation.rule,
    message: violationText(request.t, request.plural, violation),
  })
}

/** A verdict's figures in rows for the review: today beside the proposal. */
function scoreRows(t: Translate, today: Verdict, proposal: Verdict) {
  const number = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1))
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`
  return [
    [t('allocation.review.total'), number(today.score.total), number(proposal.score.total)],
    [t('allocation.review.wants'), number(today.score.wants), number(proposal.score.wants)],
    [t('allocation.review.continuity'), number(today.score.continuity), number(proposal.score.continuity)],
    [t('allocation.review.fairness'), number(today.score.fairness), number(proposal.score.fairness)],
    [t('allocation.review.meanSessions'), today.meanSessions.toFixed(2), proposal.meanSessions.toFixed(2)],
    [t('allocation.review.noSessionShare'), percent(today.shareWithNoSession), percent(proposal.shareWithNoSession)],
  ]
}

/** Mean sessions per person by cohort and by each protected characteristic, today beside the proposal. */
function equalityTables(t: Translate, today: Verdict, proposal: Verdict) {
  const table = (
    caption: string,
    characteristic: string,
    todayMeans: Record<string, number>,
    proposedMeans: Record<string, number>,
  ) => ({
    caption,
    rows: byCharacteristicText(
      [...new Set([...Object.keys(todayMeans), ...Object.keys(proposedMeans)])].map((value) => ({
        value,
        text: characteristicValueText(t, characteristic, value),
      })),
    ).map(({ value, text }) => [text, (todayMeans[value] ?? 0).toFixed(2), (proposedMeans[value] ?? 0).toFixed(2)]),
  })
  return [
    table(t('allocation.review.byCohort'), 'cohort', today.meanSessionsByCohort, proposal.meanSessionsByCohort),
    ...traits.map((trait) =>
      table(
        t(`allocation.trait.${trait}`),
        trait,
        today.meanSessionsByTrait[trait] ?? {},
        proposal.meanSessionsByTrait[trait] ?? {},
      ),
    ),
  ]
}

/** A week as rows of days and columns of morning, afternoon and evening, each cell the groups that meet then. */
function weekGrid<G extends { slots: string[] }>(t: Translate, groups: readonly G[]) {
  const usedParts = parts.filter((part) => groups.some((group) => group.slots.some((slot) => slot.endsWith(part))))
  const shownParts = usedParts.length ? usedParts : (['AM', 'PM'] as const)
  return {
    parts: shownParts.map((part) => {
      const text = t(`allocation.part.${part}`)
      return { part, text: text.charAt(0).toUpperCase() + text.slice(1) }
    }),
    days: days.map((day) => ({
      day,
      text: t(`allocation.day.${day}`),
      cells: shownParts.map((part) => groups.filter((group) => group.slots.includes(`${day}_${part}`))),
    })),
  }
}

type AllocationRoutesDeps = { allocation: AllocationService }

export function registerAllocationRoutes(app: AreaRoutes, deps: AllocationRoutesDeps) {
  app.get('/assets/allocation/timetable-print.css', { config: { permission: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(printCss),
  )
  registerRunRoutes(app, deps)
  registerProblemRoutes(app, deps)
  registerGroupRoutes(app, deps)
  registerTimetableRoutes(app, deps)
}

/** R5: allocation runs: started, watched, accepted and checked again. */
function registerRunRoutes(app: AreaRoutes, { allocation }: AllocationRoutesDeps) {
  async function showRuns(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) {
    const { page } = PageQuery.parse(request.query ?? {})
    const view = await allocation.listRuns(actorOf(request), { page })
    return reply.page('allocation/views/runs.njk', {
      ...view,
      pageLink: pageLinks('/allocation/runs', {}),
      runs: view.runs.map((run) => ({
        ...run,
        startedText: startedText(request.t, request.language, run.requestedAt),
      })),
      errors,
    })
  }
  app.get('/allocation/runs', { config: { permission: 'allocation.run' } }, async (request, reply) =>
    showRuns(request, reply),
  )
  app.post('/allocation/runs', { config: { permission: 'allocation.run' } }, async (request, reply) => {
    const started = await allocation.startRun(actorOf(request))
    if (!isRefusal(started)) return reply.redirect(`/allocation/runs/${started.runId}`, 303)
    return showRuns(request, reply.code(400), refusalErrors(request.t, [started]))
  })

  async function showRun(request: FastifyRequest, reply: FastifyReply, runId: string, errors: FieldError[] = []) {
    const t = request.t
    const view = await allocation.viewRun(actorOf(request), runId)
    const review = view.review
    const { updates } = UpdatesQuery.parse(request.query)
    const updating = view.isUnderWay && updates !== 'off'
    // Without JavaScript, the browser reloads the page while the run is under way. The Refresh header rather
    // than a <meta> refresh: axe fails any page holding a timed <meta> refresh (WCAG 2.2.1), and the page
    // offers what 2.2.1 asks for instead, a link that stops the updates.
    if (updating) void reply.header('refresh', String(REFRESH_SECONDS))
    return reply.page('allocation/views/run.njk', {
      updating,
      ...view,
      runStarted: startedText(t, request.language, view.run.requestedAt),
      errors,
      notice: noticeOf(request),
      canAccept: hasPermission(actorOf(request).role, 'allocation.accept') && view.run.state === 'proposed',
      scoreRows: review ? scoreRows(t, review.today, review.proposal) : [],
      bound: review && boundSentences(t, request.language, review.proposal.score.total, review.solver?.upperBound),
      equalityTables: review ? equalityTables(t, review.today, review.proposal) : [],
    })
  }
  app.get(
    '/allocation/runs/:runId',
    { schema: { params: RunParams }, config: { permission: 'allocation.run' } },
    async (request, reply) => {
      const { runId } = request.params
      return showRun(request, reply, runId)
    },
  )
  app.post(
    '/allocation/runs/:runId/accept',
    { schema: { params: RunParams }, config: { permission: 'allocation.accept' } },
    async (request, reply) => {
      const { runId } = request.params
      const refusals = (await allocation.acceptRun(actorOf(request), runId)).map(({ violation, gone, ...refusal }) => {
        const reason = violation
          ? violationText(request.t, request.plural, violation)
          : gone && request.t(gone.messageKey, gone.values)
        return reason ? { ...refusal, values: { ...refusal.values, reason } } : refusal
      })
      if (refusals.length > 0) return showRun(request, reply.code(400), runId, refusalErrors(request.t, refusals))
      return reply.redirectWithNotice(`/allocation/runs/${runId}`, 'accepted')
    },
  )
  registerViewPage(app, {
    path: '/allocation/runs/:runId/recheck',
    params: RunParams,
    permission: 'allocation.run',
    template: 'allocation/views/recheck.njk',
    view: (actor, { runId }) => allocation.recheckRun(actor, runId),
    extras: (request, view) => ({
      own: view.own && verdictWithTexts(request, view.own),
      now: view.now && verdictWithTexts(request, view.now),
      // The parser's English is left for a timetable it refuses for another reason, which a kept run's cannot be.
      nowErrors: view.nowGone.length
        ? view.nowGone.map((gone) => request.t(gone.messageKey, gone.values))
        : view.nowErrors,
    }),
  })
}

/** R5: the problem out, a timetable in, for `waymark allocate`. */
function registerProblemRoutes(app: AreaRoutes, { allocation }: AllocationRoutesDeps) {
  app.get('/allocation/problem.json', { config: { permission: 'allocation.run' } }, async (request, reply) => {
    const json = await allocation.exportProblem(actorOf(request))
    return reply
      .type('application/json; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="allocation-problem-${actorOf(request).establishmentCode}.json"`,
      )
      .send(json)
  })
  app.get('/allocation/import', { config: { permission: 'allocation.run' } }, async (_request, reply) =>
    reply.page('allocation/views/import.njk', { errors: [], values: {} }),
  )
  const tooLong = (t: Translate) => t('allocation.import.error.tooLong', { max: TIMETABLE_MAX.toLocaleString('en-GB') })
  const importOptions = {
    config: { permission: 'allocation.run' as const },
    bodyLimit: IMPORT_BODY_LIMIT,
    // Past even that, the form comes back saying the limit and what was likely pasted, not an error page.
    errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error
      return reply.code(413).page('allocation/views/import.njk', {
        errors: [{ text: tooLong(request.t), href: '#timetable' }],
        values: {},
      })
    },
  }
  app.post('/allocation/import', importOptions, async (request, reply) => {
    const form = ImportForm.safeParse(request.body)
    const typed = (request.body as { timetable?: unknown } | undefined)?.timetable
    const outcome = form.success
      ? await allocation.importTimetable(actorOf(request), form.data.timetable)
      : {
          errors: [
            typeof typed === 'string' && typed.trim().length > TIMETABLE_MAX
              ? tooLong(request.t)
              : request.t('allocation.import.error.empty'),
          ],
          violations: [],
          reasonCount: 1,
        }
    if ('runId' in outcome) return reply.redirectWithNotice(`/allocation/runs/${outcome.runId}`, 'imported')
    // The file's own mistakes stay in the allocator's English, the file format's; broken rules are worded here.
    const texts = [...outcome.errors, ...outcome.violations.map((violation) => ruleText(request, violation))]
    return reply.code(400).page('allocation/views/import.njk', {
      errors: texts.map((text) => ({ text, href: '#timetable' })),
      reasonCount: outcome.reasonCount,
      values: request.body ?? {},
    })
  })
}

const GroupsQuery = z.object({ category: z.string().max(40).optional().catch(undefined) })

/** R5: groups, registers and changes by hand, and for officers, who goes where from a wing in one session. */
function registerGroupRoutes(app: AreaRoutes, { allocation }: AllocationRoutesDeps) {
  app.get(
    '/allocation/groups',
    { schema: { querystring: GroupsQuery }, config: { permission: 'allocation.view-timetables' } },
    async (request, reply) => {
      const view = await allocation.listGroups(actorOf(request), request.query)
      return reply.page('allocation/views/groups.njk', {
        ...view,
        groups: view.groups.map((group) => ({
          ...group,
          when: group.slots.map((slot) => slotText(request.t, slot)).join(', '),
        })),
      })
    },
  )
  async function showRegister(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const view = await allocation.viewGroupRegister(actorOf(request), groupId)
    return reply.page('allocation/views/register.njk', {
      ...view,
      when: DEFAULT_SLOTS.filter((slot) => view.group.slots.includes(slot))
        .map((slot) => slotText(request.t, slot))
        .join(', '),
      canChange: hasPermission(actorOf(request).role, 'allocation.accept'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }
  app.get(
    '/allocation/groups/:groupId',
    { schema: { params: GroupParams }, config: { permission: 'allocation.view-timetables' } },
    async (request, reply) => {
      const { groupId } = request.params
      return showRegister(request, reply, groupId)
    },
  )
  for (const kind of ['add', 'remove'] as const)
    app.post(
      `/allocation/groups/:groupId/${kind}`,
      { schema: { params: GroupParams }, config: { permission: 'allocation.accept' } },
      async (request, reply) => {
        const { groupId } = request.params
        const form = MemberForm.safeParse(request.body)
        const refusals = form.success
          ? await allocation.changeGroupMembership(actorOf(request), groupId, form.data.prisonNumber, kind)
          : [{ field: 'prisonNumber', messageKey: 'allocation.change.error.prisonNumber', values: {} }]
        if (refusals.length > 0)
          return showRegister(request, reply.code(400), groupId, {
            errors: refusalErrors(request.t, refusals),
            values: kind === 'add' ? request.body : {},
          })
        return reply.redirectWithNotice(`/allocation/groups/${groupId}`, kind === 'add' ? 'added' : 'removed')
      },
    )

  // R5: for officers, who goes where from a wing in one session
  registerViewPage(app, {
    path: '/allocation/movements',
    query: MovementQuery,
    permission: 'allocation.view-timetables',
    template: 'allocation/views/movements.njk',
    view: (actor, { wing, slot }) => allocation.movementList(actor, wing, slot),
    extras: (request, view) => ({
      slotOptions: view.slots.map((slot) => ({ value: slot, text: slotText(request.t, slot) })),
      slotName: view.slot ? slotText(request.t, view.slot) : null,
    }),
  })
}

/** R5: a person's weekly timetable, on their record and printed for them. */
function registerTimetableRoutes(app: AreaRoutes, { allocation }: AllocationRoutesDeps) {
  /** The week as the timetable and its print show it: a grid, and each group's slots in words. */
  function timetableWords(request: FastifyRequest, view: Awaited<ReturnType<typeof allocation.viewPersonTimetable>>) {
    return {
      grid: weekGrid(request.t, view.groups),
      groups: view.groups.map((group) => ({
        ...group,
        when: DEFAULT_SLOTS.filter((slot) => group.slots.includes(slot))
          .map((slot) => slotText(request.t, slot))
          .join(', '),
      })),
    }
  }
  registerViewPage(app, {
    path: '/people/:prisonNumber/timetable',
    params: PersonParams,
    permission: 'allocation.view-timetables',
    template: 'allocation/views/timetable.njk',
    view: (actor, { prisonNumber }) => allocation.viewPersonTimetable(actor, prisonNumber),
    extras: (request, view) => ({
      ...timetableWords(request, view),
      tabs: request.personTabs(view.person.prisonNumber, 'timetable'),
      subPageTitle: request.t('allocation.timetable.title'),
    }),
  })
  registerViewPage(app, {
    path: '/people/:prisonNumber/timetable/print',
    params: PersonParams,
    permission: 'allocation.view-timetables',
    template: 'allocation/views/timetable-print.njk',
    view: (actor, { prisonNumber }) => allocation.viewPersonTimetable(actor, prisonNumber),
    extras: timetableWords,
  })
}
