import { z } from 'zod'
import type { FastifyRequest } from 'fastify'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf, staffMemberOf } from '../../platform/api-callers.ts'
import {
  apiChangeErrorResponses,
  apiErrorResponses,
  ApiChangeHeaders,
  ApiErrorSchema,
  ApiHeaders,
  ApiPersonParams,
  pagedSchema,
  PageQuery,
  requireIfMatch,
  prisonNumberField,
  apiCallConfig,
} from '../../platform/api-schemas.ts'
import { isIsoDate } from '../../platform/date-input.ts'
import { Conflict, HttpProblem } from '../../platform/errors.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { attendanceMessages } from './messages.ts'
import { attendanceOutcomes, type Refusal } from './rules.ts'
import type { AttendanceService } from './service.ts'

const IsoDateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isIsoDate, 'Not a real date')

const AttendanceLine = z
  .object({
    groupId: z
      .string()
      .meta({ description: 'The group the session is a meeting of', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
    sessionOn: z.string().meta({ description: 'The day of the session, YYYY-MM-DD', example: '2026-11-25' }),
    slot: z
      .string()
      .meta({ description: 'The period of the day: the day and AM, PM or ED (evening)', example: 'WED_AM' }),
    prisonNumber: prisonNumberField(),
    activityCode: z.string().meta({ description: 'The activity’s code at the prison', example: 'EDU-ENG-L1' }),
    activityName: z.string().meta({ description: 'The activity’s name', example: 'English level 1' }),
    groupCode: z.string().meta({ description: 'Which of the activity’s groups', example: 'a' }),
    location: z.string().meta({ description: 'Where the group meets', example: 'Education block, room 2' }),
    outcome: z
      .enum(attendanceOutcomes)
      .nullable()
      .meta({ description: 'What was recorded for the person, or null while nothing is', example: 'attended' }),
    reason: z
      .string()
      .nullable()
      .meta({ description: 'The reason recorded with the outcome, or null for none', example: null }),
    recordedAt: z.string().nullable().meta({
      description: 'When the outcome was last recorded, ISO 8601, or null',
      example: '2026-11-25T11:50:00.000Z',
    }),
    etag: z.string().nullable().meta({
      description: 'The record’s ETag, to send as If-Match to change it; null while nothing is recorded',
      example: '"mZ1xk0J3e8bQ2v7nLrT4aA"',
    }),
  })
  .meta({ id: 'AttendanceRecord', description: 'One person’s line on one session’s register' })

const DayQuery = PageQuery.extend({
  date: IsoDateText.optional().meta({
    description: 'The day, YYYY-MM-DD; today at the prison if left out',
    example: '2026-11-25',
  }),
})

const LineParams = ApiPersonParams.extend({
  groupId: z.uuid().meta({
    description: 'The group the session is a meeting of (groupId in GET /api/attendance)',
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  }),
  sessionOn: IsoDateText.meta({ description: 'The day of the session, YYYY-MM-DD', example: '2026-11-25' }),
  slot: z
    .string()
    .regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN)_(AM|PM|ED)$/)
    .meta({ description: 'The slot of the session: the day and AM, PM or ED', example: 'WED_AM' }),
})

const AttendanceChange = z
  .object({
    outcome: z.enum(attendanceOutcomes).meta({ description: 'What happened for the person', example: 'refused' }),
    reason: z.string().trim().max(500).default('').meta({
      description: 'Why: needed for refused, clash, cancelled and suspended; at most 500 characters',
      example: 'Said he had a legal visit',
    }),
  })
  .meta({ id: 'AttendanceChange', description: 'The outcome to record for the person at the session' })

const RecordHeaders = ApiChangeHeaders.extend({
  'if-match': z
    .string()
    .optional()
    .meta({
      description:
        'The ETag the record was read with: needed to change a recorded outcome (428 without, 409 if changed since); ' +
        'left out to record the first outcome',
      example: '"mZ1xk0J3e8bQ2v7nLrT4aA"',
    }),
})

const readAttendance = apiCallConfig('ATTENDANCE', 'RO')
const sessionAddress = '/api/sessions/:groupId/:sessionOn/:slot/attendance/:prisonNumber'

