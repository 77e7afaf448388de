import { it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  attendedReview,
  auditActions,
  carePlanRow,
  closingReview,
  givenAssessedPlan,
  givenCarePlanPrison,
} from '../../../test/support/care-plan-builders.ts'
import { supervisionFloors } from './rules.ts'
import * as store from './store.ts'
import type { ReviewInput } from './service.ts'

/**
 * Two steps on one care plan sent at once (two members of staff, or a double click): each is decided on the
 * plan as it stands when it is saved, never as it stood a moment before the other was saved.
 */
const DAY = 86_400_000
const low = supervisionFloors.low

describeServicesOnEachEngine(
  'two steps on one care plan at once',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))

    /** A plan through its first case review at low risk, with nothing on its care map. */
    async function givenReviewedPlan() {
      const plan = await givenAssessedPlan(database.db, services.carePlans, prison, clock.now(), low)
      const review: ReviewInput = {
        heldAt: clock.now(),
        ...attendedReview,
        notes: '',
        caseManagerId: prison.lead.id,
        riskLevel: 'low',
        supervision: low,
        nextReviewDueAt: new Date(clock.now().getTime() + 7 * DAY),
      }
      assert.equal(await services.carePlans.holdReview(prison.lead, plan.person.prisonNumber, plan.id, review), null)
      return plan
    }

    /** A case review that keeps the plan open, with the next one due in a week. */
    function scheduledReview(): ReviewInput {
      const {
        closureReasons: _explained,
        close: _close,
        personView: _view,
        ...review
      } = closingReview(prison, clock.now())
      return { ...review, nextReviewDueAt: new Date(clock.now().getTime() + 7 * DAY) }
    }

    it('does not close a plan with an action added to its care map as it closed', async () => {
      const { person, id } = await givenReviewedPlan()
      const { closureReasons: _explained, ...closing } = closingReview(prison, clock.now())
      await Promise.all([
        services.carePlans.holdReview(prison.lead, person.prisonNumber, id, closing),
        services.carePlans.addAction(prison.officer, person.prisonNumber, id, {
          description: 'See the chaplain',
          owner: 'Chaplaincy',
          dueOn: '2026-11-30',
        }),
      ])
      const closed = (await carePlanRow(database.db, id)).closed_at !== null
      const openActions = (await store.actionsOf(database.db, id)).filter((action) => !action.completedAt)
      assert.ok(closed !== openActions.length > 0, `closed: ${closed}, open actions: ${openActions.length}`)
    })

    it('answers an immediate review asked for as another review was recorded', async () => {
      const { person, id } = await givenReviewedPlan()
      await Promise.all([
        services.carePlans.holdReview(prison.lead, person.prisonNumber, id, scheduledReview()),
        services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'self-harm'),
      ])
      const stillAsked = (await carePlanRow(database.db, id)).immediate_review_requested_at !== null
      const reviews = await database.db
        .selectFrom('care_plan_review')
        .select(['kind', 'immediate_reason'])
        .where('care_plan_id', '=', id)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute()
      const answered = reviews.some((each) => each.kind === 'immediate' && each.immediate_reason === 'self-harm')
      assert.ok(stillAsked || answered, `neither waiting nor answered: ${JSON.stringify(reviews)}`)
    })

    it('asks for an immediate review once when two ask at once, keeping the first reason and when it was asked', async () => {
      const { person, id } = await givenReviewedPlan()
      const asked = await Promise.all([
        services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'self-harm'),
        services.carePlans.requestImmediateReview(prison.lead, person.prisonNumber, id, 'request'),
      ])
      const refused = asked.filter((outcome) => outcome !== null)
      assert.deepEqual(refused, [{ field: 'pending', messageKey: 'carePlans.immediateReview.error.alreadyAsked' }])
      const kept = (await carePlanRow(database.db, id)).immediate_review_reason
      // Whichever came first: its reason stands, and only it is in the audit trail.
      const requested = (await auditActions(database.db, person.id)).filter(
        (action) => action === 'care-plan.immediate-review-requested',
      )
      assert.equal(requested.length, 1)
      assert.ok(kept === 'self-harm' || kept === 'request')
    })

    it('refuses an immediate review asked for while one is waiting, which keeps its reason and the time it is due', async () => {
      const { person, id } = await givenReviewedPlan()
      assert.equal(
        await services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'self-harm'),
        null,
      )
      const first = await carePlanRow(database.db, id)
      clock.advanceMinutes(90)
      assert.deepEqual(
        await services.carePlans.requestImmediateReview(prison.lead, person.prisonNumber, id, 'request'),
        { field: 'pending', messageKey: 'carePlans.immediateReview.error.alreadyAsked' },
      )
      const after = await carePlanRow(database.db, id)
      assert.equal(after.immediate_review_reason, 'self-harm')
      assert.deepEqual(after.immediate_review_requested_at, first.immediate_review_requested_at)
      assert.deepEqual(after.next_review_due_at, first.next_review_due_at)
      // Once the review is held, another may be asked for.
      assert.equal(await services.carePlans.holdReview(prison.lead, person.prisonNumber, id, scheduledReview()), null)
      assert.equal(
        await services.carePlans.requestImmediateReview(prison.officer, person.prisonNumber, id, 'request'),
        null,
      )
    })
  },
)
