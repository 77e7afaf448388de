import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf } from '../../platform/api-callers.ts'
import {
  ApiHeaders,
  ApiPersonParams,
  prisonNumberField,
  apiCallConfig,
  apiPersonErrorResponses,
} from '../../platform/api-schemas.ts'
import { stageReasonKeys } from '../../db/schema.ts'
import { accountableRoles, journeyStages, responsibilityGapKinds } from './rules.ts'
import type { JourneyService } from './service.ts'

const JourneyStage = z
  .object({
    stage: z.enum(journeyStages).meta({ description: 'The stage of the custody journey', example: 'first-night' }),
    prisonCode: z.string().meta({ description: 'The prison the stage was at', example: 'NHI' }),
    startedAt: z.string().meta({ description: 'When it began, ISO 8601', example: '2026-11-24T18:05:00.000Z' }),
    endedAt: z
      .string()
      .nullable()
      .meta({ description: 'When it ended, ISO 8601, or null for the stage they are at now', example: null }),
    reasonCode: z.enum(stageReasonKeys).nullable().meta({
      description: 'Why the stage began, where a listed reason was chosen; what staff typed is not shared',
      example: null,
    }),
  })
  .meta({ id: 'JourneyStage', description: 'One stage of a person’s custody journey' })

const Responsibility = z
  .object({
    status: z.enum(['RESPONSIBLE', 'GAP', 'RELEASED']).meta({
      description: 'Someone answers for the person now; nobody does (a gap safer custody must close); or released',
      example: 'RESPONSIBLE',
    }),
    role: z.enum(accountableRoles).nullable().meta({
      description: 'Whose part it is at this stage: on the wing, the dedicated officer',
      example: 'dedicated-officer',
    }),
    responsibleName: z
      .string()
      .nullable()
      .meta({ description: 'The member of staff who answers for them now, or null', example: 'Jo Smith' }),
    gap: z.enum(responsibilityGapKinds).nullable().meta({
      description: 'Why nobody answers for them, where nobody does',
      example: null,
    }),
  })
  .meta({ id: 'Responsibility', description: 'Who answers for the person’s safety now' })

const Journey = z
  .object({
    prisonerNumber: prisonNumberField(),
    responsibility: Responsibility,
    stages: z.array(JourneyStage).meta({ description: 'Their stages at this prison and before, newest first' }),
  })
  .meta({ id: 'Journey', description: 'Where a person is in their custody journey, and who answers for them now' })

/** Issue 15: "people and their responsibility now", for the prison's other systems. */
export function registerJourneyApiRoutes(app: AreaRoutes, { journey }: { journey: JourneyService }) {
  app.get(
    '/api/people/:prisonNumber/journey',
    {
      schema: {
        summary: 'A person’s custody journey and who answers for them now',
        description:
          'The stage of the custody journey the person is at, every stage before it, and the member of staff ' +
          'responsible for them now (or the gap, where nobody is). Only for someone on the Caseload-Id prison’s roll.',
        tags: ['People'],
        headers: ApiHeaders,
        params: ApiPersonParams,
        response: { 200: Journey, ...apiPersonErrorResponses },
      },
      config: apiCallConfig('PEOPLE', 'RO'),
    },
    async (request) => {
      const found = await journey.journeyForSystems(callerOf(request), request.params.prisonNumber)
      const now = found.responsibility
      return {
        prisonerNumber: found.person.prisonNumber,
        responsibility: {
          status: ({ responsible: 'RESPONSIBLE', gap: 'GAP', released: 'RELEASED' } as const)[now.kind],
          role: now.kind === 'responsible' ? now.role : null,
          responsibleName: now.kind === 'responsible' ? now.person.displayName : null,
          gap: now.kind === 'gap' ? now.gap : null,
        },
        stages: found.stages.map((stage) => ({
          stage: stage.stage,
          prisonCode: stage.establishmentCode,
          startedAt: new Date(stage.startedAt).toISOString(),
          endedAt: stage.endedAt ? new Date(stage.endedAt).toISOString() : null,
          reasonCode: stage.reasonKey,
        })),
      }
    },
  )
}
