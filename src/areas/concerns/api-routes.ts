import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { apiRoleName, callerOf } from '../../platform/api-callers.ts'
import { apiErrorResponses, ApiHeaders, pagedSchema, pageOf, PageQuery } from '../../platform/api-schemas.ts'
import { recordedOutcomes, safeNowAnswers, urgencies } from './rules.ts'
import type { ConcernsService } from './service.ts'

const SystemsConcern = z
  .object({
    id: z
      .string()
      .meta({ description: 'The concern’s id in Waymark', example: '5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b' }),
    prisonNumber: z.string().meta({ description: 'Who it is about: the NOMIS prison number', example: 'A1234BC' }),
    raisedAt: z.string().meta({ description: 'When it was raised, ISO 8601', example: '2026-12-01T08:40:00.000Z' }),
    urgency: z.enum(urgencies).meta({ description: 'How soon the raiser said it needed seeing to', example: 'today' }),
    safeNow: z
      .enum(safeNowAnswers)
      .meta({ description: 'Whether the raiser thought the person safe right now', example: 'not-sure' }),
    isSensitive: z
      .boolean()
      .meta({ description: 'Its detail is for safer custody and healthcare only', example: false }),
    indicatesSelfHarmRisk: z
      .boolean()
      .meta({ description: 'The raiser saw a risk of suicide or self-harm: the ACCT clock runs', example: true }),
    status: z
      .enum(['sent', 'received', 'acted-on'])
      .meta({ description: 'Sent, received by someone responsible, or acted on', example: 'received' }),
    escalated: z
      .boolean()
      .meta({ description: 'Nobody acted on it in time, so it went to the safer custody leads', example: false }),
    actedAt: z
      .string()
      .nullable()
      .meta({ description: 'When it was acted on, ISO 8601, or null while open', example: null }),
    outcome: z
      .enum([...recordedOutcomes, 'care-plan-opened'])
      .nullable()
      .meta({ description: 'What was done, or null while open', example: null }),
    carePlanId: z
      .string()
      .nullable()
      .meta({ description: 'The care plan (ACCT) opened from it, if one was', example: null }),
    whatHappened: z.string().nullable().meta({
      description:
        'What was seen or heard; null for a sensitive concern unless the client holds ROLE_WAYMARK__SENSITIVE_CONCERNS__RO',
      example: 'Gave away his radio and said he would not need it',
    }),
    actionNote: z.string().nullable().meta({
      description: 'What was done and why, once acted on; null where whatHappened is, or while open',
      example: null,
    }),
  })
  .meta({ id: 'Concern', description: 'A concern about someone’s safety, under the pages’ need to know' })

const ConcernsQuery = PageQuery.extend({
  state: z
    .enum(['open', 'acted'])
    .default('open')
    .meta({ description: 'Open (not yet acted on), or acted on', example: 'open' }),
})

/** Issue 15: concerns for the prison's other systems, under the same need to know as the pages. */
export function registerConcernsApiRoutes(app: AreaRoutes, { concerns }: { concerns: ConcernsService }) {
  app.get(
    '/api/concerns',
    {
      schema: {
        summary: 'Concerns at the prison',
        description:
          'The concerns about people at the Caseload-Id prison, newest raised first. A sensitive concern is listed ' +
          'with its facts, its detail only for a client holding ROLE_WAYMARK__SENSITIVE_CONCERNS__RO.',
        tags: ['Concerns'],
        headers: ApiHeaders,
        querystring: ConcernsQuery,
        response: { 200: pagedSchema(SystemsConcern, 'PagedConcerns'), ...apiErrorResponses },
      },
      config: { permission: 'api', apiRole: apiRoleName('CONCERNS', 'RO') },
    },
    async (request) => {
      const { total, concerns: page } = await concerns.concernsForSystems(callerOf(request), request.query)
      return pageOf(page, total, request.query)
    },
  )
}
