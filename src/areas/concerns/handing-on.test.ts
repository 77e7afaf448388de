import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenPersonAtStage, givenPersonOnWing } from '../../../test/support/journey-builders.ts'
import { givenTrainedOfficer } from '../../../test/support/staff-builders.ts'
import { notificationsOf, raisedConcern } from '../../../test/support/concern-builders.ts'
import { deliverEvents } from '../../../test/support/app.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

/**
 * S1: a concern goes to whoever is responsible for the person. When their dedicated officer's allocation ends,
 * a concern not yet acted on must not stay with the officer who went, reaching no one who answers for them.
 */
describeServicesOnEachEngine('a concern when the dedicated officer changes', '2026-11-25T09:00:00Z', (the) => {
  const { database, services } = the
  const home = arrangedBefore(() =>
    givenPrisonWithStaff(database.db, { lead: 'safercustody', officer: 'keyworker', partner: 'partner' }),
  )

  const responsibleFor = async (concernId: string) =>
    (
      await database.db
        .selectFrom('concern')
        .select('responsible_staff_user_id as id')
        .where('id', '=', concernId)
        .executeTakeFirstOrThrow()
    ).id

  /** The concerns handed on that this member of staff was told of. */
  const handedOnTo = async (staffUserId: string) =>
    (await notificationsOf(database.db, staffUserId)).filter((n) => n.kind === 'concern-handed-on')

  const worry = { whatHappened: 'Said he had nothing left to live for.', urgency: 'today', safeNow: 'yes' } as const

  describe('handed on', () => {
    it('goes to the new dedicated officer, who is told, when the old one is replaced', async () => {
      const person = await givenPersonOnWing(database.db, home, home.officer)
      const { concernId } = await raisedConcern(services.concerns, home.partner, person.prisonNumber, worry)
      assert.equal(await responsibleFor(concernId), home.officer.id)
      const next = await givenTrainedOfficer(database.db, home.code)
      assert.equal(await services.keywork.allocate(home.lead, person.prisonNumber, next.id), null)
      await deliverEvents(services)
      assert.equal(await responsibleFor(concernId), next.id)
      const told = await handedOnTo(next.id)
      assert.deepEqual(
        told.map((n) => [n.messageKey, n.href, n.params.prisonNumber]),
        [['concerns.notification.handedOn', `/concerns/${concernId}`, person.prisonNumber]],
      )
      const handedOn = (await auditTrailOf(database.db, { personId: person.id })).filter(
        (entry) => entry.action === 'concern.handed-on',
      )
      assert.deepEqual(
        handedOn.map((entry) => [entry.details.concernId, entry.details.from, entry.details.to]),
        [[concernId, home.officer.id, next.id]],
      )
      // Off the list of concerns to act on of the officer who went, and on the new officer's.
      const listed = async (officer: typeof next) =>
        (await services.concerns.listConcerns(officer, 'open')).concerns.some((concern) => concern.id === concernId)
      assert.equal(await listed(next), true)
      assert.equal(await listed(home.officer), false)
    })

    it('with no one responsible once the officer is taken off, tells the safer custody leads no one has it', async () => {
      const person = await givenPersonOnWing(database.db, home, home.officer)
      const { concernId } = await raisedConcern(services.concerns, home.partner, person.prisonNumber, worry)
      assert.equal(await services.keywork.deallocate(home.lead, person.prisonNumber, 'officer-unavailable'), null)
      await deliverEvents(services)
      assert.equal(await responsibleFor(concernId), null)
      const told = await handedOnTo(home.lead.id)
      assert.deepEqual(
        told.filter((n) => n.params.prisonNumber === person.prisonNumber).map((n) => [n.messageKey, n.href]),
        [['concerns.notification.noOneResponsible', '/concerns']],
      )
    })

    it('goes to no one, and the leads are told, when whoever is responsible now is not on duty at its prison', async () => {
      const person = await givenPersonOnWing(database.db, home, home.officer)
      const { concernId } = await raisedConcern(services.concerns, home.partner, person.prisonNumber, worry)
      const next = await givenTrainedOfficer(database.db, home.code)
      assert.equal(await services.keywork.allocate(home.lead, person.prisonNumber, next.id), null)
      // Away before the hand-on is done (a listener tried again later): told, they could not act on it.
      await database.db.updateTable('staff_user').set({ is_active: false }).where('id', '=', next.id).execute()
      await deliverEvents(services)
      assert.equal(await responsibleFor(concernId), null)
      const told = await handedOnTo(home.lead.id)
      assert.ok(told.some((n) => n.params.prisonNumber === person.prisonNumber))
      assert.deepEqual(await notificationsOf(database.db, next.id), [])
    })

    it('goes to the officer allocated to someone whose concern no one had, who is told', async () => {
      // On the wing with no dedicated officer: the concern reaches the leads alone.
      const person = await givenPersonAtStage(database.db, home.code, {
        stage: 'residential',
        startedAt: '2026-11-01T10:00:00Z',
      })
      const { concernId } = await raisedConcern(services.concerns, home.partner, person.prisonNumber, worry)
      assert.equal(await responsibleFor(concernId), null)
      const officer = await givenTrainedOfficer(database.db, home.code)
      assert.equal(await services.keywork.allocate(home.lead, person.prisonNumber, officer.id), null)
      await deliverEvents(services)
      assert.equal(await responsibleFor(concernId), officer.id)
      const told = await handedOnTo(officer.id)
      assert.deepEqual(
        told.map((n) => n.messageKey),
        ['concerns.notification.handedOn'],
      )
    })

    it('leaves a concern already acted on with the officer who acted', async () => {
      const person = await givenPersonOnWing(database.db, home, home.officer)
      const { concernId } = await raisedConcern(services.concerns, home.partner, person.prisonNumber, worry)
      await services.concerns.actOnConcern(home.officer, concernId, {
        outcome: 'no-further-action',
        note: 'Spoke to him.',
      })
      await services.keywork.deallocate(home.lead, person.prisonNumber, 'officer-unavailable')
      await deliverEvents(services)
      assert.equal(await responsibleFor(concernId), home.officer.id)
    })
  })

  // Whichever comes first, once the events are delivered: the listener hands on one routed as the allocation ended.
  it('raised as the officer is taken off, is never left with that officer', async () => {
    for (let round = 0; round < 3; round += 1) {
      const person = await givenPersonOnWing(database.db, home, home.officer)
      const [raised] = await Promise.all([
        raisedConcern(services.concerns, home.partner, person.prisonNumber, worry),
        services.keywork.deallocate(home.lead, person.prisonNumber, 'officer-unavailable'),
      ])
      await deliverEvents(services)
      assert.equal(await responsibleFor(raised.concernId), null, `round ${round}`)
    }
  })
})
