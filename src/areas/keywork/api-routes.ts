import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf } from '../../platform/api-callers.ts'
import {
  apiErrorResponses,
  ApiErrorSchema,
  ApiHeaders,
  ApiPersonParams,
  pagedSchema,
  PageQuery,
  prisonNumberField,
  apiCallConfig,
} from '../../platform/api-schemas.ts'
import type { KeyworkService } from './service.ts'

const DedicatedOfficer = z
  .object({
    username: z.string().meta({ description: 'Their Waymark username', example: 'jsmith_gen' }),
    displayName: z.string().meta({ description: 'Their name, as Waymark shows it', example: 'Jo Smith' }),
    caseloadSize: z
      .number()
      .int()
      .meta({ description: 'How many people at the Caseload-Id prison are allocated to them now', example: 6 }),
    capacity: z
      .number()
      .int()
      .nullable()
      .meta({
        description:
          'How many people they may hold: the prison’s default caseload, or their own limit. Null for someone ' +
          'who still has people but is no longer an officer or key worker there, so is given no more',
        example: 9,
      }),
  })
  .meta({
    id: 'DedicatedOfficer',
    description: 'An officer or key worker at the prison who holds a caseload (the prison names the role)',
  })

const dateOrNull = (description: string, example: string | null) =>
  z
    .string()
    .nullable()
    .meta({ description: `${description}, YYYY-MM-DD`, example })

/** What a caseload says of each person on it: dates only, never what was said at a session or meeting. */
const caseloadFields = {
  prisonNumber: prisonNumberField(),
  allocatedAt: z
    .string()
    .meta({ description: 'When they were allocated to this officer, ISO 8601', example: '2026-11-02T09:15:00.000Z' }),
  lastKeyWorkSessionOn: dateOrNull('The last key work session held with them, or null before the first', null),
  nextKeyWorkSessionDue: z.string().meta({
    description: 'When their next key work session is due (from the last, or from allocation), YYYY-MM-DD',
    example: '2026-12-16',
  }),
  lastProgressMeetingOn: dateOrNull('The last multi-agency progress meeting held for them, or null', '2026-10-20'),
  nextProgressMeetingDue: z.string().meta({
    description: 'When their next progress meeting is due, a quarter after the last (or after reception), YYYY-MM-DD',
    example: '2027-01-12',
  }),
}

const CaseloadPerson = z
  .object(caseloadFields)
  .meta({ id: 'CaseloadPerson', description: 'Someone on a dedicated officer’s caseload' })

const DedicatedOfficerCaseload = z
  .object({
    officer: DedicatedOfficer,
    people: z.array(CaseloadPerson).meta({ description: 'The people allocated to them now, by prison number' }),
  })
  .meta({ id: 'DedicatedOfficerCaseload', description: 'A dedicated officer and the people allocated to them' })

const DedicatedOfficerAllocation = z
  .object({ ...caseloadFields, officer: DedicatedOfficer })
  .meta({ id: 'DedicatedOfficerAllocation', description: 'A person’s dedicated officer now' })

const OfficerParams = z.object({
  username: z.string().min(1).max(100).meta({ description: 'The officer’s Waymark username', example: 'jsmith_gen' }),
})

const scope = 'DEDICATED_OFFICERS'

/** Issue 15: dedicated officers and their caseloads for the prison's other systems (platform/api-callers.ts). */
export function registerKeyworkApiRoutes(app: AreaRoutes, { keywork }: { keywork: KeyworkService }) {
  app.get(
    '/api/dedicated-officers',
    {
      schema: {
        summary: 'Dedicated officers at the prison',
        description:
          'The officers and key workers at the Caseload-Id prison who hold a caseload, by name, with how many ' +
          'people each has and may have.',
        tags: ['Dedicated officers'],
        headers: ApiHeaders,
        querystring: PageQuery,
        response: { 200: pagedSchema(DedicatedOfficer, 'PagedDedicatedOfficers'), ...apiErrorResponses },
      },
      config: apiCallConfig(scope, 'RO'),
    },
    async (request) => keywork.dedicatedOfficersForSystems(callerOf(request), request.query),
  )

  app.get(
    '/api/dedicated-officers/:username/caseload',
    {
      schema: {
        summary: 'A dedicated officer’s caseload',
        description:
          'The people at the Caseload-Id prison allocated to one dedicated officer, with when each was allocated ' +
          'and their last and next key work session and progress meeting.',
        tags: ['Dedicated officers'],
        headers: ApiHeaders,
        params: OfficerParams,
        response: {
          200: DedicatedOfficerCaseload,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'No dedicated officer of that username at the Caseload-Id prison' }),
        },
      },
      config: apiCallConfig(scope, 'RO'),
    },
    async (request) => keywork.caseloadForSystems(callerOf(request), request.params.username),
  )

  // Issue 15: this address was the dedicated officer tab's JSON for a signed-in session, which no page used;
  // the systems API owns /api, and the tab's page is the staff's way in.
  app.get(
    '/api/people/:prisonNumber/dedicated-officer',
    {
      schema: {
        summary: 'A person’s dedicated officer',
        description: 'The dedicated officer allocated now to someone at the Caseload-Id prison, and since when.',
        tags: ['Dedicated officers'],
        headers: ApiHeaders,
        params: ApiPersonParams,
        response: {
          200: DedicatedOfficerAllocation,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({
            description: 'No one with that prison number at the Caseload-Id prison, or no dedicated officer allocated',
          }),
        },
      },
      config: apiCallConfig(scope, 'RO'),
    },
    async (request) => keywork.dedicatedOfficerOfForSystems(callerOf(request), request.params.prisonNumber),
  )
}
