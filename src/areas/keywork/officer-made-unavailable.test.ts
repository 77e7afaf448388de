import { it } from 'node:test'
import assert from 'node:assert/strict'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenTrainedOfficer } from '../../../test/support/staff-builders.ts'
import { holdCaseloads } from '../../platform/locks.ts'
import { untilSomeoneWaits } from '../../../test/support/locks.ts'

/**
 * K1: an officer made unavailable (on leave, long-term absence) is given no one. An allocation read the
 * officer as available before its transaction: made unavailable in between, they were given the person all
 * the same. Only PostgreSQL has a second connection to change the officer while the allocation waits.
 */
describeServicesOnEachEngine('allocating to an officer made unavailable meanwhile', '2026-11-25T09:00:00Z', (the) => {
  const { database, services } = the
  const home = arrangedBefore(() => givenPrisonWithStaff(database.db, { lead: 'safercustody' }))

  /** Runs `change` in a transaction holding the prison's caseloads, once `waiting` is held up by that hold. */
  async function whileWaitingOnCaseloads<T>(
    waiting: () => Promise<T>,
    change: (trx: typeof database.db) => Promise<void>,
  ) {
    let answer: Promise<T> | undefined
    await database.db.transaction().execute(async (trx) => {
      await holdCaseloads(trx, home.code)
      answer = waiting()
      await untilSomeoneWaits(database.db)
      await change(trx)
    })
    return answer!
  }

  const madeUnavailable = (officerId: string) => async (trx: typeof database.db) => {
    await trx
      .updateTable('staff_user')
      .set({ staff_status: 'annual-leave', reactivation_on: '2026-12-07' })
      .where('id', '=', officerId)
      .execute()
  }

  it(
    'refuses an allocation to an officer made unavailable as it was made',
    { skip: database.name !== 'PostgreSQL' },
    async () => {
      const officer = await givenTrainedOfficer(database.db, home.code)
      const person = await givenPerson(database.db, home.code)
      const answer = await whileWaitingOnCaseloads(
        () => services.keywork.allocate(home.lead, person.prisonNumber, officer.id),
        madeUnavailable(officer.id),
      )
      assert.equal(answer?.messageKey, 'keywork.refusal.unavailable')
      const allocations = await database.db
        .selectFrom('dedicated_officer_allocation')
        .select('id')
        .where('person_id', '=', person.id)
        .execute()
      assert.deepEqual(allocations, [])
    },
  )

  it(
    'does not accept a wing’s recommendation of an officer made unavailable since it was drawn',
    { skip: database.name !== 'PostgreSQL' },
    async () => {
      const officer = await givenTrainedOfficer(database.db, home.code)
      const person = await givenPerson(database.db, home.code, { cellId: home.cellId })
      const wing = (await services.keywork.viewWingAllocation(home.lead)).wings.find((entry) =>
        entry.people.some((each) => each.id === person.id && each.recommendation.staffUserId === officer.id),
      )
      assert.ok(wing, 'the officer is recommended')
      const answer = await whileWaitingOnCaseloads(
        () => services.keywork.acceptWingRecommendation(home.lead, wing.code, wing.plan),
        madeUnavailable(officer.id),
      )
      assert.equal(answer, null, 'refused: the page is no longer as shown')
    },
  )

  // Both at once take the prison's caseload hold: one waits for the other, on either engine, and neither fails.
  it('makes an officer unavailable while someone is allocated to them: one waits for the other', async () => {
    const officer = await givenTrainedOfficer(database.db, home.code)
    const person = await givenPerson(database.db, home.code)
    const [allocated, changed] = await Promise.all([
      services.keywork.allocate(home.lead, person.prisonNumber, officer.id),
      services.staff.changeStatus(home.lead, officer.id, {
        status: 'annual-leave',
        reactivationOn: { day: '7', month: '12', year: '2026' },
        caseloadLimit: '',
      }),
    ])
    assert.equal(changed, null)
    assert.ok(allocated === null || allocated.messageKey === 'keywork.refusal.unavailable')
  })
})
