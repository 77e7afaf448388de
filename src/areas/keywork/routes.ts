import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Language, Translate } from '../../platform/i18n.ts'
import { dateFromInput, dateInputErrorHrefs, dateInputParts, INVALID_DATE } from '../../platform/date-input.ts'
import { fieldErrors, schemaErrors, type FieldError } from '../../platform/forms.ts'
import type { NavigationItem, PersonTab } from '../../platform/navigation.ts'
import { hasPermission, type Actor } from '../../platform/permissions.ts'
import { PersonParams } from '../../platform/person-page.ts'
import {
  checkInScales,
  deallocationReasons,
  officerLabelIn,
  type KeyworkPolicy,
  type Refusal,
  type WellbeingFlag,
} from './rules.ts'
import type { KeyworkService } from './service.ts'
import { type AreaRoutes, actorOf } from '../../platform/area.ts'

export const keyworkNavigation: readonly NavigationItem[] = [
  { messageKey: 'keywork.navigation.caseload', href: '/my-caseload', permission: 'keywork.record-session' },
  { messageKey: 'keywork.navigation.allocate', href: '/dedicated-officers', permission: 'keywork.allocate' },
  { messageKey: 'keywork.navigation.flags', href: '/wellbeing-flags', permission: 'keywork.view-flags' },
  {
    messageKey: 'keywork.navigation.changeRequests',
    href: '/officer-change-requests',
    permission: 'keywork.review-change-request',
  },
  {
    messageKey: 'keywork.navigation.statistics',
    href: '/dedicated-officers/statistics',
    permission: 'keywork.view-statistics',
  },
  { messageKey: 'keywork.navigation.settings', href: '/key-work-settings', permission: 'keywork.settings' },
]

export const keyworkTabs: readonly PersonTab[] = [
  { messageKey: 'keywork.tab.dedicatedOfficer', path: 'dedicated-officer', permission: 'keywork.view' },
  { messageKey: 'keywork.tab.keyWork', path: 'key-work', permission: 'keywork.view' },
  // K2: the way in for partner workers too, who may record a request but not see the dedicated officer tab.
  { messageKey: 'keywork.tab.changeOfficer', path: 'change-officer', permission: 'keywork.raise-change-request' },
]

function labelled(policy: KeyworkPolicy, language: Language) {
  const label = officerLabelIn(language, policy)
  return { label, labelTitle: label.charAt(0).toUpperCase() + label.slice(1) }
}

/** The text of each flag, for the pages: why, and what to do about it. */
function flagTexts(t: Translate, flags: readonly WellbeingFlag[]): string[] {
  return flags.map((flag) => {
    if (flag.kind === 'drop')
      return t('keywork.flag.drop', { scale: t(`keywork.scale.${flag.scale}`), from: flag.from, to: flag.to })
    if (flag.kind === 'low-run') return t('keywork.flag.low-run', { scale: t(`keywork.scale.${flag.scale}`) })
    return t('keywork.flag.missed-sessions', { days: flag.days })
  })
}

const Whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

const SettingsForm = z.object({
  officerLabel: z.string().trim().min(1).max(40),
  officerLabelCy: z.string().trim().min(1).max(40),
  caseloadDefault: Whole(1, 30),
  caseloadExtended: Whole(1, 30),
  sessionIntervalDays: Whole(1, 90),
  firstContactDays: Whole(1, 60),
})
const settingsMessages: Record<string, Refusal> = Object.fromEntries(
  Object.keys(SettingsForm.shape).map((field) => [
    field,
    { field, messageKey: `keywork.settings.error.${field}`, values: {} },
  ]),
)

const AllocateForm = z.object({ staffUserId: z.string().uuid() })
const DeallocateForm = z.object({ reason: z.enum(deallocationReasons) })
const SpecialistForm = z.object({
  needsSpecialist: z.enum(['yes', 'no']),
  reason: z.string().trim().min(1).max(1000),
})
const specialistMessages: Record<string, Refusal> = {
  needsSpecialist: { field: 'needsSpecialist', messageKey: 'keywork.specialist.error.choose', values: {} },
  reason: { field: 'reason', messageKey: 'keywork.specialist.error.reason', values: {} },
}
const ChangeRequestForm = z.object({ changeReason: z.string().trim().min(1).max(2000) })
const DecisionForm = z.object({
  outcome: z.enum(['agreed', 'declined']),
  outcomeReason: z.string().trim().min(1).max(2000),
})
const WingForm = z.object({ wing: z.string().max(20), plan: z.string().max(200_000) })
const IdParams = z.object({ id: z.string().uuid() })
const periods = [7, 28, 91] as const
const StatisticsQuery = z.object({
  days: z.coerce
    .number()
    .refine((value) => (periods as readonly number[]).includes(value))
    .catch(28)
    .default(28),
})

