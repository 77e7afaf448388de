import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf, staffMemberOf } from '../../platform/api-callers.ts'
import {
  ApiChangeHeaders,
  apiErrorResponses,
  ApiErrorSchema,
  ApiHeaders,
  pagedSchema,
  PageQuery,
  prisonNumberField,
  apiCallConfig,
  apiPersonErrorResponses,
} from '../../platform/api-schemas.ts'
import { BadRequest, Forbidden } from '../../platform/errors.ts'
import { isRefusal } from '../../platform/forms.ts'
import { hasPermission } from '../../platform/permissions.ts'
import { recordedOutcomes, safeNowAnswers, urgencies, WHAT_HAPPENED_MAX } from './rules.ts'
import type { ConcernsService } from './service.ts'

const SystemsConcern = z
  .object({
    id: z
      .string()
      .meta({ description: 'The concern’s id in Waymark', example: '5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b' }),
    prisonNumber: prisonNumberField('Who it is about: the NOMIS prison number'),
    raisedAt: z.string().meta({ description: 'When it was raised, ISO 8601', example: '2026-12-01T08:40:00.000Z' }),
    urgency: z.enum(urgencies).meta({ description: 'How soon the raiser said it needed seeing to', example: 'today' }),
    safeNow: z.enum(safeNowAnswers).nullable().meta({
      description: 'Whether the raiser thought the person safe right now; null where whatHappened is',
      example: 'not-sure',
    }),
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
      .meta({ description: 'What was done, or null while open or where whatHappened is null', example: null }),
    carePlanId: z.string().nullable().meta({
      description: 'The care plan (ACCT) opened from it, if one was; null where whatHappened is null',
      example: null,
    }),
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

const ConcernParams = z.object({
  id: z.string().meta({ description: 'The concern’s id in Waymark', example: '5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b' }),
})

const ConcernsQuery = PageQuery.extend({
  state: z
    .enum(['open', 'acted'])
    .default('open')
    .meta({ description: 'Open (not yet acted on), or acted on', example: 'open' }),
})

/** The raise-a-concern page's questions, as another system answers them for the member of staff who asked. */
const NewConcern = z
  .object({
    prisonNumber: z
      .string()
      .regex(/^[A-Za-z]\d{4}[A-Za-z]{2}$/)
      .meta({ description: 'Who it is about: the NOMIS prison number, at the Caseload-Id prison', example: 'A1234BC' }),
    whatHappened: z
      .string()
      .trim()
      .min(1)
      .max(WHAT_HAPPENED_MAX)
      .meta({
        description: `What was seen or heard, in the raiser’s words, up to ${WHAT_HAPPENED_MAX} characters`,
        example: 'Gave away his radio and said he would not need it',
      }),
    urgency: z.enum(urgencies).meta({ description: 'How soon someone needs to act', example: 'today' }),
    safeNow: z
      .enum(safeNowAnswers)
      .meta({ description: 'Whether the person is safe right now, as the raiser sees it', example: 'not-sure' }),
    selfHarmRisk: z.enum(['yes', 'no', 'not-sure']).meta({
      description:
        'Whether this suggests a risk of suicide or self-harm. As on the page, not sure is taken as a risk ' +
        '(indicatesSelfHarmRisk true) until someone who knows the person decides otherwise',
      example: 'not-sure',
    }),
    isSensitive: z
      .boolean()
      .default(false)
      .meta({ description: 'Its detail is for safer custody and healthcare only', example: false }),
    peerSupporterId: z.string().max(40).nullable().default(null).meta({
      description: 'The peer supporter it is raised on behalf of, if one, by their Waymark id',
      example: null,
    }),
  })
  .meta({ id: 'NewConcern', description: 'A concern to raise, with the answers the raise-a-concern page asks for' })

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
      config: apiCallConfig('CONCERNS', 'RO'),
    },
    async (request) => concerns.concernsForSystems(callerOf(request), request.query),
  )
  app.get(
    '/api/concerns/:id',
    {
      schema: {
        summary: 'One concern',
        description:
          'A concern about someone at the Caseload-Id prison, as the list gives it: a sensitive concern’s detail ' +
          'only for a client holding ROLE_WAYMARK__SENSITIVE_CONCERNS__RO. The address a raised concern’s ' +
          'Location names.',
        tags: ['Concerns'],
        headers: ApiHeaders,
        params: ConcernParams,
        response: {
          200: SystemsConcern,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'There is no concern with that id at this prison' }),
        },
      },
      config: apiCallConfig('CONCERNS', 'RO'),
    },
    async (request) => concerns.concernForSystems(callerOf(request), request.params.id),
  )
  app.post(
    '/api/concerns',
    {
      schema: {
        summary: 'Raise a concern',
        description:
          'Raises a concern about someone at the Caseload-Id prison for the member of staff the Username header ' +
          'names, exactly as the raise-a-concern page would: refused where their role could not raise one there, ' +
          'and sent at once to the person responsible and the safer custody leads on duty. Answers the concern ' +
          'as this client may read it, with its address in Location.',
        tags: ['Concerns'],
        headers: ApiChangeHeaders,
        body: NewConcern,
        response: {
          201: SystemsConcern,
          ...apiPersonErrorResponses,
          403: ApiErrorSchema.meta({
            description:
              'The client lacks the role or may not ask about that prison, or the Username is not a member of ' +
              'staff at the prison who may raise a concern',
          }),
        },
      },
      config: apiCallConfig('CONCERNS', 'RW'),
    },
    async (request, reply) => {
      const staffMember = staffMemberOf(request)
      // S1: held to their role, as the page's own permission holds them.
      if (!hasPermission(staffMember.role, 'concerns.raise'))
        throw new Forbidden('The member of staff the Username header names may not raise a concern')
      const { prisonNumber, selfHarmRisk, ...answers } = request.body
      const raised = await concerns.raiseConcernForSystems(callerOf(request), staffMember, prisonNumber, {
        ...answers,
        indicatesSelfHarmRisk: selfHarmRisk !== 'no',
      })
      if (isRefusal(raised)) throw new BadRequest(`${raised.field}: ${request.t(raised.messageKey, raised.values)}`)
      return reply.code(201).header('location', `/api/concerns/${raised.id}`).send(raised)
    },
  )
}
