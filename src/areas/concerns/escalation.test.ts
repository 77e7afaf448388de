import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { startWorker } from '../../platform/jobs.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff, givenStaffUser } from '../../../test/support/builders.ts'
import {
  givenConcern,
  givenConcernAboutNewPerson,
  notificationsOf as notificationsOfStaff,
} from '../../../test/support/concern-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'

describeServicesOnEachEngine('the concerns service', '2026-11-25T09:00:00Z', ({ database, services, clock }) => {
  const notificationsOf = (recipientId: string) => notificationsOfStaff(database.db, recipientId)
  /** The person's audit trail with who did each thing, for who escalated a concern. */
  const auditOf = (personId: string) => auditTrailOf(database.db, { personId }, ['actor_username'])

  describe('the escalation sweep', () => {
    it('run by two workers at once tells the governor once and marks the concern escalated once', async () => {
      const { itsGovernor, ...prison } = await givenPrisonWithStaff(database.db, { itsGovernor: 'governor' })
      const person = await givenPerson(database.db, prison.code)
      const raiser = await givenStaffUser(database.db, { role: 'chaplain', establishmentCodes: [prison.code] })
      const base = { personId: person.id, establishmentCode: prison.code, raisedBy: raiser.id }
      const due = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-25T08:00:00Z',
        escalateAt: '2026-11-25T08:15:00Z',
      })
      const notYet = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-25T08:50:00Z',
        escalateAt: '2026-11-25T09:05:00Z',
      })
      const actedOn = await givenConcern(database.db, {
        ...base,
        raisedAt: '2026-11-25T07:00:00Z',
        escalateAt: '2026-11-25T07:15:00Z',
        actedAt: '2026-11-25T07:10:00Z',
      })
      const second = createServices({ db: database.db, clock }).concerns
      const counts = await Promise.all([services.concerns.escalateDue(clock.now()), second.escalateDue(clock.now())])
      const ours = await database.db
        .selectFrom('concern')
        .select(['id', 'escalated_at'])
        .where('id', 'in', [due, notYet, actedOn])
        .execute()
      const escalated = ours.filter((row) => row.escalated_at !== null).map((row) => row.id)
      assert.deepEqual(escalated, [due])
      const told = await notificationsOf(itsGovernor.id)
      assert.deepEqual(
        told.map((n) => [n.kind, n.messageKey]),
        [['concern-escalated', 'concerns.notification.escalated.immediate']],
      )
      assert.ok(counts.reduce((a, b) => a + b, 0) >= 1)
      await second.escalationSweep.run(clock.now())
      assert.equal((await notificationsOf(itsGovernor.id)).length, 1)
      const audit = (await auditOf(person.id)).filter((entry) => entry.action === 'concern.escalated')
      assert.deepEqual(
        audit.map((entry) => [entry.actor_username, entry.details.concernId]),
        [['system', due]],
      )
    })
  })

  describe('the escalation sweep on the job queue', () => {
    it('worked by two processes at once tells the governor once', async () => {
      const { itsGovernor, ...prison } = await givenPrisonWithStaff(database.db, { itsGovernor: 'governor' })
      await givenConcernAboutNewPerson(database.db, {
        establishmentCode: prison.code,
        raisedBy: itsGovernor.id,
        raisedAt: '2026-11-25T08:00:00Z',
        urgency: 'can-wait',
        escalateAt: '2026-11-25T08:30:00Z',
      })
      const problems: unknown[] = []
      const workers = ['one', 'two'].map((workerId) => {
        const own = createServices({ db: database.db, clock })
        return startWorker({
          jobs: own.jobs,
          handlers: {},
          sweeps: [own.concerns.escalationSweep],
          clock,
          pollMs: 60_000,
          workerId,
          onError: (error) => problems.push(error),
        })
      })
      await Promise.all(workers.map((worker) => worker.tick()))
      await Promise.all(workers.map((worker) => worker.stop()))
      assert.deepEqual(problems, [])
      assert.deepEqual(
        (await notificationsOf(itsGovernor.id)).map((n) => n.messageKey),
        ['concerns.notification.escalated.can-wait'],
      )
    })
  })

  describe('the escalation sweep at a prison with no governor on duty', () => {
    it('tells the safer custody leads instead, so an escalation never goes nowhere', async () => {
      const { itsLead, away, ...prison } = await givenPrisonWithStaff(database.db, {
        itsLead: 'safercustody',
        away: 'governor',
      })
      await database.db
        .updateTable('staff_user')
        .set({ staff_status: 'annual-leave' })
        .where('id', '=', away.id)
        .execute()
      await givenConcernAboutNewPerson(database.db, {
        establishmentCode: prison.code,
        raisedBy: itsLead.id,
        raisedAt: '2026-11-25T08:00:00Z',
        urgency: 'today',
        escalateAt: '2026-11-25T08:59:00Z',
      })
      await services.concerns.escalateDue(clock.now())
      assert.deepEqual(
        (await notificationsOf(itsLead.id)).map((n) => n.messageKey),
        ['concerns.notification.escalated.today'],
      )
      assert.deepEqual(await notificationsOf(away.id), [])
    })

    it('with no safer custody lead on duty either, leaves the concern unescalated until someone is, then tells them', async () => {
      const { away, ...prison } = await givenPrisonWithStaff(database.db, { away: 'governor' })
      const onLeave = (staffStatus: 'annual-leave' | 'active') =>
        database.db.updateTable('staff_user').set({ staff_status: staffStatus }).where('id', '=', away.id).execute()
      await onLeave('annual-leave')
      const concern = await givenConcernAboutNewPerson(database.db, {
        establishmentCode: prison.code,
        raisedBy: away.id,
        raisedAt: '2026-11-25T08:00:00Z',
        urgency: 'today',
        escalateAt: '2026-11-25T08:59:00Z',
      })
      const escalatedAt = async () =>
        (
          await database.db
            .selectFrom('concern')
            .select('escalated_at')
            .where('id', '=', concern.concernId)
            .executeTakeFirstOrThrow()
        ).escalated_at
      await services.concerns.escalateDue(clock.now())
      assert.equal(await escalatedAt(), null, 'not shown as escalated when no one was told')

      await onLeave('active')
      await services.concerns.escalateDue(clock.now())
      assert.notEqual(await escalatedAt(), null)
      assert.deepEqual(
        (await notificationsOf(away.id)).map((n) => n.messageKey),
        ['concerns.notification.escalated.today'],
      )
    })
  })
})
