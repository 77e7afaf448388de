/** R7: the activities they go to, and their own feedback on them. */
import type { Refusal } from '../../platform/forms.ts'
import type { Actor } from '../../platform/permissions.ts'
import { self, type MyViewDeps } from './deps.ts'

export const FEEDBACK_MAX = 1000

/** R7: the activities they go to now and the feedback they have given. */
export async function feedback(deps: MyViewDeps, actor: Actor) {
  const { attendance } = deps
  const me = self(actor)
  const view = await attendance.viewPersonActivities(actor, me.prisonNumber)
  return {
    activities: view.activities
      .filter((activity) => activity.isCurrent)
      .map((activity) => ({ activityId: activity.activityId, activityName: activity.activityName })),
    given: view.feedback.map((entry) => ({
      activityName: entry.activityName,
      rating: entry.rating,
      comment: entry.comment,
      givenOn: entry.givenOn,
    })),
  }
}

/** R7: their own rating and words about an activity they go to, dated today. */
export async function giveFeedback(
  deps: MyViewDeps,
  actor: Actor,
  input: { activityId: string; rating: number; comment: string },
): Promise<Refusal[]> {
  const { clock, attendance } = deps
  const me = self(actor)
  const { activities } = await feedback(deps, actor)
  if (!activities.some((activity) => activity.activityId === input.activityId))
    return [{ field: 'activityId', messageKey: 'my.feedback.error.activity' }]
  if (input.comment.length > FEEDBACK_MAX)
    return [{ field: 'comment', messageKey: 'my.feedback.error.tooLong', values: { max: FEEDBACK_MAX } }]
  const refusals = await attendance.recordFeedback(actor, me.prisonNumber, {
    activityId: input.activityId,
    rating: input.rating,
    comment: input.comment.trim(),
    givenOn: clock.today(),
  })
  return refusals.map((refusal) => ({ field: refusal.field, messageKey: 'my.feedback.error.activity' }))
}