/**
 * Issue 15: the first outcome needs no If-Match, as there is nothing to overwrite; once one is recorded, a change
 * must name the ETag it read. So a client that thought it was first, and finds a page recorded meanwhile, is
 * told to read it (428) rather than overwriting it; If-Match where nothing is recorded is stale (409).
 */
function attendancePrecondition(request: FastifyRequest) {
  return (currentTag: string | null) => {
    if (currentTag) return requireIfMatch(request, currentTag)
    if (request.headers['if-match'])
      throw new Conflict('Nothing is recorded for the person at this session: leave If-Match out to record it')
  }
}

/** The register's refusal in the API's words: the field the client sent, and the person by prison number. */
function problemOf(refusals: readonly Refusal[], prisonNumber: string): HttpProblem {
  const english: Record<string, string> = attendanceMessages.en
  const described = refusals.map((refusal) => {
    const field = refusal.field.replace(/-.*$/, '')
    const message = (english[refusal.messageKey] ?? refusal.messageKey).replaceAll('{name}', prisonNumber)
    return `${field}: ${message}`
  })
  return new HttpProblem(400, described.join('; '))
}

/** Issue 15, R7: the day's registers for the prison's other systems, and one person's outcome recorded. */
export function registerAttendanceApiRoutes(app: AreaRoutes, { attendance }: { attendance: AttendanceService }) {
  app.get(
    '/api/attendance',
    {
      schema: {
        summary: 'Attendance at the prison on a day',
        description:
          'Every scheduled session at the Caseload-Id prison on the day, and each person on its register (those in ' +
          'the group that day, and anyone recorded there since moved) with the outcome recorded, or null. Morning ' +
          'first, then by activity and group; people by prison number.',
        tags: ['Attendance'],
        headers: ApiHeaders,
        querystring: DayQuery,
        response: { 200: pagedSchema(AttendanceLine, 'PagedAttendance'), ...apiErrorResponses },
      },
      config: readAttendance,
    },
    async (request) => attendance.attendanceForSystems(callerOf(request), request.query),
  )

  app.get(
    sessionAddress,
    {
      schema: {
        summary: 'A person’s attendance at a session',
        description:
          'The person’s line on the session’s register, with its ETag (also the ETag header) to send as If-Match ' +
          'when changing it. A session is a group’s meeting on a day, in a slot.',
        tags: ['Attendance'],
        headers: ApiHeaders,
        params: LineParams,
        response: {
          200: AttendanceLine,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({
            description: 'The group does not meet then at the Caseload-Id prison, or the person is not on its register',
          }),
        },
      },
      config: readAttendance,
    },
    async (request, reply) => {
      const { prisonNumber, ...address } = request.params
      const line = await attendance.attendanceLineForSystems(callerOf(request), address, prisonNumber)
      if (line.etag) reply.header('etag', line.etag)
      return line
    },
  )

  app.put(
    sessionAddress,
    {
      schema: {
        summary: 'Record a person’s attendance at a session',
        description:
          'Records the outcome, or changes it, as the session’s register page would, under the member of staff the ' +
          'Username header names (their role must let them take a register). The first outcome needs no If-Match; ' +
          'changing a recorded one needs the ETag it was read with. Answers with the record and its new ETag.',
        tags: ['Attendance'],
        headers: RecordHeaders,
        params: LineParams,
        body: AttendanceChange,
        response: { 200: AttendanceLine, ...apiChangeErrorResponses },
      },
      config: apiCallConfig('ATTENDANCE', 'RW'),
    },
    async (request, reply) => {
      const staffMember = staffMemberOf(request)
      if (!hasPermission(staffMember.role, 'attendance.record'))
        throw new HttpProblem(403, `${staffMember.username}’s role in Waymark may not take a register`)
      const { prisonNumber, ...address } = request.params
      const result = await attendance.recordAttendanceForSystems(
        staffMember,
        address,
        prisonNumber,
        request.body,
        attendancePrecondition(request),
      )
      if ('refusals' in result) throw problemOf(result.refusals, prisonNumber)
      if (result.entry.etag) reply.header('etag', result.entry.etag)
      return result.entry
    },
  )
}
