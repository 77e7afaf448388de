import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendDownload } from '../../platform/downloads.ts'
import { z } from 'zod'
import {
  DateInputField,
  dateFromInput,
  dateInputErrorHrefs,
  dateInputParts,
  INVALID_DATE,
  withDateInputs,
} from '../../platform/date-input.ts'
import { formPageOf, registerFormPage } from '../../platform/form-page.ts'
import { BadRequest } from '../../platform/errors.ts'
import { fieldErrors, type FieldError } from '../../platform/forms.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  attendanceOutcomes,
  defaultPeriod,
  type Period,
  type RegisterEntry,
  type RegisterLine,
  type Refusal,
} from './rules.ts'
import { addDays } from '../../platform/dates.ts'
import type { AttendanceService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'
import { doneNotices } from '../../platform/notices.ts'
import { registerViewPage } from '../../platform/view-page.ts'

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

// The date last in each form, as on the page: its message ends the error summary.
const CompletionForm = withDateInputs(
  ['finishedOn'],
  z.object({
    activityId: z.string().trim().max(40),
    outcome: z.enum(['completed', 'not-completed']),
    reason: z.string().trim().max(500).default(''),
    finishedOn: DateInputField,
  }),
)
const FeedbackForm = withDateInputs(
  ['givenOn'],
  z.object({
    activityId: z.string().trim().max(40),
    rating: z.coerce.number().int().min(1).max(5),
    comment: z.string().trim().max(1000).default(''),
    givenOn: DateInputField,
  }),
)
const completionMessages: Record<string, string> = {
  activityId: 'attendance.person.error.activity',
  outcome: 'attendance.completion.error.outcome',
  reason: 'attendance.completion.error.reasonTooLong',
  finishedOn: 'attendance.completion.error.finishedOn',
}
const feedbackMessages: Record<string, string> = {
  activityId: 'attendance.person.error.activity',
  rating: 'attendance.feedback.error.rating',
  comment: 'attendance.feedback.error.comment',
  givenOn: 'attendance.feedback.error.givenOn',
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
    extra: { errors?: FieldError[]; values?: Record<string, unknown>; changedMeanwhile?: Set<string> } = {},
  ) {
    const { groupId, sessionOn, slot } = SessionParams.parse(request.params)
    const view = await attendance.viewRegister(actorOf(request), groupId, sessionOn, slot)
    const values = extra.values
    return reply.page('attendance/views/register.njk', {
      ...view,
      part: slot.slice(4),
      outcomes: attendanceOutcomes,
      register: view.register.map((person) => {
        // Sent back with problems: the officer's answers, but the line someone else changed meanwhile as it is now.
        const asSent = values && !extra.changedMeanwhile?.has(person.personId)
        return {
          ...person,
          outcome: asSent ? text(values[`outcome-${person.personId}`]) : (person.outcome ?? ''),
          reason: asSent ? text(values[`reason-${person.personId}`]) : person.reason,
          shownOutcome: person.outcome ?? '',
          shownReason: person.reason,
        }
      }),
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
      // Each line as the page showed it, so a line changed meanwhile by someone else is not overwritten.
      const shown = new Map<string, RegisterLine>()
      const shownFor = (personId: string) => {
        let line = shown.get(personId)
        if (!line) shown.set(personId, (line = { outcome: null, reason: '' }))
        return line
      }
      for (const [name, value] of Object.entries(body)) {
        const match = /^(outcome|reason|shown-outcome|shown-reason)-([0-9a-f-]{36})$/.exec(name)
        if (!match) continue
        if (match[1] === 'shown-reason') shownFor(match[2]).reason = text(value)
        else if (match[1] === 'shown-outcome')
          shownFor(match[2]).outcome = attendanceOutcomes.find((candidate) => candidate === text(value)) ?? null
        if (match[1].startsWith('shown-')) continue
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
        { theRestAttended: body.rest === 'attended', shown },
      )
      if (refusals.length > 0)
        return showRegister(request, reply.code(400), {
          errors: fieldErrors(request.t, refusals),
          values: body,
          changedMeanwhile: new Set(
            refusals
              .filter((refusal) => refusal.messageKey === 'attendance.error.changedMeanwhile')
              .map((refusal) => refusal.field.replace('outcome-', '')),
          ),
        })
      return reply.redirectWithNotice(`/attendance/sessions/${groupId}/${sessionOn}/${slot}`, 'register')
    },
  )
}

/** R7: a person's activities, completion and feedback. */
function registerPersonActivityRoutes(app: AreaRoutes, { attendance }: AttendanceRoutesDeps) {
  registerViewPage(app, {
    path: '/people/:prisonNumber/activities',
    params: PersonParams,
    permission: 'attendance.view',
    template: 'attendance/views/person-activities.njk',
    view: (actor, { prisonNumber }) => attendance.viewPersonActivities(actor, prisonNumber),
    extras: (request, view) => ({
      canRecord: hasPermission(actorOf(request).role, 'attendance.record'),
      tabs: request.personTabs(view.person.prisonNumber, 'activities'),
      subPageTitle: request.t('attendance.person.title'),
      notice: noticeOf(request),
    }),
  })

  /**
   * A form about one person's activity (`/people/:prisonNumber/activities/<which>`), on its own page under
   * their activities tab, its date starting on today. Once stored, back to their activities, saying so.
   */
  function registerPersonForm<Form>(
    which: 'completion' | 'feedback',
    form: {
      schema: z.ZodType<Form>
      messages: Record<string, string>
      dateInput: string
      save: (actor: Actor, prisonNumber: string, form: Form) => Promise<Refusal[]>
    },
  ) {
    registerFormPage(app, {
      path: `/people/:prisonNumber/activities/${which}`,
      params: PersonParams,
      permission: 'attendance.record',
      show: formPageOf(`attendance/views/${which}.njk`, async (request, { prisonNumber }, sentBack) => {
        const view = await attendance.viewPersonActivities(actorOf(request), prisonNumber)
        return {
          person: view.person,
          activities: view.activities,
          tabs: request.personTabs(view.person.prisonNumber, 'activities'),
          subPageTitle: request.t(`attendance.${which}.title`),
          dateValue: sentBack
            ? dateInputParts(Body.parse(sentBack.values), form.dateInput, null)
            : dateInputParts({}, form.dateInput, attendance.today()),
        }
      }),
      form: form.schema,
      messages: form.messages,
      dateInputs: [form.dateInput],
      save: (actor, { prisonNumber }, sent) => form.save(actor, prisonNumber, sent),
      next: ({ prisonNumber }) => `/people/${prisonNumber}/activities`,
      done: which,
    })
  }

  registerPersonForm('completion', {
    schema: CompletionForm,
    messages: completionMessages,
    dateInput: 'finishedOn',
    save: (actor, prisonNumber, form) => attendance.recordCompletion(actor, prisonNumber, form),
  })

  registerPersonForm('feedback', {
    schema: FeedbackForm,
    messages: feedbackMessages,
    dateInput: 'givenOn',
    save: (actor, prisonNumber, form) => attendance.recordFeedback(actor, prisonNumber, form),
  })
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
    const provider = typeof query.provider === 'string' ? query.provider.slice(0, 40) : undefined
    const reports = await attendance.viewReports(actorOf(request), shown, provider)
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
        return sendDownload(reply, `${path}-${period.from}-to-${period.to}.csv`, csv)
      },
    )
  }
}
