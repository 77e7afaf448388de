import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { dateFromInput, dateInputErrorHrefs, dateInputParts, INVALID_DATE } from '../../../platform/date-input.ts'
import { fieldErrors, schemaErrors, type FieldError } from '../../../platform/forms.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import type { Translate } from '../../../platform/i18n.ts'
import { checkInScales, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { flagTexts, labelled, noticeOf, Whole, type KeyworkRoutesOptions } from './shared.ts'

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

const bodyOf = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}

/** K4: key work sessions, progress meetings and check-ins. */
export function registerKeyWorkRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  async function showKeyWork(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonNumber: string,
    extra: { errors?: FieldError[]; values?: unknown; form?: 'session' | 'meeting' } = {},
  ) {
    const actor = actorOf(request)
    const view = await keywork.viewKeyWork(actor, prisonNumber)
    return reply.page('keywork/views/key-work.njk', {
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
}
