/** P1: the courses staff and partner workers complete, and which of them are current. */
import type { TrainingCourse } from '../../db/schema.ts'
import type { Actor } from '../../platform/permissions.ts'
import { recordAgainstStaffMember, type Refused, type StaffDeps } from './deps.ts'
import { checkTrainingForm, isTrainingCurrent, trainingState, type TrainingForm } from './rules.ts'
import * as store from './store.ts'

/**
 * P1, M1: every course each member of staff and partner worker at the user's establishment holds now,
 * beyond the key ones on the staff list (ACCT, health and social care), one entry a person, unnamed.
 */
export async function currentCoursesAt(deps: StaffDeps, actor: Actor): Promise<TrainingCourse[][]> {
  const { db, clock } = deps
  const today = clock.today()
  const everyone = await store.listStaffAt(db, actor.establishmentCode)
  const latest = await store.latestTrainingOf(
    db,
    everyone.map((member) => member.staffUserId),
    today,
  )
  const held = new Map<string, TrainingCourse[]>(everyone.map((member) => [member.staffUserId, []]))
  for (const record of latest)
    if (isTrainingCurrent(trainingState(record, today))) held.get(record.staffUserId)?.push(record.course)
  return [...held.values()]
}

/** P1: a course completed, recorded against a staff member or partner worker. Audited. */
export async function recordTraining(
  deps: StaffDeps,
  actor: Actor,
  staffUserId: string,
  form: TrainingForm,
): Promise<Refused | null> {
  return recordAgainstStaffMember(deps, actor, staffUserId, {
    check: (today) => checkTrainingForm(form, today),
    insert: store.insertTraining,
    audited: ({ staffUserId, id, values }) => ({
      action: 'staff.training-recorded',
      details: { staffUserId, trainingRecordId: id, course: values.course },
    }),
  })
}
