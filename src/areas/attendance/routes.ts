import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { dateFromInput, dateInputErrorHrefs, dateInputParts, INVALID_DATE } from '../../platform/date-input.ts'
import { BadRequest } from '../../platform/errors.ts'
import { fieldErrors, schemaRefusals as platformSchemaRefusals, type FieldError } from '../../platform/forms.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import { attendanceOutcomes, defaultPeriod, type Period, type RegisterEntry, type Refusal } from './rules.ts'
import { addDays } from '../../platform/dates.ts'
import type { AttendanceService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { doneNotices } from '../../platform/notices.ts'

export const attendanceNavigation: readonly NavigationItem[] = [
  { messageKey: 'attendance.navigation.sessions', href: '/attendance', permission: 'attendance.record' },
  { messageKey: 'attendance.navigation.reports', href: '/attendance/reports', permission: 'attendance.reports' },
]

export const attendanceTab: PersonTab = {
  messageKey: 'attendance.tab.activities',
  path: 'activities',
  permission: 'attendance.view',
}

const Body = z.record(z.string(), z.unknown()).catch({})
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

const SessionParams = z.object({
  groupId: z.string().uuid(),
  sessionOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  slot: z.string().regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN)_(AM|PM|ED)$/),
})

const noticeOf = doneNotices({
  register: 'attendance.register.saved',
  completion: 'attendance.completion.done',
  feedback: 'attendance.feedback.done',
})

const CompletionForm = z.object({
  activityId: z.string().trim().max(40),
  outcome: z.enum(['completed', 'not-completed']),
  reason: z.string().trim().max(500).default(''),
})
const FeedbackForm = z.object({
  activityId: z.string().trim().max(40),
  rating: z.coerce.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).default(''),
})
const completionMessages: Record<string, string> = {
  activityId: 'attendance.person.error.activity',
  outcome: 'attendance.completion.error.outcome',
  reason: 'attendance.completion.error.reasonTooLong',
}
const feedbackMessages: Record<string, string> = {
  activityId: 'attendance.person.error.activity',
  rating: 'attendance.feedback.error.rating',
  comment: 'attendance.feedback.error.comment',
}

function schemaRefusals(error: z.ZodError, messages: Record<string, string>): Refusal[] {
  return platformSchemaRefusals(error, messages).map((refusal) => ({ values: {}, ...refusal }))
}

type AttendanceRoutesDeps = { attendance: AttendanceService }

export function registerAttendanceRoutes(app: AreaRoutes, deps: AttendanceRoutesDeps) {
  registerSessionRoutes(app, deps)
  registerPersonActivityRoutes(app, deps)
  registerReportRoutes(app, deps)
}

