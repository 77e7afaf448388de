import { it } from 'node:test'
import assert from 'node:assert/strict'
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenStaffUser } from '../../../test/support/builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { givenAnotherPerson, givenCarePlanPrison } from '../../../test/support/care-plan-builders.ts'
import {
  givenDeliveredAfterFailed,
  givenRaisedConcern,
  stubReceiverBefore,
} from '../../../test/support/webhook-builders.ts'

/** Where another prison's events go is that prison's business: which administrators see and run a subscriber. */
describeServicesOnEachEngine(
  'a webhook subscriber’s administrators',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    const prison = arrangedBefore(() => givenCarePlanPrison(database.db))
    const receiver = stubReceiverBefore({ database, services, clock }, prison)

    /** A subscriber of this prison and another, added by an administrator of both, and one of the other's alone. */
    async function givenSharedSubscriber() {
      const elsewhere = await givenCarePlanPrison(database.db)
      const adminOf = (establishmentCodes: string[]) =>
        givenStaffUser(database.db, { role: 'admin', establishmentCodes })
      const [both, there] = [await adminOf([prison.code, elsewhere.code]), await adminOf([elsewhere.code])]
      const add = async (admin: typeof both, establishmentCodes: string[]) => {
        const added = await services.webhooks.addSubscription(admin, {
          url: 'https://shared.example.org/events',
          eventTypes: ['waymark.concern.raised'],
          establishmentCodes,
        })
        assert.ok('id' in added)
        return added.id
      }
      const [shared, theirs] = [await add(both, [prison.code, elsewhere.code]), await add(there, [elsewhere.code])]
      return { elsewhere, both, there, shared, theirs }
    }

    it('shows a subscriber only to administrators of a prison it hears of, each with its deliveries of their own prisons’ events, and lets only one who works in all of them stop it or rotate its secret', async () => {
      const { elsewhere, both, there, shared, theirs } = await givenSharedSubscriber()

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
        () => services.webhooks.rotateSecret(receiver.admin, theirs, null),
        () => services.webhooks.replayDelivery(receiver.admin, theirs, 1),
      ]
      for (const ask of asked) await assert.rejects(ask(), NotFound)

      // Shared: seen, with the deliveries of this prison's events alone; its secret and stopping it are for an
      // administrator of both prisons.
      await givenRaisedConcern(services, prison, (await givenAnotherPerson(database.db, prison)).prisonNumber)
      await givenRaisedConcern(services, elsewhere, (await givenAnotherPerson(database.db, elsewhere)).prisonNumber)
      await deliverEvents(services)
      const prisonsOfLog = async (admin: Actor) =>
        (await services.webhooks.viewSubscription(admin, shared)).deliveries.map((one) => one.establishmentCode)
      assert.deepEqual(
        [await prisonsOfLog(both), await prisonsOfLog(receiver.admin), await prisonsOfLog(there)],
        [[elsewhere.code, prison.code], [prison.code], [elsewhere.code]],
      )
      const view = await services.webhooks.viewSubscription(receiver.admin, shared)
      assert.deepEqual([view.mayRun, view.prisonsNotYours.map((one) => one.code)], [false, [elsewhere.code]])
      const counted = async (admin: Actor) => {
        const listedShared = (await services.webhooks.listSubscriptions(admin)).find((one) => one.id === shared)
        return listedShared && listedShared.pending + listedShared.delivered + listedShared.failed
      }
      assert.deepEqual([await counted(both), await counted(receiver.admin), await counted(there)], [2, 1, 1])
      await assert.rejects(services.webhooks.setEnabled(receiver.admin, shared, false), Forbidden)
      await assert.rejects(services.webhooks.rotateSecret(receiver.admin, shared, null), Forbidden)
      // The other prison's delivery is not theirs to send again: as if it did not exist.
      const [theirDelivery] = (await services.webhooks.viewSubscription(there, shared)).deliveries
      await assert.rejects(services.webhooks.replayDelivery(receiver.admin, shared, theirDelivery.id), NotFound)
      const byBoth = await services.webhooks.viewSubscription(both, shared)
      assert.deepEqual([byBoth.mayRun, byBoth.subscription.enabled], [true, true])
      const audit = await auditTrailOf(database.db, { actorId: receiver.admin.id })
      assert.deepEqual(
        audit.filter((entry) => (entry.details as { subscriptionId?: string }).subscriptionId === shared),
        [],
      )
      // Their own prison's, once it has failed, they send again.
      await database.db
        .updateTable('webhook_delivery')
        .set({ state: 'failed' })
        .where('subscription_id', '=', shared)
        .execute()
      const [ours] = (await services.webhooks.viewSubscription(receiver.admin, shared)).deliveries
      assert.equal(await services.webhooks.replayDelivery(receiver.admin, shared, ours.id), true)
      assert.deepEqual(
        (await services.webhooks.viewSubscription(both, shared)).deliveries.map((one) => [
          one.establishmentCode,
          one.state,
        ]),
        [
          [elsewhere.code, 'failed'],
          [prison.code, 'pending'],
        ],
      )
      assert.equal(await services.webhooks.setEnabled(both, shared, false), true)
      assert.equal(await services.webhooks.setEnabled(there, theirs, false), true)
    })

    it('keeps each prison to its own deliveries in the log, in sending again and in the trail, saying when one waits on another prison’s', async () => {
      const { elsewhere, both, there, shared, theirs } = await givenSharedSubscriber()
      const here = await givenAnotherPerson(database.db, prison)
      await givenRaisedConcern(services, prison, here.prisonNumber)
      await givenRaisedConcern(services, elsewhere, (await givenAnotherPerson(database.db, elsewhere)).prisonNumber)
      await deliverEvents(services)
      const logOf = async (admin: Actor, id = shared) =>
        (await services.webhooks.viewSubscription(admin, id)).deliveries
      const [ours] = await logOf(receiver.admin)
      const [theirsThere] = await logOf(there)

      // The same person's events go in order whatever their prison: the later one, there, waits on the failed one
      // here, and its administrator is told so without being told what it is.
      await database.db.updateTable('webhook_delivery').set({ state: 'failed' }).where('id', '=', ours.id).execute()
      await database.db
        .updateTable('webhook_delivery')
        .set({ person_id: here.id })
        .where('id', '=', theirsThere.id)
        .execute()
      assert.deepEqual(
        [
          (await logOf(there)).map((one) => one.heldByAnotherPrison),
          (await logOf(both)).map((one) => one.heldByAnotherPrison),
        ],
        [[true], [false, false]],
      )
      assert.deepEqual(
        [
          (await services.webhooks.viewSubscription(both, shared)).byPrison,
          (await services.webhooks.viewSubscription(there, shared)).byPrison,
        ],
        [true, false],
      )

      // A delivery of their prison under another subscriber they see is not sent again through this one.
      const [ofTheirs] = await logOf(there, theirs)
      await assert.rejects(services.webhooks.replayDelivery(there, shared, ofTheirs.id), NotFound)
      // Sent again, it is in the trail of the prison where the event happened and of the person it is about.
      const bothAtTheOther = { ...both, establishmentCode: elsewhere.code }
      assert.equal(await services.webhooks.replayDelivery(bothAtTheOther, shared, ours.id), true)
      const [replayed] = (await auditTrailOf(database.db, { personId: here.id }, ['establishment_code'])).filter(
        (entry) => entry.action === 'webhooks.delivery-replayed',
      )
      assert.deepEqual(replayed?.establishment_code, prison.code)

      // One that records no prison (its event was gone when the prisons were filled in) is for an administrator of
      // every prison the subscriber hears of.
      await database.db
        .updateTable('webhook_delivery')
        .set({ establishment_code: null })
        .where('id', '=', theirsThere.id)
        .execute()
      assert.deepEqual(
        [(await logOf(both)).length, (await logOf(there)).length, (await logOf(receiver.admin)).length],
        [2, 0, 1],
      )
      await assert.rejects(services.webhooks.replayDelivery(there, shared, theirsThere.id), NotFound)
      await services.webhooks.setEnabled(both, shared, false)
      await services.webhooks.setEnabled(there, theirs, false)
    })

    it('counts and lists the failed deliveries of each administrator’s own prisons, the oldest first, 100 to a page', async () => {
      const { elsewhere, both, there, shared, theirs } = await givenSharedSubscriber()
      await givenRaisedConcern(services, prison, (await givenAnotherPerson(database.db, prison)).prisonNumber)
      await givenRaisedConcern(services, elsewhere, (await givenAnotherPerson(database.db, elsewhere)).prisonNumber)
      await deliverEvents(services)
      const failedOf = (admin: Actor, page?: number) =>
        services.webhooks.viewSubscription(admin, shared, { onlyFailed: true, page })
      const [ours] = (await services.webhooks.viewSubscription(receiver.admin, shared)).deliveries
      await database.db
        .updateTable('webhook_delivery')
        .set({ state: 'failed' })
        .where('subscription_id', '=', shared)
        .execute()
      // Each administrator counts and sees the failed deliveries of their own prisons' events only.
      const counted = async (admin: Actor) => [
        (await failedOf(admin)).failedCount,
        (await failedOf(admin)).deliveries.length,
      ]
      assert.deepEqual(
        [await counted(receiver.admin), await counted(there), await counted(both)],
        [
          [1, 1],
          [1, 1],
          [2, 2],
        ],
      )
      // 100 more failed since, here: the first page holds the oldest 100, the one that failed first at its top.
      await givenDeliveredAfterFailed(database.db, 100, { state: 'failed', of: ours.id })
      const [first, second] = [await failedOf(receiver.admin), await failedOf(receiver.admin, 2)]
      assert.deepEqual(
        [first.failedCount, first.pageCount, first.deliveries.length, first.deliveries[0].id],
        [101, 2, 100, ours.id],
      )
      assert.deepEqual([second.page, second.deliveries.length], [2, 1])
      await services.webhooks.setEnabled(both, shared, false)
      await services.webhooks.setEnabled(there, theirs, false)
    })

    it('rotates a secret once however often the button is sent, so the receiver’s secret keeps its day of grace', async () => {
      const { shared, both, there } = await givenSharedSubscriber()
      const first = await services.webhooks.rotateSecret(both, shared, null)
      // The same administrator's second press, a moment later: the secret the first made, not another.
      assert.deepEqual(await services.webhooks.rotateSecret(both, shared, null), first)
      // Anyone else's rotation of the secret as it was, or the same administrator's later, is refused.
      await assert.rejects(services.webhooks.rotateSecret(there, shared, null), Forbidden)
      const otherAdmin = await givenStaffUser(database.db, {
        role: 'admin',
        establishmentCodes: [...both.establishmentCodes],
      })
      await assert.rejects(services.webhooks.rotateSecret(otherAdmin, shared, null), Conflict)
      clock.advanceMinutes(2)
      await assert.rejects(services.webhooks.rotateSecret(both, shared, null), Conflict)
      const second = await services.webhooks.rotateSecret(both, shared, first.previousUntil)
      assert.notEqual(second.signingSecret, first.signingSecret)
      const rotations = (await auditTrailOf(database.db, { actorId: both.id })).filter(
        (entry) => entry.action === 'webhooks.secret-rotated',
      )
      assert.equal(rotations.length, 2)
    })

    it('adds one subscriber when the form is sent twice at once, showing the same secret to both', async () => {
      const admin = await givenStaffUser(database.db, { role: 'admin', establishmentCodes: [prison.code] })
      const form = {
        url: 'https://twice.example.org/events',
        eventTypes: ['waymark.concern.raised'],
        establishmentCodes: [prison.code],
      }
      const [first, second] = await Promise.all([1, 2].map(() => services.webhooks.addSubscription(admin, form)))
      assert.deepEqual(first, second)
      const added = (await auditTrailOf(database.db, { actorId: admin.id })).filter(
        (entry) => entry.action === 'webhooks.subscription-added',
      )
      assert.equal(added.length, 1)
      // Another subscriber at the address, for other events, is another subscriber.
      const other = await services.webhooks.addSubscription(admin, {
        ...form,
        eventTypes: ['waymark.care-plan.opened'],
      })
      assert.ok('id' in other && 'id' in first && other.id !== first.id)
    })
  },
)