const Scale = Whole(1, 5)
const CheckInFields = {
  mood: Scale,
  sleep: Scale,
  familyContact: Scale,
  worries: Scale,
  notes: z.string().trim().max(4000).default(''),
}
const SessionForm = z.object({ minutes: Whole(1, 480), ...CheckInFields })
const attendeeRows = [1, 2, 3, 4] as const
const MeetingForm = z.object({
  ...CheckInFields,
  ...Object.fromEntries(
    attendeeRows.flatMap((n) => [
      [`name${n}`, z.string().trim().max(100).default('')],
      [`organisation${n}`, z.string().trim().max(100).default('')],
      [`role${n}`, z.string().trim().max(100).default('')],
    ]),
  ),
})

function checkInMessages(t: Translate): Record<string, Refusal> {
  const messages: Record<string, Refusal> = {
    notes: { field: 'notes', messageKey: 'keywork.checkIn.error.notes', values: {} },
  }
  for (const scale of checkInScales)
    messages[scale] = {
      field: scale,
      messageKey: 'keywork.checkIn.error.scale',
      values: { scale: t(`keywork.scale.${scale}`).toLowerCase() },
    }
  return messages
}

const notices: Record<string, string> = {
  allocated: 'keywork.allocate.done',
  deallocated: 'keywork.deallocate.done',
  specialist: 'keywork.specialist.done',
  'change-requested': 'keywork.changeRequest.done',
  saved: 'keywork.settings.saved',
  decided: 'keywork.changeRequests.done',
  session: 'keywork.session.done',
  meeting: 'keywork.meeting.done',
}
const bodyOf = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}

const NoticeQuery = z.object({ done: z.string().max(30).optional().catch(undefined) })
function noticeOf(request: FastifyRequest): string | null {
  const { done } = NoticeQuery.parse(request.query)
  return done ? (notices[done] ?? null) : null
}

