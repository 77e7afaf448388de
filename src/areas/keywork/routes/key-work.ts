import { z } from 'zod'
import { DateInputField, dateInputParts, withDateInputs } from '../../../platform/date-input.ts'
import { formPageOf, registerFormPost } from '../../../platform/form-page.ts'
import { hasPermission } from '../../../platform/permissions.ts'
import { PersonParams } from '../../../platform/person-page.ts'
import type { Translate } from '../../../platform/i18n.ts'
import { checkInScales, type Refusal } from '../rules.ts'
import { type AreaRoutes, actorOf } from '../../../platform/area.ts'
import { flagTexts, noticeOf, personPageFrame, Whole, type KeyworkRoutesOptions } from './shared.ts'

const Scale = Whole(1, 5)
const CheckInFields = {
  mood: Scale,
  sleep: Scale,
  familyContact: Scale,
  worries: Scale,
  notes: z.string().trim().max(4000).default(''),
}
// The date first in each form, as on the page: its message heads the error summary.
const SessionForm = withDateInputs(
  ['heldOn'],
  z.object({ heldOn: DateInputField, minutes: Whole(1, 480), ...CheckInFields }),
)
const attendeeRows = [1, 2, 3, 4] as const
const MeetingForm = withDateInputs(
  ['meetingHeldOn'],
  z.object({
    meetingHeldOn: DateInputField,
    ...CheckInFields,
    ...Object.fromEntries(
      attendeeRows.flatMap((n) => [
        [`name${n}`, z.string().trim().max(100).default('')],
        [`organisation${n}`, z.string().trim().max(100).default('')],
        [`role${n}`, z.string().trim().max(100).default('')],
      ]),
    ),
  }),
)

type CheckIn = { [Field in keyof typeof CheckInFields]: z.infer<(typeof CheckInFields)[Field]> }

/** The check-in a session or a meeting records, from its form. */
const checkInOf = ({ mood, sleep, familyContact, worries, notes }: CheckIn): CheckIn => ({
  mood,
  sleep,
  familyContact,
  worries,
  notes,
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

/** The meeting's check-in fields share the page with the session's: theirs are named `meeting-<field>`. */
function meetingMessages(t: Translate): Record<string, Refusal> {
  return Object.fromEntries(
    Object.entries(checkInMessages(t)).map(([field, refusal]) => [field, { ...refusal, field: `meeting-${field}` }]),
  )
}

/** The meeting's attendees: the rows with anything in them. */
function attendeesOf(form: Readonly<Record<string, unknown>>) {
  const field = (name: string) => {
    const value = form[name]
    return typeof value === 'string' ? value : ''
  }
  return attendeeRows
    .map((n) => ({ name: field(`name${n}`), organisation: field(`organisation${n}`), role: field(`role${n}`) }))
    .filter((row) => row.name || row.organisation || row.role)
}

const bodyOf = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}

/** K4: key work sessions, progress meetings and check-ins. */
export function registerKeyWorkRoutes(app: AreaRoutes, { keywork }: KeyworkRoutesOptions) {
  /** The key work page, with the form that was sent back, if one was, showing what was typed. */
  const keyWorkPage = (form: 'session' | 'meeting' | null) =>
    formPageOf(
      'keywork/views/key-work.njk',
      async (request, { prisonNumber }: z.infer<typeof PersonParams>, sentBack) => {
        const actor = actorOf(request)
        const view = await keywork.viewKeyWork(actor, prisonNumber)
        const sent = sentBack ? form : null
        return {
          ...view,
          ...personPageFrame(request, view, 'key-work', 'keywork.keyWork.title'),
          flagTexts: flagTexts(request.t, view.flags),
          scales: checkInScales,
          attendeeRows,
          canRecordSession: hasPermission(actor.role, 'keywork.record-session'),
          canRecordMeeting: hasPermission(actor.role, 'keywork.record-meeting'),
          sessionValues: sent === 'session' ? sentBack?.values : {},
          meetingValues: sent === 'meeting' ? sentBack?.values : {},
          // A new form starts on today; one sent back keeps what was typed, even an empty date.
          sessionDate:
            sent === 'session'
              ? dateInputParts(bodyOf(sentBack?.values), 'heldOn', null)
              : dateInputParts({}, '', view.today),
          meetingDate:
            sent === 'meeting'
              ? dateInputParts(bodyOf(sentBack?.values), 'meetingHeldOn', null)
              : dateInputParts({}, '', view.today),
          meetingOpen: sent === 'meeting' || !hasPermission(actor.role, 'keywork.record-session'),
          notice: noticeOf(request),
        }
      },
    )
  const showKeyWork = keyWorkPage(null)
  app.get(
    '/people/:prisonNumber/key-work',
    { schema: { params: PersonParams }, config: { permission: 'keywork.view' } },
    async (request, reply) => showKeyWork(request, reply, request.params),
  )

  registerFormPost(app, {
    path: '/people/:prisonNumber/key-work/sessions',
    params: PersonParams,
    permission: 'keywork.record-session',
    show: keyWorkPage('session'),
    form: SessionForm,
    messages: (request) => ({
      heldOn: 'keywork.session.error.heldOn',
      minutes: { field: 'minutes', messageKey: 'keywork.session.error.minutes', values: {} },
      ...checkInMessages(request.t),
    }),
    dateInputs: ['heldOn'],
    save: (actor, { prisonNumber }, form) =>
      keywork.recordSession(actor, prisonNumber, {
        heldOn: form.heldOn,
        minutes: form.minutes,
        checkIn: checkInOf(form),
      }),
    next: ({ prisonNumber }) => `/people/${prisonNumber}/key-work`,
    done: 'session',
  })

  registerFormPost(app, {
    path: '/people/:prisonNumber/key-work/meetings',
    params: PersonParams,
    permission: 'keywork.record-meeting',
    show: keyWorkPage('meeting'),
    form: MeetingForm,
    messages: (request) => ({ meetingHeldOn: 'keywork.meeting.error.heldOn', ...meetingMessages(request.t) }),
    dateInputs: ['meetingHeldOn'],
    save: async (actor, { prisonNumber }, form) => {
      const attendees = attendeesOf(form)
      // A meeting is more than one person's record: every row named in full, and at least one.
      if (attendees.length === 0 || attendees.some((row) => !row.name || !row.organisation || !row.role))
        return { field: 'name1', messageKey: 'keywork.meeting.error.attendees', values: {} }
      return keywork.recordMeeting(actor, prisonNumber, {
        heldOn: form.meetingHeldOn,
        attendees,
        checkIn: checkInOf(form),
      })
    },
    next: ({ prisonNumber }) => `/people/${prisonNumber}/key-work`,
    done: 'meeting',
  })
}
