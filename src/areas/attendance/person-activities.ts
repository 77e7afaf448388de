/** R7: a person's activities: where they are placed, how they attend, how it ended and what they thought. */
import { aboutPerson } from '../../platform/audit.ts'
import type { IsoDate } from '../../db/schema.ts'
import { isUuid } from '../../platform/ids.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { attendanceFigures, emptyCounts, mean, type Refusal } from './rules.ts'
import * as store from './store.ts'
import type { AttendanceDeps, CompletionInput, FeedbackInput } from './deps.ts'

/**
 * R7: what recording how a person's time on an activity ended, or what they thought of it, refuses first: an
 * activity that is not this prison's, and a day that has not come yet.
 */
async function activityAndDayProblems(
  { db, clock }: AttendanceDeps,
  actor: Actor,
  activityId: string,
  day: { field: 'finishedOn' | 'givenOn'; on: IsoDate; futureMessageKey: string },
): Promise<Refusal[]> {
  const problems: Refusal[] = []
  const activity = isUuid(activityId) ? await store.findActivity(db, actor.establishmentCode, activityId) : undefined
  if (!activity) problems.push({ field: 'activityId', messageKey: 'attendance.person.error.activity', values: {} })
  if (day.on > clock.today()) problems.push({ field: day.field, messageKey: day.futureMessageKey, values: {} })
  return problems
}

/** A person's activities: where they are placed, how they attend, how it ended and what they thought. Audited. */
export async function viewPersonActivities(deps: AttendanceDeps, actor: Actor, prisonNumber: string) {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const [allocations, counts, recent, completions, feedback] = await Promise.all([
    store.allocationsOf(db, person.id),
    store.outcomeCountsOf(db, person.id),
    store.recentAttendanceOf(db, person.id, 20),
    store.completionsOf(db, person.id),
    store.feedbackOf(db, person.id),
  ])
  const today = clock.today()
  const activityIds = [...new Set(allocations.map((allocation) => allocation.activityId))]
  const activities = activityIds.map((activityId) => {
    const placements = allocations.filter((allocation) => allocation.activityId === activityId)
    const tally = emptyCounts()
    for (const row of counts) if (row.activityId === activityId) tally[row.outcome] += Number(row.count)
    const ratings = feedback.filter((entry) => entry.activityId === activityId).map((entry) => entry.rating)
    return {
      activityId,
      activityName: placements[0].activityName,
      providerName: placements[0].providerName,
      isCurrent: placements.some((placement) => placement.endsOn === null || placement.endsOn >= today),
      since: placements.at(-1)!.startsOn,
      figures: attendanceFigures(tally),
      completion: completions.find((completion) => completion.activityId === activityId) ?? null,
      meanRating: mean(ratings),
    }
  })
  await audit.record(db, actor, aboutPerson('person-activities.viewed', person))
  return { person, activities, recent, completions, feedback }
}

/** R7: how a person's time on an activity ended. A refusal writes nothing. */
export async function recordCompletion(
  deps: AttendanceDeps,
  actor: Actor,
  prisonNumber: string,
  input: CompletionInput,
): Promise<Refusal[]> {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  const problems = await activityAndDayProblems(deps, actor, input.activityId, {
    field: 'finishedOn',
    on: input.finishedOn,
    futureMessageKey: 'attendance.completion.error.future',
  })
  if (input.outcome === 'not-completed' && input.reason === '')
    problems.push({ field: 'reason', messageKey: 'attendance.completion.error.reason', values: {} })
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    await store.insertCompletion(trx, {
      personId: person.id,
      ...input,
      recordedAt: clock.now(),
      recordedBy: actor.id,
    })
    await audit.record(trx, actor, {
      action: 'activity-completion.recorded',
      personId: person.id,
      details: { activityId: input.activityId, outcome: input.outcome },
    })
  })
  return []
}

/** R7: the person's own rating and words about an activity, recorded by staff for them. */
export async function recordFeedback(
  deps: AttendanceDeps,
  actor: Actor,
  prisonNumber: string,
  input: FeedbackInput,
): Promise<Refusal[]> {
  const { db, clock, audit, people } = deps
  const person = await people.personHeader(actor, prisonNumber)
  // C1: a person in custody gives feedback for themselves only.
  if (actor.person && actor.person.id !== person.id) throw new NotFound()
  const problems = await activityAndDayProblems(deps, actor, input.activityId, {
    field: 'givenOn',
    on: input.givenOn,
    futureMessageKey: 'attendance.feedback.error.future',
  })
  if (problems.length > 0) return problems
  await db.transaction().execute(async (trx) => {
    await store.insertFeedback(trx, {
      personId: person.id,
      ...input,
      recordedAt: clock.now(),
      recordedBy: actor.person ? null : actor.id,
      givenByPersonAccountId: actor.person ? actor.id : null,
    })
    await audit.record(trx, actor, {
      action: 'activity-feedback.recorded',
      personId: person.id,
      details: { activityId: input.activityId, rating: input.rating },
    })
  })
  return []
}