/** R7: the day's sessions, and a whole session's register on one page, saved in one go. */
function registerSessionRoutes(app: AreaRoutes, { attendance }: AttendanceRoutesDeps) {
  // R7: the day's sessions, to choose one to take its register
  app.get(
    '/attendance',
    { schema: { querystring: Body }, config: { permission: 'attendance.record' } },
    async (request, reply) => {
      const query = request.query
      const date = dateFromInput(query, 'date')
      const errors: FieldError[] =
        date === INVALID_DATE
          ? [{ field: 'date', text: request.t('attendance.sessions.error.date'), href: '#date-day' }]
          : []
      const sessionOn = date === null || date === INVALID_DATE ? attendance.today() : date
      const day = await attendance.sessionsOn(actorOf(request), sessionOn)
      return reply.code(errors.length ? 400 : 200).page('attendance/views/sessions.njk', {
        ...day,
        errors,
        dateValue: dateInputParts(query, 'date', date === INVALID_DATE ? null : sessionOn),
        previousDay: addDays(sessionOn, -1),
        nextDay: addDays(sessionOn, 1),
      })
    },
  )

  // R7: a whole session's register on one page, saved in one go
  async function showRegister(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const { groupId, sessionOn, slot } = SessionParams.parse(request.params)
    const view = await attendance.viewRegister(actorOf(request), groupId, sessionOn, slot)
    const values = extra.values
    return reply.page('attendance/views/register.njk', {
      ...view,
      part: slot.slice(4),
      outcomes: attendanceOutcomes,
      register: view.register.map((person) => ({
        ...person,
        outcome: values ? text(values[`outcome-${person.personId}`]) : (person.outcome ?? ''),
        reason: values ? text(values[`reason-${person.personId}`]) : person.reason,
      })),
      errors: extra.errors ?? [],
      notice: noticeOf(request),
    })
  }

  app.get(
    '/attendance/sessions/:groupId/:sessionOn/:slot',
    { config: { permission: 'attendance.record' } },
    async (request, reply) => showRegister(request, reply),
  )

  app.post(
    '/attendance/sessions/:groupId/:sessionOn/:slot',
    { schema: { params: SessionParams }, config: { permission: 'attendance.record' } },
    async (request, reply) => {
      const { groupId, sessionOn, slot } = request.params
      const body = Body.parse(request.body)
      const entries = new Map<string, RegisterEntry>()
      const entryFor = (personId: string) => {
        let entry = entries.get(personId)
        if (!entry) entries.set(personId, (entry = { personId, outcome: null, reason: '' }))
        return entry
      }
      for (const [name, value] of Object.entries(body)) {
        const match = /^(outcome|reason)-([0-9a-f-]{36})$/.exec(name)
        if (!match) continue
        const entry = entryFor(match[2])
        if (match[1] === 'reason') entry.reason = text(value)
        else if (text(value) !== '') {
          // The page offers only these: anything else came from something other than the register.
          const outcome = attendanceOutcomes.find((candidate) => candidate === text(value))
          if (!outcome) throw new BadRequest('Unknown attendance outcome')
          entry.outcome = outcome
        }
      }
      const refusals = await attendance.recordSession(
        actorOf(request),
        groupId,
        sessionOn,
        slot,
        [...entries.values()],
        {
          theRestAttended: body.rest === 'attended',
        },
      )
      if (refusals.length > 0)
        return showRegister(request, reply.code(400), { errors: fieldErrors(request.t, refusals), values: body })
      return reply.redirect(`/attendance/sessions/${groupId}/${sessionOn}/${slot}?done=register`, 303)
    },
  )
}

