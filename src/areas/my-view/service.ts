import { bindUseCases, type Bound } from '../../platform/use-cases.ts'
import type { MyViewDeps } from './deps.ts'
import * as feedback from './feedback.ts'
import { leavingCustodyListeners } from './leaving-custody.ts'
import * as officer from './officer.ts'
import * as ownRecords from './own-records.ts'
import * as worries from './worries.ts'

export type { Refusal } from '../../platform/forms.ts'
export type { MyViewDeps } from './deps.ts'
export { FEEDBACK_MAX } from './feedback.ts'
export { CHANGE_REASON_MAX } from './officer.ts'
export { WORRY_MAX, type WorryInput } from './worries.ts'

/**
 * C1: the person in custody's own view. Every use case works on the signed-in person only (`actor.person`),
 * never on a prison number from the address, and goes through the area that owns the record: the timetable
 * through allocation, their officer and a change request through key work, a worry through concerns, feedback
 * through attendance. What staff keep about them (notes, flags, what was done about a sensitive worry) stays out.
 */
const myViewUseCases = {
  officerLabel: officer.officerLabel,
  hasCarePlan: ownRecords.hasCarePlan,
  carePlan: ownRecords.carePlan,
  timetable: ownRecords.timetable,
  officer: officer.officer,
  askToChangeOfficer: officer.askToChangeOfficer,
  raiseWorry: worries.raiseWorry,
  worries: worries.worries,
  feedback: feedback.feedback,
  giveFeedback: feedback.giveFeedback,
}

/** The use cases, and the listeners for a person leaving custody (built once, as app.ts registers them). */
export type MyViewService = { listeners: ReturnType<typeof leavingCustodyListeners> } & Bound<
  MyViewDeps,
  typeof myViewUseCases
>

export function createMyViewService(deps: MyViewDeps): MyViewService {
  return { listeners: leavingCustodyListeners(deps), ...bindUseCases(deps, myViewUseCases) }
}
