import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { apiRoleName, callerOf } from '../../platform/api-callers.ts'
import {
  apiErrorResponses,
  ApiErrorSchema,
  ApiHeaders,
  ApiPersonParams,
  pagedSchema,
  pageOf,
  PageQuery,
} from '../../platform/api-schemas.ts'
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
    prisonNumber: z.string().meta({ description: 'The NOMIS prison number', example: 'A1234BC' }),
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

const readCarePlans = { permission: 'api', apiRole: apiRoleName('CARE_PLANS', 'RO') } as const

/** Issue 15: the ACCT alert back to the prison's other systems, kept in step with each care plan. */
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
    async (request) => {
      const alerts = await carePlans.activeAcctAlerts(callerOf(request))
      const { page, size } = request.query
      return pageOf(alerts.slice(page * size, (page + 1) * size), alerts.length, request.query)
    },
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
          ...apiErrorResponses,
          404: ApiErrorSchema.meta({ description: 'No one with that prison number at the Caseload-Id prison' }),
        },
      },
      config: readCarePlans,
    },
    async (request) => carePlans.acctAlertsOf(callerOf(request), request.params.prisonNumber),
  )
}
