import { it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../app.ts'
import { fixedClock } from '../platform/clock.ts'
import type { Actor } from '../platform/permissions.ts'
import { testEngines } from '../../test/support/database.ts'
import { describeOnDemoSnapshot } from '../../test/support/demo-snapshot.ts'
import { seedDemoEstate } from './seed.ts'

const today = '2026-11-25'

describeOnDemoSnapshot(
  'the demo journeys',
  (database) => {
    const currentStages = () =>
      database.db
        .selectFrom('person as p')
        .leftJoin('journey_stage as j', (join) => join.onRef('j.person_id', '=', 'p.id').on('j.ended_at', 'is', null))
        .select(['p.prison_number', 'p.establishment_code', 'p.cohort', 'p.reception_on', 'j.stage', 'j.started_at'])
        .execute()

    it('puts people on induction wings in their first stages and everyone else on a wing', async () => {
      const rows = (await currentStages()).filter((row) => row.stage !== null)
      for (const row of rows) {
        if (row.cohort === 'induction')
          assert.ok(['reception', 'first-night', 'induction'].includes(row.stage!), `${row.prison_number} ${row.stage}`)
        else assert.equal(row.stage, 'residential', row.prison_number)
        assert.ok(
          row.started_at! >= new Date(`${row.reception_on}T00:00:00Z`),
          `${row.prison_number} starts after reception`,
        )
      }
    })

    it('has people at reception and on their first night today at Northgate, and one with no journey', async () => {
      const northgate = (await currentStages()).filter((row) => row.establishment_code === 'NHI')
      const arrivedToday = northgate.filter((row) => row.reception_on === today)
      assert.ok(arrivedToday.some((row) => row.stage === 'reception'))
      assert.ok(arrivedToday.some((row) => row.stage === 'first-night'))
      assert.equal(northgate.filter((row) => row.stage === null).length, 1)
    })

    it('gives the safer custody lead a few people with nobody named, and two handovers to Bryn Glas, one to chase', async () => {
      const { journey } = createServices({ db: database.db, clock: fixedClock(`${today}T12:00:00Z`) })
      const actorOf = async (username: string): Promise<Actor> => {
        const user = await database.db
          .selectFrom('staff_user as s')
          .innerJoin('staff_user_establishment as se', 'se.staff_user_id', 's.id')
          .select(['s.id', 's.username', 's.display_name', 's.role', 'se.establishment_code'])
          .where('s.username', '=', username)
          .executeTakeFirstOrThrow()
        return {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          role: 'safercustody',
          establishmentCode: user.establishment_code,
          establishmentCodes: [user.establishment_code],
        }
      }
      const { counts } = await journey.listGaps(await actorOf('demo.safercustody'))
      assert.equal(counts['no-journey'], 1)
      assert.equal(counts['no-named-person'], 3)
      const { incoming } = await journey.listHandovers(await actorOf('demo.safercustody.bgi'))
      assert.deepEqual(
        incoming.map((handover) => [handover.fromEstablishmentCode, handover.toChase]),
        [
          ['NHI', true],
          ['NHI', false],
        ],
      )
      assert.ok(
        incoming.every((handover) => handover.summary.dedicatedOfficer !== null),
        'each demo transfer carries the officer the key work demo allocated',
      )
    })

    it('is the same journey for the same seed and day', async () => {
      const again = await testEngines()[0].open()
      try {
        await seedDemoEstate(again.db, { seed: 1, today, peopleAtFirst: 120, environment: 'test' })
        const stagesOf = (db: typeof database.db) =>
          db
            .selectFrom('journey_stage as j')
            .innerJoin('person as p', 'p.id', 'j.person_id')
            .select(['p.prison_number', 'j.stage', 'j.started_at', 'j.ended_at', 'j.reason'])
            .orderBy('p.prison_number')
            .orderBy('j.started_at')
            .orderBy('j.stage')
            .execute()
        assert.deepEqual(await stagesOf(again.db), await stagesOf(database.db))
      } finally {
        await again.close()
      }
    })
  },
  // The day is fixed, so the demo's clock is noon that day and the estate the same on every run.
  { seed: 1, today, peopleAtFirst: 120 },
)
