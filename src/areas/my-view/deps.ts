import type { PlatformDeps } from '../../platform/use-cases.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import type { AllocationService } from '../allocation/service.ts'
import type { AttendanceService } from '../attendance/service.ts'
import type { CarePlanService } from '../care-plans/service.ts'
import type { ConcernsService } from '../concerns/service.ts'
import type { KeyworkService } from '../keywork/service.ts'
import type { PeopleService } from '../people/service.ts'

/** What every use case of the person's own view is given: built once, in app.ts. */
export type MyViewDeps = PlatformDeps & {
  people: Pick<PeopleService, 'findByNameAt'>
  allocation: Pick<AllocationService, 'viewPersonTimetable'>
  keywork: Pick<KeyworkService, 'viewDedicatedOfficer' | 'raiseChangeRequest' | 'ownChangeRequest' | 'policyFor'>
  concerns: Pick<ConcernsService, 'raiseConcern' | 'listRaisedByPerson'>
  attendance: Pick<AttendanceService, 'viewPersonActivities' | 'recordFeedback'>
  carePlans: Pick<CarePlanService, 'ownCopyOf'>
}

/** The signed-in person in custody; to anyone else, the view does not exist. */
export function self(actor: Actor) {
  if (actor.role !== 'person' || !actor.person) throw new NotFound()
  return actor.person
}
