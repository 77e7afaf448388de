import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { JourneyStageName } from '../../db/schema.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { givenPerson, givenPrisonWithStaff } from '../../../test/support/builders.ts'
import { givenDedicatedOfficer, givenPersonAtStage, givenStage } from '../../../test/support/journey-builders.ts'
import { givenTrainedOfficer } from '../../../test/support/staff-builders.ts'
import { auditTrailOf } from '../../../test/support/audit-trail.ts'
import { createServices } from '../../app.ts'
import { queryCounter } from '../../db/query-counter.ts'

describeServicesOnEachEngine(
  'the journey service’s gap counts',
  '2026-11-25T09:00:00Z',
  ({ database, services, clock }) => {
    describe('gapCounts', () => {
      /**
       * A prison whose roll holds every case the gaps are judged on, beside another prison with gaps of its own:
       * people with no journey; at each stage with someone named and with nobody; released; on the wing with an
       * officer now (since long ago, from tomorrow, one whose training has lapsed, one who works elsewhere now,
       * one after an earlier officer), and with none (never, ended yesterday, ended on a later date, named at the
       * stage but no officer); one whose earlier stages ended; one received with their stage recorded at the
       * prison before; and one moved on to the other prison, their officer here still allocated.
       */
      async function givenPrisonsWithEveryGap() {
        const { lead, officer, ...place } = await givenPrisonWithStaff(database.db, {
          lead: 'safercustody',
          officer: 'officer',
        })
        const other = await givenPrisonWithStaff(database.db, { lead: 'safercustody', officer: 'keyworker' })
        const keyworker = await givenTrainedOfficer(database.db, place.code)
        const lapsed = await givenTrainedOfficer(database.db, place.code, { safeguarding: '2026-11-01' })
        const at = (
          prison: { code: string },
          stage: JourneyStageName,
          responsibleStaffUserId: string | null = null,
          startedAt = '2026-11-20T10:00:00Z',
        ) => givenPersonAtStage(database.db, prison.code, { stage, responsibleStaffUserId, startedAt })
        const onWingWith = async (
          allocations: readonly [staffUserId: string, allocatedAt: string, endedAt?: string][],
          named: string | null = null,
        ) => {
          const person = await at(place, 'residential', named, '2026-11-01T10:00:00Z')
          for (const [staffUserId, allocatedAt, endedAt] of allocations)
            await givenDedicatedOfficer(database.db, person.id, staffUserId, allocatedAt, endedAt ?? null)
          return person
        }
        for (const prison of [place, other]) {
          await givenPerson(database.db, prison.code)
          for (const stage of ['reception', 'first-night', 'induction', 'transfer-in', 'transfer-out'] as const) {
            await at(prison, stage, officer.id)
            await at(prison, stage)
          }
          await at(prison, 'release')
          await at(prison, 'release', officer.id)
        }
        await givenPerson(database.db, place.code, { cellId: place.cellId })
        await onWingWith([[keyworker.id, '2025-06-01T10:00:00Z']])
        await onWingWith([[keyworker.id, '2026-11-26T10:00:00Z']])
        await onWingWith([[lapsed.id, '2026-10-01T10:00:00Z']])
        await onWingWith([[other.officer.id, '2026-10-01T10:00:00Z']])
        await onWingWith([
          [lapsed.id, '2026-09-01T10:00:00Z', '2026-10-01T10:00:00Z'],
          [keyworker.id, '2026-10-01T10:00:00Z'],
        ])
        await onWingWith([])
        await onWingWith([[keyworker.id, '2026-10-01T10:00:00Z', '2026-11-24T10:00:00Z']])
        await onWingWith([[keyworker.id, '2026-10-01T10:00:00Z', '2026-11-30T10:00:00Z']])
        await onWingWith([], officer.id)
        const settledLater = await givenPerson(database.db, place.code)
        for (const [stage, startedAt, endedAt] of [
          ['reception', '2026-10-01T10:00:00Z', '2026-10-01T18:00:00Z'],
          ['first-night', '2026-10-01T18:00:00Z', '2026-10-02T10:00:00Z'],
          ['residential', '2026-10-02T10:00:00Z', null],
        ] as const)
          await givenStage(database.db, {
            personId: settledLater.id,
            establishmentCode: place.code,
            stage,
            startedAt,
            endedAt,
          })
        await givenPersonAtStage(database.db, place.code, {
          stage: 'first-night',
          prison: other.code,
          startedAt: '2026-11-22T10:00:00Z',
        })
        const movedOn = await onWingWith([[keyworker.id, '2026-10-01T10:00:00Z']])
        await database.db
          .updateTable('person')
          .set({ establishment_code: other.code })
          .where('id', '=', movedOn.id)
          .execute()
        await at(other, 'residential')
        return { lead, otherLead: other.lead }
      }

      it('counts each kind of gap as the gaps page does, at each prison', async () => {
        const { lead, otherLead } = await givenPrisonsWithEveryGap()
        const counted = await services.journey.gapCounts(lead)
        assert.deepEqual(counted, {
          total: 13,
          counts: { 'no-journey': 2, 'no-named-person': 6, 'no-dedicated-officer': 5 },
        })
        const listed = await services.journey.listGaps(lead)
        assert.deepEqual(counted, { total: listed.total, counts: listed.counts })
        const elsewhere = await services.journey.listGaps(otherLead)
        assert.deepEqual(await services.journey.gapCounts(otherLead), {
          total: elsewhere.total,
          counts: elsewhere.counts,
        })
        assert.deepEqual(elsewhere.counts, { 'no-journey': 1, 'no-named-person': 5, 'no-dedicated-officer': 1 })
      })

      it('counts none where everyone has someone named', async () => {
        const { lead, ...place } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
        await givenPersonAtStage(database.db, place.code, {
          stage: 'reception',
          responsibleStaffUserId: lead.id,
          startedAt: '2026-11-25T08:00:00Z',
        })
        assert.deepEqual(await services.journey.gapCounts(lead), {
          total: 0,
          counts: { 'no-journey': 0, 'no-named-person': 0, 'no-dedicated-officer': 0 },
        })
      })

      it('records no view of anyone’s record, where the gaps page records its list', async () => {
        const { lead, ...place } = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
        await givenPerson(database.db, place.code)
        assert.equal((await services.journey.gapCounts(lead)).total, 1)
        assert.deepEqual(await auditTrailOf(database.db, { actorId: lead.id }), [])
        await services.journey.listGaps(lead)
        assert.deepEqual(await auditTrailOf(database.db, { actorId: lead.id }), [
          { action: 'journey.gaps-viewed', details: { count: 1 } },
        ])
      })

      it('asks two queries of a roll of one as of a roll of every kind', async () => {
        const one = await givenPrisonWithStaff(database.db, { lead: 'safercustody' })
        await givenPerson(database.db, one.code)
        const { lead } = await givenPrisonsWithEveryGap()
        const { counted, plugin } = queryCounter()
        const journey = createServices({ db: database.db.withPlugin(plugin), clock }).journey
        await journey.gapCounts(one.lead)
        const forOne = counted.queries
        counted.queries = 0
        await journey.gapCounts(lead)
        assert.equal(counted.queries, forOne)
        assert.equal(forOne, 2)
      })
    })
  },
)
