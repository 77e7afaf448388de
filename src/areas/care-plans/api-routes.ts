import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf, staffMemberOf } from '../../platform/api-callers.ts'
import {
  ApiChangeHeaders,
  apiErrorResponses,
  ApiErrorSchema,
  ApiHeaders,
  ApiPersonParams,
  pagedSchema,
  pageOfList,
  PageQuery,
  prisonNumberField,
  apiCallConfig,
  apiPersonErrorResponses,
} from '../../platform/api-schemas.ts'
import { Conflict, HttpProblem } from '../../platform/errors.ts'
import { isRefusal, type Refusal } from '../../platform/forms.ts'
import { riskLevels } from './rules.ts'
import { SEEN_MAX } from './routes/observations.ts'
import type { CarePlanService } from './service.ts'

const AlertCode = z
  .object({
    alertTypeCode: z.literal('H').meta({ description: 'The alert type: H, self harm', example: 'H' }),
    alertTypeDescription: z.string().meta({ description: 'The alert type’s name', example: 'Self harm' }),
    code: z
      .enum(['HA', 'HA1', 'HA2'])
      .meta({ description: 'HA: ACCT open; HA1: ACCT post closure; HA2: ACCT closed', example: 'HA' }),
    description: z.string().meta({ description: 'The code’s name', example: 'ACCT open' }),
  })
  .meta({ id: 'AlertCodeSummary', description: 'What kind of alert, as NOMIS codes it' })

const AcctAlert = z
  .object({
    alertUuid: z.string().meta({
      description: 'The alert’s id: the same for the life of the care plan stage it stands for',
      example: '0f1e2d3c-4b5a-8978-9a6b-5c4d3e2f1a0b',
    }),
    prisonNumber: prisonNumberField(),
    alertCode: AlertCode,
    description: z.string().meta({ description: 'What the alert says', example: 'ACCT open' }),
    activeFrom: z.string().meta({ description: 'The day it took effect, YYYY-MM-DD (UK time)', example: '2026-11-28' }),
    activeTo: z
      .string()
      .nullable()
      .meta({ description: 'The day it ended, or null while it is in force', example: null }),
    isActive: z.boolean().meta({ description: 'Whether it is in force now', example: true }),
    createdAt: z.string().meta({ description: 'When it was raised, ISO 8601', example: '2026-11-28T14:05:00.000Z' }),
    createdBy: z.string().meta({ description: 'The system that raised it', example: 'WAYMARK' }),
    prisonCodeWhenCreated: z.string().meta({ description: 'The prison holding the care plan', example: 'NHI' }),
  })
  .meta({ id: 'AcctAlert', description: 'An ACCT alert, in the HMPPS alerts API’s shape; never the plan’s content' })

const readCarePlans = apiCallConfig('CARE_PLANS', 'RO')
// A token is the proof of who sent a change: there is no cookie, so nothing for a forged form to ride on.
const writeCarePlans = apiCallConfig('CARE_PLANS', 'RW')

const stages = [
  'awaiting-immediate-action',
  'awaiting-assessment',
  'awaiting-first-review',
  'open',
  'post-closure',
  'closed',
] as const

const Supervision = z
  .object({
    level: z.enum(['constant', 'intervals']).meta({
      description: 'Constant (an officer with them all the time) or observations at intervals',
      example: 'intervals',
    }),
    observationsPerDay: z.number().int().meta({ description: 'Observations each day; 0 when constant', example: 4 }),
    observationsPerNight: z
      .number()
      .int()
      .meta({ description: 'Observations each night; 0 when constant', example: 2 }),
    conversationsPerDay: z
      .number()
      .int()
      .meta({ description: 'Of those, conversations each day; 0 when constant', example: 1 }),
    conversationsPerNight: z
      .number()
      .int()
      .meta({ description: 'Of those, conversations each night; 0 when constant', example: 0 }),
  })
  .meta({ id: 'CarePlanSupervision', description: 'How closely the person is watched now' })

