import { z } from 'zod'
import type { AreaRoutes } from '../../platform/area.ts'
import { callerOf } from '../../platform/api-callers.ts'
import {
  apiErrorResponses,
  ApiHeaders,
  ApiPersonParams,
  pagedSchema,
  PageQuery,
  prisonNumberField,
  apiCallConfig,
  apiPersonErrorResponses,
} from '../../platform/api-schemas.ts'
import type { PeopleService } from './service.ts'
import type { RollEntry } from './store.ts'

const SystemsPerson = z
  .object({
    prisonerNumber: prisonNumberField(),
    firstName: z.string().meta({ description: 'First name', example: 'JOHN' }),
    lastName: z.string().meta({ description: 'Last name', example: 'SMITH' }),
    dateOfBirth: z.string().meta({ description: 'Date of birth, YYYY-MM-DD', example: '1990-04-12' }),
    cellLocation: z
      .string()
      .nullable()
      .meta({ description: 'The cell, as the prison labels it, or null while waiting for one', example: 'A-1-014' }),
    wing: z
      .string()
      .nullable()
      .meta({ description: 'The wing’s code, or null while waiting for a cell', example: 'A' }),
    cohort: z.string().meta({ description: 'The cohort the prison places the person in', example: 'adult-male' }),
    receptionDate: z
      .string()
      .meta({ description: 'When they came into this prison, YYYY-MM-DD', example: '2026-09-01' }),
  })
  .meta({ id: 'Person', description: 'Someone on the prison’s roll; never their protected characteristics' })

/** Issue 15: the roll for the prison's other systems, under a bearer token (platform/api-callers.ts). */
export function registerPeopleApiRoutes(app: AreaRoutes, { people }: { people: PeopleService }) {
  app.get(
    '/api/people',
    {
      schema: {
        summary: 'The people on the prison’s roll',
        description: 'Everyone on the roll of the Caseload-Id prison, a page at a time, by last name.',
        tags: ['People'],
        headers: ApiHeaders,
        querystring: PageQuery,
        response: { 200: pagedSchema(SystemsPerson, 'PagedPeople'), ...apiErrorResponses },
      },
      config: apiCallConfig('PEOPLE', 'RO'),
    },
    async (request) => {
      const roll = await people.rollForSystems(callerOf(request), request.query)
      return { ...roll, content: roll.content.map(systemsPersonOf) }
    },
  )

  app.get(
    '/api/people/:prisonNumber',
    {
      schema: {
        summary: 'One person on the prison’s roll',
        description: 'The person with this prison number on the roll of the Caseload-Id prison; 404 for anyone else.',
        tags: ['People'],
        headers: ApiHeaders,
        params: ApiPersonParams,
        response: { 200: SystemsPerson, ...apiPersonErrorResponses },
      },
      config: apiCallConfig('PEOPLE', 'RO'),
    },
    async (request) => systemsPersonOf(await people.personForSystems(callerOf(request), request.params.prisonNumber)),
  )
}

/** A person as the API gives them: Prisoner Search's names for what it shares, and nothing protected. */
function systemsPersonOf(person: RollEntry): z.infer<typeof SystemsPerson> {
  return {
    prisonerNumber: person.prisonNumber,
    firstName: person.firstName,
    lastName: person.lastName,
    dateOfBirth: person.dateOfBirth,
    cellLocation: person.cellLabel,
    wing: person.wingCode,
    cohort: person.cohort,
    receptionDate: person.receptionOn,
  }
}