export function registerKeyworkRoutes(app: AreaRoutes, { keywork }: { keywork: KeyworkService }) {
  // K1: settings per prison
  async function showSettings(
    reply: FastifyReply,
    actor: Actor,
    extra: { errors?: FieldError[]; values?: unknown; notice?: string | null } = {},
  ) {
    const policy = await keywork.policyFor(actor.establishmentCode)
    return reply.page('keywork/views/settings.njk', {
      values: extra.values ?? policy,
      errors: extra.errors ?? [],
      notice: extra.notice ?? null,
    })
  }
  app.get('/key-work-settings', { config: { permission: 'keywork.settings' } }, async (request, reply) =>
    showSettings(reply, actorOf(request), { notice: noticeOf(request) }),
  )
  app.post('/key-work-settings', { config: { permission: 'keywork.settings' } }, async (request, reply) => {
    const form = SettingsForm.safeParse(request.body)
    const errors = form.success
      ? fieldErrors(request.t, await keywork.savePolicy(actorOf(request), form.data))
      : schemaErrors(request.t, form.error, settingsMessages)
    if (errors.length > 0) return showSettings(reply.code(400), actorOf(request), { errors, values: request.body })
    return reply.redirect('/key-work-settings?done=saved', 303)
  })

  // K1-K3: a person's dedicated officer
  async function showDedicatedOfficer(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewDedicatedOfficer(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/dedicated-officer.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      flagTexts: flagTexts(request.t, view.flags),
      // Eligible officers first; the others stay listed with the reason they cannot take the person.
      officers: view.officers
        .map((officer) => ({
          ...officer,
          refusalText: officer.refusal ? request.t(officer.refusal.messageKey, officer.refusal.values) : null,
        }))
        .sort((a, b) => Number(a.refusal !== null) - Number(b.refusal !== null)),
      deallocationReasons,
      canAllocate: hasPermission(actor.role, 'keywork.allocate'),
      canRaiseChangeRequest: hasPermission(actor.role, 'keywork.raise-change-request'),
      tabs: request.personTabs(view.person.prisonNumber, 'dedicated-officer'),
      subPageTitle: request.t('keywork.person.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }

  app.get(
    '/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showDedicatedOfficer(request, reply, prisonNumber)
    },
  )

  app.get(
    '/api/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request) => {
      const { prisonNumber } = request.params
      return keywork.viewDedicatedOfficer(actorOf(request), prisonNumber)
    },
  )

  app.post(
    '/people/:prisonNumber/dedicated-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = AllocateForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.allocate(actorOf(request), prisonNumber, form.data.staffUserId)
        : { field: 'staffUserId', messageKey: 'keywork.allocate.error.choose', values: {} }
      if (refusal)
        return showDedicatedOfficer(request, reply.code(400), prisonNumber, {
          errors: fieldErrors(request.t, [refusal]),
          values: request.body,
        })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=allocated`, 303)
    },
  )

  app.post(
    '/people/:prisonNumber/dedicated-officer/end',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = DeallocateForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.deallocate(actorOf(request), prisonNumber, form.data.reason)
        : { field: 'reason', messageKey: 'keywork.deallocate.error.reason', values: {} }
      if (refusal)
        return showDedicatedOfficer(request, reply.code(400), prisonNumber, {
          errors: fieldErrors(request.t, [refusal]),
          values: request.body,
        })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=deallocated`, 303)
    },
  )

  // K1: a person with a high complexity of need, allocated by hand to a named specialist
  async function showSpecialistNeed(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewSpecialistNeed(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/specialist-need.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      tabs: request.personTabs(view.person.prisonNumber, 'dedicated-officer'),
      subPageTitle: request.t('keywork.specialist.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
    })
  }
  app.get(
    '/people/:prisonNumber/dedicated-officer/specialist',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showSpecialistNeed(request, reply, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/dedicated-officer/specialist',
    { schema: { params: PersonParams }, config: { permission: 'keywork.allocate' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = SpecialistForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.decideSpecialistNeed(actorOf(request), prisonNumber, {
            needsSpecialist: form.data.needsSpecialist === 'yes',
            reason: form.data.reason,
          })
        : null
      const errors = form.success
        ? fieldErrors(request.t, refusal ? [refusal] : [])
        : schemaErrors(request.t, form.error, specialistMessages)
      if (errors.length > 0)
        return showSpecialistNeed(request, reply.code(400), prisonNumber, { errors, values: request.body })
      return reply.redirect(`/people/${prisonNumber}/dedicated-officer?done=specialist`, 303)
    },
  )

  // K2: a person asks for a different officer
  async function showChangeOfficer(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewChangeOfficer(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/change-officer.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      tabs: request.personTabs(view.person.prisonNumber, 'change-officer'),
      subPageTitle: request.t('keywork.changeRequest.title'),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      notice: noticeOf(request),
    })
  }
  app.get(
    '/people/:prisonNumber/change-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.raise-change-request' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showChangeOfficer(request, reply, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/change-officer',
    { schema: { params: PersonParams }, config: { permission: 'keywork.raise-change-request' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = ChangeRequestForm.safeParse(request.body)
      const refusal = form.success
        ? await keywork.raiseChangeRequest(actorOf(request), prisonNumber, form.data.changeReason)
        : { field: 'changeReason', messageKey: 'keywork.changeRequest.error.reason', values: {} }
      if (refusal)
        return showChangeOfficer(request, reply.code(400), prisonNumber, {
          errors: fieldErrors(request.t, [{ ...refusal, field: 'changeReason' }]),
          values: request.body,
        })
      return reply.redirect(`/people/${prisonNumber}/change-officer?done=change-requested`, 303)
    },
  )

  async function showChangeRequests(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: unknown; errorId?: string } = {},
  ) {
    const view = await keywork.listChangeRequests(actorOf(request))
    return reply.header('cache-control', 'no-store').page('keywork/views/change-requests.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      errorId: extra.errorId ?? null,
      notice: noticeOf(request),
    })
  }
  app.get(
    '/officer-change-requests',
    { config: { permission: 'keywork.review-change-request' } },
    async (request, reply) => showChangeRequests(request, reply),
  )
  app.get(
    '/api/officer-change-requests',
    { config: { permission: 'keywork.review-change-request' } },
    async (request) => keywork.listChangeRequests(actorOf(request)),
  )
  app.post(
    '/officer-change-requests/:id',
    { schema: { params: IdParams }, config: { permission: 'keywork.review-change-request' } },
    async (request, reply) => {
      const { id } = request.params
      const form = DecisionForm.safeParse(request.body)
      if (!form.success)
        return showChangeRequests(request, reply.code(400), {
          errors: schemaErrors(request.t, form.error, {
            outcome: { field: `outcome-${id}`, messageKey: 'keywork.changeRequests.error.outcome', values: {} },
            outcomeReason: {
              field: `outcomeReason-${id}`,
              messageKey: 'keywork.changeRequests.error.outcomeReason',
              values: {},
            },
          }),
          values: request.body,
          errorId: id,
        })
      await keywork.decideChangeRequest(actorOf(request), id, form.data.outcome, form.data.outcomeReason)
      return reply.redirect('/officer-change-requests?done=decided', 303)
    },
  )

  // K1: allocating a wing at once
  app.get('/dedicated-officers', { config: { permission: 'keywork.allocate' } }, async (request, reply) => {
    const view = await keywork.viewWingAllocation(actorOf(request))
    const { done, count } = z
      .object({
        done: z.string().optional().catch(undefined),
        count: z.coerce.number().int().min(0).max(10_000).optional().catch(undefined),
      })
      .parse(request.query)
    return reply.page('keywork/views/wing-allocation.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      officers: view.officers.map((officer) => ({
        ...officer,
        refusalText: officer.refusal ? request.t(officer.refusal.messageKey, officer.refusal.values) : null,
      })),
      accepted: done === 'accepted' && count !== undefined ? count : null,
      changed: done === 'changed',
    })
  })
  app.post('/dedicated-officers', { config: { permission: 'keywork.allocate' } }, async (request, reply) => {
    const { wing, plan } = WingForm.parse(request.body)
    const count = await keywork.acceptWingRecommendation(actorOf(request), wing, plan)
    if (count === null) return reply.redirect('/dedicated-officers?done=changed', 303)
    return reply.redirect(`/dedicated-officers?done=accepted&count=${count}`, 303)
  })

  // K4: key work sessions, progress meetings and check-ins
  async function showKeyWork(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown; form?: 'session' | 'meeting' } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewKeyWork(actor, prisonNumber)
    return reply.header('cache-control', 'no-store').page('keywork/views/key-work.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      flagTexts: flagTexts(request.t, view.flags),
      scales: checkInScales,
      attendeeRows,
      canRecordSession: hasPermission(actor.role, 'keywork.record-session'),
      canRecordMeeting: hasPermission(actor.role, 'keywork.record-meeting'),
      tabs: request.personTabs(view.person.prisonNumber, 'key-work'),
      subPageTitle: request.t('keywork.keyWork.title'),
      errors: extra.errors ?? [],
      sessionValues: extra.form === 'session' ? extra.values : {},
      meetingValues: extra.form === 'meeting' ? extra.values : {},
      // A new form starts on today; one sent back keeps what was typed, even an empty date.
      sessionDate:
        extra.form === 'session'
          ? dateInputParts(bodyOf(extra.values), 'heldOn', null)
          : dateInputParts({}, '', view.today),
      meetingDate:
        extra.form === 'meeting'
          ? dateInputParts(bodyOf(extra.values), 'meetingHeldOn', null)
          : dateInputParts({}, '', view.today),
      meetingOpen: extra.form === 'meeting' || !hasPermission(actor.role, 'keywork.record-session'),
      notice: noticeOf(request),
    })
  }
  app.get(
    '/people/:prisonNumber/key-work',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      return showKeyWork(request, reply, prisonNumber)
    },
  )
  app.post(
    '/people/:prisonNumber/key-work/sessions',
    { schema: { params: PersonParams }, config: { permission: 'keywork.record-session' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = SessionForm.safeParse(request.body)
      const heldOn = dateFromInput(bodyOf(request.body), 'heldOn')
      const dateErrors =
        heldOn === null || heldOn === INVALID_DATE
          ? fieldErrors(request.t, [{ field: 'heldOn', messageKey: 'keywork.session.error.heldOn' }])
          : []
      const errors =
        form.success && typeof heldOn === 'string'
          ? fieldErrors(request.t, [
              await keywork.recordSession(actorOf(request), prisonNumber, {
                heldOn,
                minutes: form.data.minutes,
                checkIn: form.data,
              }),
            ])
          : [
              ...dateErrors,
              ...(form.success
                ? []
                : schemaErrors(request.t, form.error, {
                    minutes: { field: 'minutes', messageKey: 'keywork.session.error.minutes', values: {} },
                    ...checkInMessages(request.t),
                  })),
            ]
      if (errors.length > 0)
        return showKeyWork(request, reply.code(400), prisonNumber, {
          errors: dateInputErrorHrefs(errors, 'heldOn'),
          values: request.body,
          form: 'session',
        })
      return reply.redirect(`/people/${prisonNumber}/key-work?done=session`, 303)
    },
  )
  app.post(
    '/people/:prisonNumber/key-work/meetings',
    { schema: { params: PersonParams }, config: { permission: 'keywork.record-meeting' } },
    async (request, reply) => {
      const { prisonNumber } = request.params
      const form = MeetingForm.safeParse(request.body)
      const heldOn = dateFromInput(bodyOf(request.body), 'meetingHeldOn')
      const prefixed = (messages: Record<string, Refusal>) =>
        Object.fromEntries(
          Object.entries(messages).map(([field, refusal]) => [field, { ...refusal, field: `meeting-${field}` }]),
        )
      let errors: FieldError[]
      if (!form.success || typeof heldOn !== 'string')
        errors = [
          ...(typeof heldOn === 'string'
            ? []
            : fieldErrors(request.t, [{ field: 'meetingHeldOn', messageKey: 'keywork.meeting.error.heldOn' }])),
          ...(form.success ? [] : schemaErrors(request.t, form.error, prefixed(checkInMessages(request.t)))),
        ]
      else {
        const data = form.data as Record<string, string> & z.infer<typeof MeetingForm>
        const attendees = attendeeRows
          .map((n) => ({
            name: data[`name${n}`] ?? '',
            organisation: data[`organisation${n}`] ?? '',
            role: data[`role${n}`] ?? '',
          }))
          .filter((row) => row.name || row.organisation || row.role)
        if (attendees.length === 0 || attendees.some((row) => !row.name || !row.organisation || !row.role))
          errors = fieldErrors(request.t, [
            { field: 'name1', messageKey: 'keywork.meeting.error.attendees', values: {} },
          ])
        else {
          const refusal = await keywork.recordMeeting(actorOf(request), prisonNumber, {
            heldOn,
            attendees,
            checkIn: {
              mood: data.mood,
              sleep: data.sleep,
              familyContact: data.familyContact,
              worries: data.worries,
              notes: data.notes,
            },
          })
          errors = refusal ? fieldErrors(request.t, [refusal]) : []
        }
      }
      if (errors.length > 0)
        return showKeyWork(request, reply.code(400), prisonNumber, {
          errors: dateInputErrorHrefs(errors, 'meetingHeldOn'),
          values: request.body,
          form: 'meeting',
        })
      return reply.redirect(`/people/${prisonNumber}/key-work?done=meeting`, 303)
    },
  )

  app.get('/my-caseload', { config: { permission: 'keywork.record-session' } }, async (request, reply) => {
    const view = await keywork.myCaseload(actorOf(request))
    return reply.header('cache-control', 'no-store').page('keywork/views/my-caseload.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      people: view.people.map((person) => ({ ...person, flagTexts: flagTexts(request.t, person.flags) })),
    })
  })
  app.get('/api/my-caseload', { config: { permission: 'keywork.record-session' } }, async (request) =>
    keywork.myCaseload(actorOf(request)),
  )

  app.get('/wellbeing-flags', { config: { permission: 'keywork.view-flags' } }, async (request, reply) => {
    const view = await keywork.listWellbeingFlags(actorOf(request))
    return reply.header('cache-control', 'no-store').page('keywork/views/wellbeing-flags.njk', {
      ...view,
      ...labelled(view.policy, request.language),
      people: view.people.map((person) => ({ ...person, flagTexts: flagTexts(request.t, person.flags) })),
    })
  })

  app.get(
    '/dedicated-officers/statistics',
    { schema: { querystring: StatisticsQuery }, config: { permission: 'keywork.view-statistics' } },
    async (request, reply) => {
      const { days } = request.query
      const view = await keywork.statistics(actorOf(request), days)
      const progressMeetings = await keywork.progressMeetings(actorOf(request))
      return reply.page('keywork/views/statistics.njk', {
        ...view,
        ...labelled(view.policy, request.language),
        days,
        periods,
        progressMeetings,
        canViewKeyWork: hasPermission(actorOf(request).role, 'keywork.view'),
      })
    },
  )
}