const CarePlanSummary = z
  .object({
    id: z
      .string()
      .meta({ description: 'The care plan’s id in Waymark', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
    prisonNumber: prisonNumberField('Whose plan it is: the NOMIS prison number'),
    stage: z.enum(stages).meta({
      description:
        'Where the plan is: awaiting its immediate action plan, its assessment interview or its first case ' +
        'review; open; closed and awaiting its post-closure review; or closed',
      example: 'open',
    }),
    openedAt: z.string().meta({ description: 'When it was opened, ISO 8601', example: '2026-11-28T14:05:00.000Z' }),
    closedAt: z
      .string()
      .nullable()
      .meta({ description: 'When it was closed, ISO 8601, or null while open', example: null }),
    riskLevel: z.enum(riskLevels).nullable().meta({
      description: 'The level of risk the case review set, or null before the first case review',
      example: 'raised',
    }),
    supervision: Supervision.nullable().meta({
      description: 'How closely the person is watched now; null before the immediate action plan and once closed',
      example: {
        level: 'intervals',
        observationsPerDay: 4,
        observationsPerNight: 2,
        conversationsPerDay: 1,
        conversationsPerNight: 0,
      },
    }),
    nextCaseReviewDueAt: z.string().nullable().meta({
      description: 'When the next case review is due (the post-closure review once closed), ISO 8601; null when done',
      example: '2026-12-02T10:00:00.000Z',
    }),
    lastObservedAt: z.string().nullable().meta({
      description: 'When the person was last observed, ISO 8601, or null before anyone has been',
      example: '2026-11-28T15:40:00.000Z',
    }),
  })
  .meta({
    id: 'CarePlanSummary',
    description: 'A care plan (ACCT) in facts: never why it was opened, its triggers, its care map or any notes',
  })

const CarePlansQuery = PageQuery.extend({
  state: z
    .enum(['open', 'closed'])
    .default('open')
    .meta({ description: 'Open, or closed (awaiting the post-closure review or done)', example: 'open' }),
})

const CarePlanParams = z.object({
  id: z.string().max(40).meta({ description: 'The care plan’s id', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
})

const ObservationParams = CarePlanParams.extend({
  observationId: z
    .string()
    .max(40)
    .meta({ description: 'The observation’s id', example: '3f2b8c1d-4e5a-4b6c-9d7e-8f9a0b1c2d3e' }),
})

const ObservationBody = z
  .object({
    observedAt: z.iso.datetime({ offset: true }).meta({
      description: 'When the person was seen, ISO 8601 with its offset: not in the future, nor before the plan opened',
      example: '2026-11-28T15:40:00Z',
    }),
    seen: z
      .string()
      .trim()
      .min(1)
      .max(SEEN_MAX)
      .meta({
        description: `What was seen or heard, as the officer would write it on the page (at most ${SEEN_MAX} characters)`,
        example: 'Sitting on the bed reading; said they had slept',
      }),
    wasConversation: z.boolean().meta({ description: 'Whether the officer talked with them', example: true }),
  })
  .meta({ id: 'NewObservation', description: 'An observation, formal or informal, from a handheld device' })

const RecordedObservation = z
  .object({
    id: z.string().meta({ description: 'The observation’s id', example: '3f2b8c1d-4e5a-4b6c-9d7e-8f9a0b1c2d3e' }),
    carePlanId: z
      .string()
      .meta({ description: 'The care plan it is recorded on', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }),
    prisonNumber: prisonNumberField('Whose plan it is: the NOMIS prison number'),
    observedAt: z
      .string()
      .meta({ description: 'When the person was seen, ISO 8601', example: '2026-11-28T15:40:00.000Z' }),
    wasConversation: z.boolean().meta({ description: 'Whether the officer talked with them', example: true }),
    recordedAt: z
      .string()
      .meta({ description: 'When Waymark stored it, ISO 8601', example: '2026-11-28T15:42:10.000Z' }),
    recordedBy: z.string().meta({
      description: 'The Waymark username of the member of staff it is recorded as theirs',
      example: 'jsmith_gen',
    }),
  })
  .meta({
    id: 'RecordedObservation',
    description: 'An observation as Waymark stored it; what was seen is not sent back',
  })

/**
 * What the page would show beside a field, as HMPPS's error shape: a closed plan takes no observation (409,
 * as the record changed from under the device); anything else is the field the client must change (400).
 */
function problemOf(request: FastifyRequest, refusal: Refusal): HttpProblem {
  const message = request.tIn('en')(refusal.messageKey, refusal.values)
  if (refusal.field === 'step') return new Conflict(`The care plan takes no observation now: ${message}`)
  return new HttpProblem(400, `${refusal.field}: ${message}`)
}

/**
 * Issue 15: the ACCT alert back to the prison's other systems, kept in step with each care plan; the plans'
 * facts; and observations from handheld devices, recorded as the officer's own.
 */
export function registerCarePlanApiRoutes(app: AreaRoutes, { carePlans }: { carePlans: CarePlanService }) {
  app.get(
    '/api/acct-alerts',
    {
      schema: {
        summary: 'The ACCT alerts in force',
        description: 'Everyone at the Caseload-Id prison with an ACCT alert in force (HA or HA1), by prison number.',
        tags: ['ACCT alerts'],
        headers: ApiHeaders,
        querystring: PageQuery,
        response: { 200: pagedSchema(AcctAlert, 'PagedAcctAlerts'), ...apiErrorResponses },
      },
      config: readCarePlans,
    },
    async (request) => pageOfList(await carePlans.activeAcctAlerts(callerOf(request)), request.query),
  )

  app.get(
    '/api/people/:prisonNumber/acct-alerts',
    {
      schema: {
        summary: 'A person’s ACCT alerts',
        description: 'Every ACCT alert the person’s care plans have raised, in force or not, oldest first.',
        tags: ['ACCT alerts'],
        headers: ApiHeaders,
        params: ApiPersonParams,
        response: {
          200: z.array(AcctAlert).meta({ description: 'The alerts, oldest first' }),
          ...apiPersonErrorResponses,
        },
      },
      config: readCarePlans,
    },
    async (request) => carePlans.acctAlertsOf(callerOf(request), request.params.prisonNumber),
  )

  app.get(
    '/api/care-plans',
    {
      schema: {
        summary: 'Care plans (ACCT) at the prison',
        description:
          'The care plans held at the Caseload-Id prison, open or closed, the most recently opened first: their ' +
          'stage, supervision, next case review and last observation. Facts only: nothing anyone wrote leaves.',
        tags: ['Care plans'],
        headers: ApiHeaders,
        querystring: CarePlansQuery,
        response: { 200: pagedSchema(CarePlanSummary, 'PagedCarePlans'), ...apiErrorResponses },
      },
      config: readCarePlans,
    },
    async (request) => carePlans.carePlansForSystems(callerOf(request), request.query),
  )

  app.get(
    '/api/care-plans/:id',
    {
      schema: {
        summary: 'A care plan (ACCT)',
        description:
          'One care plan held at the Caseload-Id prison, in facts. Its ETag header changes whenever what it ' +
          'says does (a step, its supervision, its next review) and with each observation recorded on it.',
        tags: ['Care plans'],
        headers: ApiHeaders,
        params: CarePlanParams,
        response: {
          200: CarePlanSummary,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'No such care plan at the Caseload-Id prison' }),
        },
      },
      config: readCarePlans,
    },
    async (request, reply) => {
      const { carePlan, entityTag } = await carePlans.carePlanForSystems(callerOf(request), request.params.id)
      return reply.header('etag', entityTag).send(carePlan)
    },
  )

  app.post(
    '/api/care-plans/:id/observations',
    {
      schema: {
        summary: 'Record an observation',
        description:
          'An observation from a handheld device, recorded as made by the member of staff the Username header ' +
          'names, as if on the observation page: refused (403) where their role could not record one there, and ' +
          'for a field the page would refuse (400, naming it). Answers the entry as stored, with its Location.',
        tags: ['Care plans'],
        headers: ApiChangeHeaders,
        params: CarePlanParams,
        body: ObservationBody,
        response: {
          201: RecordedObservation,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'No such care plan at the Caseload-Id prison' }),
          409: ApiErrorSchema.meta({ description: 'The care plan is closed: it takes no more observations' }),
        },
      },
      config: writeCarePlans,
    },
    async (request, reply) => {
      const { observedAt, seen, wasConversation } = request.body
      const recorded = await carePlans.recordObservationFromSystem(
        callerOf(request),
        staffMemberOf(request),
        request.params.id,
        { observedAt: new Date(observedAt), seen, wasConversation },
      )
      if (isRefusal(recorded)) throw problemOf(request, recorded)
      return reply
        .code(201)
        .header('location', `/api/care-plans/${recorded.carePlanId}/observations/${recorded.id}`)
        .send(recorded)
    },
  )

  app.get(
    '/api/care-plans/:id/observations/:observationId',
    {
      schema: {
        summary: 'An observation as recorded',
        description:
          'One observation on a care plan held at the Caseload-Id prison, where recording it pointed (Location): ' +
          'when, whether they talked and who recorded it; never what was seen.',
        tags: ['Care plans'],
        headers: ApiHeaders,
        params: ObservationParams,
        response: {
          200: RecordedObservation,
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'No such observation on a care plan at the Caseload-Id prison' }),
        },
      },
      config: readCarePlans,
    },
    async (request) =>
      carePlans.observationForSystems(callerOf(request), request.params.id, request.params.observationId),
  )
}
