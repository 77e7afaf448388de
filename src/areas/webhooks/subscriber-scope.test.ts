import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Forbidden, NotFound } from '../../platform/errors.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import { givenRaisedConcern, stubReceiverBefore } from '../../../test/support/webhook-builders.ts'

/** Where another prison's events go is that prison's business: which administrators see and run a subscriber. */
describeServicesOnEachEngine(
  'a webhook subscriber’s administrators',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
    const receiver = stubReceiverBefore({ database, services, clock }, prison)

    it('shows a subscriber only to administrators of a prison it hears of, and lets only one who works in all of them run it', async () => {
      const elsewhere = await givenCarePlanPrison(database.db)
      const both = await givenStaffUser(database.db, {
        role: 'admin',
        establishmentCodes: [prison.code, elsewhere.code],
      })
      const there = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [elsewhere.code] })
      const add = async (admin: typeof both, establishmentCodes: string[]) => {
        const added = await services.webhooks.addSubscription(admin, {
          url: 'https://shared.example.org/events',
          eventTypes: ['waymark.concern.raised'],
          establishmentCodes,
        })
        assert.ok('id' in added)
        return added.id
      }
      const shared = await add(both, [prison.code, elsewhere.code])
      const theirs = await add(there, [elsewhere.code])

      const listed = await services.webhooks.listSubscriptions(receiver.admin)
      assert.deepEqual(
        listed.filter((one) => one.id === shared || one.id === theirs).map((one) => [one.id, one.mayRun]),
        [[shared, false]],
      )
      // Another prison's alone: as if it did not exist, whatever is asked of it.
      const asked = [
        () => services.webhooks.viewSubscription(receiver.admin, theirs),
        () => services.webhooks.subscriptionChoices(receiver.admin, theirs),
        () =>
          services.webhooks.changeSubscription(receiver.admin, theirs, {
            eventTypes: [],
            establishmentCodes: [prison.code],
          }),
        () => services.webhooks.setEnabled(receiver.admin, theirs, false),
        () => services.webhooks.rotateSecret(receiver.admin, theirs),
        () => services.webhooks.replayDelivery(receiver.admin, theirs, 1),
      ]
      for (const ask of asked) await assert.rejects(ask(), NotFound)

      // Shared: seen, but its log, its secret and stopping it are for an administrator of both prisons.
      // A concern raised here is in the shared subscriber's log, which only an administrator of both prisons reads.
      await givenRaisedConcern(services, prison, (await givenAnotherPerson(database.db, prison)).prisonNumber)
      await deliverEvents(services)
      assert.equal((await services.webhooks.viewSubscription(both, shared)).deliveries.length, 1)
      const view = await services.webhooks.viewSubscription(receiver.admin, shared)
      assert.deepEqual(
        [view.mayRun, view.deliveries, view.prisonsNotYours.map((one) => one.code)],
        [false, [], [elsewhere.code]],
      )
      await assert.rejects(services.webhooks.setEnabled(receiver.admin, shared, false), Forbidden)
      await assert.rejects(services.webhooks.rotateSecret(receiver.admin, shared), Forbidden)
      await assert.rejects(services.webhooks.replayDelivery(receiver.admin, shared, 1), Forbidden)
      const byBoth = await services.webhooks.viewSubscription(both, shared)
      assert.deepEqual([byBoth.mayRun, byBoth.subscription.enabled], [true, true])
      const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
      assert.deepEqual(
        audit.filter((entry) => (entry.details as { subscriptionId?: string }).subscriptionId === shared),
        [],
      )
      assert.equal(await services.webhooks.setEnabled(both, shared, false), true)
      assert.equal(await services.webhooks.setEnabled(there, theirs, false), true)
    })
  },
)
