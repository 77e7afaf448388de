import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf } from '../../platform/api-callers.ts'
import { apiErrorResponses, ApiHeaders, apiCallConfig } from '../../platform/api-schemas.ts'
import { measureKeys } from './rules.ts'
import type { MeasuresService } from './service.ts'

const Figure = z
  .number()
  .nullable()
  .meta({ description: 'The figure, in the measure’s unit, or null where nothing was due to count', example: 82.5 })

const Measure = z
  .object({
    code: z.enum(measureKeys).meta({ description: 'Which measure', example: 'key-work' }),
    name: z.string().meta({
      description: 'The measure as the page heads it, with the period it counts over where it has one',
      example: 'Key work sessions held against due (last 28 days)',
    }),
    description: z.string().meta({
      description: 'How the figure is worked out',
      example: 'Key work sessions held on time, of those due, across the prison.',
    }),
    unit: z
      .enum(['percent', 'per-hundred', 'hours', 'days'])
      .meta({ description: 'How the figure reads: a share, a rate per 100 people, hours or days', example: 'percent' }),
    better: z
      .enum(['higher', 'lower'])
      .meta({ description: 'Which way is better: days to first contact is better lower', example: 'higher' }),
    value: Figure,
    target: z
      .number()
      .nullable()
      .meta({ description: 'The prison’s target for it, or null where its governors set none', example: 80 }),
    met: z
      .boolean()
      .nullable()
      .meta({ description: 'Whether the figure meets the target; null without either', example: true }),
    trend: z
      .array(
        z
          .object({
            month: z.string().meta({ description: 'The month, YYYY-MM', example: '2026-11' }),
            value: Figure,
          })
          .meta({ id: 'MeasureMonth', description: 'A month’s figure, as kept at the month’s end' }),
      )
      .meta({ description: 'The last 12 months, oldest first; this month’s figure as it stands' }),
  })
  .meta({ id: 'Measure', description: 'One measure of what works at the prison, against its target' })

const Measures = z
  .object({
    month: z.string().meta({ description: 'The month the figures stand for, YYYY-MM', example: '2026-12' }),
    workedOutAt: z.string().meta({
      description: 'When this month’s figures were last worked out, ISO 8601',
      example: '2026-12-01T06:00:00.000Z',
    }),
    measures: z.array(Measure).meta({ description: 'Every measure, in the order the page shows them' }),
  })
  .meta({ id: 'Measures', description: 'The prison’s measures of what works: figures only, no one’s personal data' })

/** Issue 15, M1: the measures of what works for the prison's other systems (a regional dashboard). */
export function registerMeasuresApiRoutes(app: AreaRoutes, { measures }: { measures: MeasuresService }) {
  app.get(
    '/api/measures',
    {
      schema: {
        summary: 'The prison’s measures of what works',
        description:
          'The Caseload-Id prison’s figures against the targets its governors set, as the measures page shows them: ' +
          'each with its unit, target, whether it is met and its 12-month trend. Worked out now if not yet this month.',
        tags: ['Measures'],
        headers: ApiHeaders,
        response: { 200: Measures, ...apiErrorResponses },
      },
      config: apiCallConfig('MEASURES', 'RO'),
    },
    async (request) => measures.measuresForSystems(callerOf(request)),
  )
}
