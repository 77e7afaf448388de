import type { IsoDate } from '../../db/schema.ts'
import type { PeopleService } from '../people/service.ts'
import type { PlatformDeps } from '../../platform/use-cases.ts'

/** What every attendance use case is given: built once, in app.ts. */
export type AttendanceDeps = PlatformDeps & {
  people: PeopleService
}

export type CompletionInput = {
  activityId: string
  outcome: 'completed' | 'not-completed'
  reason: string
  finishedOn: IsoDate
}
export type FeedbackInput = { activityId: string; rating: number; comment: string; givenOn: IsoDate }
