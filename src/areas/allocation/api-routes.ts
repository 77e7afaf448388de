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
import type { AllocationService } from './service.ts'

const TimetableSession = z
  .object({
    day: z.string().meta({ description: 'The day of the week it meets: MON to SUN', example: 'MON' }),
    slot: z.string().meta({
      description: 'The period of the week, as HMPPS names it: the day and AM, PM or ED (evening)',
      example: 'MON_AM',
    }),
    startsAt: z.string().nullable().meta({
      description: 'When the slot starts at the prison, HH:MM, or null if the prison has not timed it',
      example: '08:30',
    }),
    endsAt: z.string().nullable().meta({
      description: 'When the slot ends at the prison, HH:MM, or null if the prison has not timed it',
      example: '11:45',
    }),
    activityCode: z.string().meta({ description: 'The activity’s code at the prison', example: 'EDU-ENG-L1' }),
    activityName: z.string().meta({ description: 'The activity’s name', example: 'English level 1' }),
    groupCode: z.string().meta({ description: 'Which of the activity’s groups the person is in', example: 'a' }),
    location: z.string().meta({ description: 'Where the group meets', example: 'Education block, room 2' }),
    allocatedFrom: z
      .string()
      .meta({ description: 'The day the person joined the group, YYYY-MM-DD', example: '2026-11-02' }),
  })
  .meta({ id: 'TimetableSession', description: 'One session of the week on a person’s timetable' })

const Timetable = z
  .object({
    prisonNumber: prisonNumberField(),
    sessionsPerWeek: z.number().int().meta({ description: 'How many sessions a week the timetable holds', example: 6 }),
    sessions: z.array(TimetableSession).meta({ description: 'The week’s sessions, Monday morning first' }),
  })
  .meta({ id: 'Timetable', description: 'A person’s accepted weekly timetable of activities' })

/** Issue 15, R5: a person's timetable for the prison's other systems (a wing kiosk, the movements board). */
export function registerAllocationApiRoutes(app: AreaRoutes, { allocation }: { allocation: AllocationService }) {
  app.get(
    '/api/people/:prisonNumber/timetable',
    {
      schema: {
        summary: 'A person’s weekly timetable',
        description:
          'The activities the person holds a place in now, from the timetable the prison accepted: each session of ' +
          'the week with its slot, the prison’s times for it and where the group meets.',
        tags: ['Timetables'],
        headers: ApiHeaders,
        params: ApiPersonParams,
        response: { 200: Timetable, ...apiPersonErrorResponses },
      },
      config: apiCallConfig('TIMETABLES', 'RO'),
    },
    async (request) => allocation.timetableForSystems(callerOf(request), request.params.prisonNumber),
  )
}
