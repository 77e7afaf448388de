import { it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { stubReceiverBefore } from '../../../test/support/webhook-builders.ts'
import * as store from './store.ts'

/**
 * Issue 15: a worker sending a delivery holds it for a minute. One held up past that (a long pause, a slow
 * receiver) finds another has since taken it and sent it; what the first then records must not undo that.
 */
describeServicesOnEachEngine(
  'a delivery held past its lease',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
    const receiver = stubReceiverBefore({ database, services, clock }, prison)

    it('keeps what the worker holding it now recorded, not what the one whose lease ran out says', async () => {
      const { id: subscriptionId } = await receiver.onlySubscriber(['waymark.care-plan.opened'])
      await receiver.openPlanFor((await givenAnotherPerson(database.db, prison)).prisonNumber)
      const { id } = await database.db
        .selectFrom('webhook_delivery')
        .select('id')
        .where('subscription_id', '=', subscriptionId)
        .executeTakeFirstOrThrow()
      const at = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000)
      assert.ok(await store.claimDelivery(database.db, id, at(0), at(60)), 'the first worker takes it')
      assert.ok(await store.claimDelivery(database.db, id, at(61), at(121)), 'its lease ran out: the second takes it')
      assert.equal(
        await store.recordAttempt(database.db, id, at(121), {
          state: 'delivered',
          status: 204,
          error: null,
          deliveredAt: at(62),
        }),
        true,
      )
      // The first worker's receiver timed out; it comes back to record a try to come again.
      assert.equal(
        await store.recordAttempt(database.db, id, at(60), {
          state: 'pending',
          status: null,
          error: 'timeout',
          nextAttemptAt: at(90),
        }),
        false,
      )
      const [delivery] = await receiver.deliveriesOf(subscriptionId)
      assert.equal(delivery?.state, 'delivered')
    })
  },
)
