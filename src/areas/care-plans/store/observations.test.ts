import { it } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../../db/database.ts'
import { standingObservations } from '../rules.ts'
import { insertObservation, standingObservationTimesOf } from './observations.ts'
import { arrangedBefore, describeServicesOnEachEngine } from '../../../../test/support/services.ts'
import { givenAssessedPlan, givenCarePlanPrison } from '../../../../test/support/care-plan-builders.ts'

const supervision = { observationsPerDay: 6, observationsPerNight: 4, conversationsPerDay: 2, conversationsPerNight: 0 }
const now = new Date('2026-11-25T09:00:00Z')
const since = new Date(now.getTime() - 48 * 3_600_000)

/**
 * The old way, which the dashboards and the sweep read until issue 19: every observation since the instant as a
 * row with its two timestamps, what it corrects, and its own id, and the corrected ones left out here.
 */
async function standingTimesAsRows(db: Db, carePlanIds: readonly string[]) {
  const rows = await db
    .selectFrom('care_plan_observation as o')
    .select([
      'o.id',
      'o.care_plan_id as carePlanId',
      'o.observed_at as observedAt',
      'o.recorded_at as recordedAt',
      'o.corrects_id as correctsId',
    ])
    .where('o.care_plan_id', 'in', [...carePlanIds])
    .where('o.observed_at', '>=', since)
    .orderBy('o.observed_at')
    .orderBy('o.seq')
    .execute()
  return new Map(
    [...Map.groupBy(standingObservations(rows), (row) => row.carePlanId)].map(([id, entries]) => [
      id,
      entries.map((entry) => ({ observedAt: entry.observedAt, recordedAt: entry.recordedAt })),
    ]),
  )
}

describeServicesOnEachEngine('the observation times a schedule reads', now.toISOString(), (the) => {
  const { database, services } = the
  /**
   * Four plans watched unlike each other over three days: one looked in on every hour, some entries written
   * late and some at odd milliseconds; one with corrections, one of an entry before the window and one made
   * before the window of an entry in it; one with two entries in the same minute; and one never observed.
   */
  const estate = arrangedBefore(async () => {
    const prison = await givenCarePlanPrison(database.db)
    const plans = []
    for (let i = 0; i < 4; i += 1)
      plans.push(await givenAssessedPlan(database.db, services.carePlans, prison, now, supervision))
    const observe = (carePlanId: string, observedAt: Date, recordedAt: Date, correctsId: string | null = null) =>
      insertObservation(database.db, {
        carePlanId,
        establishmentCode: prison.code,
        observedAt,
        seen: 'In cell, reading',
        wasConversation: false,
        correctsId,
        correctionReason: correctsId ? 'Wrong time written' : null,
        recordedBy: prison.officer.id,
        recordedAt,
      })
    const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
    for (let hour = 0; hour < 72; hour += 1) {
      const observedAt = minutesBefore(hour * 60 + 7)
      const lateBy = hour % 5 === 0 ? 20 * 60_000 : 0
      await observe(plans[0].id, observedAt, new Date(observedAt.getTime() + lateBy + ((hour * 137) % 1000)))
    }
    const beforeWindow = await observe(plans[1].id, minutesBefore(50 * 60), minutesBefore(50 * 60))
    await observe(plans[1].id, minutesBefore(30), minutesBefore(29), beforeWindow)
    const inWindow = await observe(plans[1].id, minutesBefore(120), minutesBefore(119))
    await observe(plans[1].id, minutesBefore(115), minutesBefore(100), inWindow)
    const correctedFromBefore = await observe(plans[1].id, minutesBefore(47 * 60), minutesBefore(47 * 60))
    await observe(plans[1].id, minutesBefore(49 * 60), minutesBefore(10), correctedFromBefore)
    await observe(plans[2].id, minutesBefore(60), new Date(minutesBefore(60).getTime() + 999))
    await observe(plans[2].id, minutesBefore(60), new Date(minutesBefore(60).getTime() + 1))
    return { ids: plans.map((plan) => plan.id) }
  })

  it('are the times of the observations that stand, as reading every row and leaving out the corrected gave', async () => {
    const read = await standingObservationTimesOf(database.db, estate.ids, since)
    assert.deepEqual(read, await standingTimesAsRows(database.db, estate.ids))
    assert.equal(read.get(estate.ids[0])?.length, 48)
    // The correction of an entry before the window stands; the entry it corrected is not read.
    assert.equal(read.get(estate.ids[1])?.length, 3)
    assert.equal(read.has(estate.ids[3]), false)
  })

  it('reads nothing for no plans', async () => {
    assert.deepEqual(await standingObservationTimesOf(database.db, [], since), new Map())
  })
})
