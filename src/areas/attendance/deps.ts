import type { Db } from '../../db/database.ts'
import type { IsoDate } from '../../db/schema.ts'
import type { Audit } from '../../platform/audit.ts'
import type { Clock } from '../../platform/clock.ts'
import type { PeopleService } from '../people/service.ts'

/** What every attendance use case is given: built once, in app.ts. */
export type AttendanceDeps = {
  db: Db
  clock: Clock
  audit: Audit
  people: PeopleService
}

export type CompletionInput = {
  activityId: string
  outcome: 'completed' | 'not-completed'
  reason: string
  finishedOn: IsoDate
}
export type FeedbackInput = { activityId: string; rating: number; comment: string; givenOn: IsoDate }