/** R7: a person's activities, completion and feedback. */
function registerPersonActivityRoutes(app: AreaRoutes, { attendance }: AttendanceRoutesDeps) {
  app.get(
    '/people/:prisonNumber/activities',
    { schema: { params: PersonParams }, config: { permission: 'attendance.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const actor = actorOf(request)
      const view = await attendance.viewPersonActivities(actor, prisonNumber)
      return reply.page('attendance/views/person-activities.njk', {
        ...view,
        canRecord: hasPermission(actor.role, 'attendance.record'),
        tabs: request.personTabs(view.person.prisonNumber, 'activities'),
        subPageTitle: request.t('attendance.person.title'),
        notice: noticeOf(request),
      })
    },
  )

  async function showPersonForm(
    request: FastifyRequest,
    reply: FastifyReply,
    which: 'completion' | 'feedback',
    extra: { errors?: FieldError[]; values?: Record<string, unknown> } = {},
  ) {
    const { prisonNumber } = PersonParams.parse(request.params)
    const actor = actorOf(request)
    const view = await attendance.viewPersonActivities(actor, prisonNumber)
    const values = extra.values ?? {}
    const dateField = which === 'completion' ? 'finishedOn' : 'givenOn'
    return reply.page(`attendance/views/${which}.njk`, {
      person: view.person,
      activities: view.activities,
      tabs: request.personTabs(view.person.prisonNumber, 'activities'),
      subPageTitle: request.t(`attendance.${which}.title`),
      values,
      dateValue: dateInputParts(values, dateField, extra.values ? null : attendance.today()),
      errors: extra.errors ?? [],
    })
  }

  for (const which of ['completion', 'feedback'] as const) {
    app.get(
      `/people/:prisonNumber/activities/${which}`,
      { config: { permission: 'attendance.record' } },
      async (request, reply) => showPersonForm(request, reply, which),
    )
  }

  app.post(
    '/people/:prisonNumber/activities/completion',
    { schema: { params: PersonParams }, config: { permission: 'attendance.record' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const body = Body.parse(request.body)
      const form = CompletionForm.safeParse(body)
      const finishedOn = dateFromInput(body, 'finishedOn')
      const refusals = form.success ? [] : schemaRefusals(form.error, completionMessages)
      if (finishedOn === null || finishedOn === INVALID_DATE)
        refusals.push({ field: 'finishedOn', messageKey: 'attendance.completion.error.finishedOn', values: {} })
      if (refusals.length === 0 && form.success && typeof finishedOn === 'string')
        refusals.push(
          ...(await attendance.recordCompletion(actorOf(request), prisonNumber, { ...form.data, finishedOn })),
        )
      if (refusals.length > 0)
        return showPersonForm(request, reply.code(400), 'completion', {
          errors: dateInputErrorHrefs(fieldErrors(request.t, refusals), 'finishedOn'),
          values: body,
        })
      return reply.redirect(`/people/${prisonNumber}/activities?done=completion`, 303)
    },
  )

  app.post(
    '/people/:prisonNumber/activities/feedback',
    { schema: { params: PersonParams }, config: { permission: 'attendance.record' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const body = Body.parse(request.body)
      const form = FeedbackForm.safeParse(body)
      const givenOn = dateFromInput(body, 'givenOn')
      const refusals = form.success ? [] : schemaRefusals(form.error, feedbackMessages)
      if (givenOn === null || givenOn === INVALID_DATE)
        refusals.push({ field: 'givenOn', messageKey: 'attendance.feedback.error.givenOn', values: {} })
      if (refusals.length === 0 && form.success && typeof givenOn === 'string')
        refusals.push(...(await attendance.recordFeedback(actorOf(request), prisonNumber, { ...form.data, givenOn })))
      if (refusals.length > 0)
        return showPersonForm(request, reply.code(400), 'feedback', {
          errors: dateInputErrorHrefs(fieldErrors(request.t, refusals), 'givenOn'),
          values: body,
        })
      return reply.redirect(`/people/${prisonNumber}/activities?done=feedback`, 303)
    },
  )
}

/** R7: quality and impact reports, on the page and as CSV. */
function registerReportRoutes(app: AreaRoutes, { attendance }: AttendanceRoutesDeps) {
  function periodFrom(request: FastifyRequest): {
    period: Period
    errors: FieldError[]
    query: Record<string, unknown>
  } {
    const query = Body.parse(request.query)
    const fallback = defaultPeriod(attendance.today())
    const from = dateFromInput(query, 'from')
    const to = dateFromInput(query, 'to')
    const period = {
      from: from === null ? fallback.from : from === INVALID_DATE ? '' : from,
      to: to === null ? fallback.to : to === INVALID_DATE ? '' : to,
    }
    const problem = attendance.periodProblem(period)
    return {
      period,
      query,
      errors: problem ? dateInputErrorHrefs(fieldErrors(request.t, [problem]), problem.field) : [],
    }
  }

  app.get('/attendance/reports', { config: { permission: 'attendance.reports' } }, async (request, reply) => {
    const { period, errors, query } = periodFrom(request)
    const fallback = defaultPeriod(attendance.today())
    const shown = errors.length ? fallback : period
    const reports = await attendance.viewReports(actorOf(request), shown)
    return reply.code(errors.length ? 400 : 200).page('attendance/views/reports.njk', {
      ...reports,
      errors,
      fromValue: dateInputParts(query, 'from', errors.length ? null : shown.from),
      toValue: dateInputParts(query, 'to', errors.length ? null : shown.to),
      periodQuery: new URLSearchParams({ from: shown.from, to: shown.to }).toString(),
    })
  })

  for (const [path, make] of [
    ['activities', (actor: Actor, period: Period) => attendance.activityReportCsv(actor, period)],
    ['time-out-of-cell', (actor: Actor, period: Period) => attendance.timeOutOfCellCsv(actor, period)],
  ] as const) {
    app.get(
      `/attendance/reports/${path}.csv`,
      { config: { permission: 'attendance.reports' } },
      async (request, reply) => {
        const { period, errors } = periodFrom(request)
        if (errors.length) throw new BadRequest('Choose a real period')
        const csv = await make(actorOf(request), period)
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${path}-${period.from}-to-${period.to}.csv"`)
          .send(csv)
      },
    )
  }
}
