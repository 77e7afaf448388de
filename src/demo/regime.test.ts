import { it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { describeOnDemoSnapshot } from '../../test/support/demo-snapshot.ts'

const today = '2026-11-25'

describeOnDemoSnapshot(
  'the demo regime',
  (database) => {
    it('gives everyone received before today an assessment with three to ten wants at their own prison', async () => {
      const rows = await sql<{
        prisonNumber: string
        receptionOn: string
        versions: number
        wants: number
        elsewhere: number
      }>`
        select p.prison_number as "prisonNumber", p.reception_on::text as "receptionOn",
          (select count(*) from needs_assessment n where n.person_id = p.id)::int as versions,
          (select count(*) from person_activity_want w where w.person_id = p.id)::int as wants,
          (select count(*) from person_activity_want w join activity a on a.id = w.activity_id
            where w.person_id = p.id and (a.establishment_code <> p.establishment_code or not a.is_active))::int as elsewhere
        from person p`.execute(database.db)
      const received = rows.rows.filter((row) => row.receptionOn < today)
      assert.ok(received.length > 400)
      for (const row of received) {
        assert.ok(row.versions >= 1, `${row.prisonNumber} has an assessment`)
        assert.ok(row.wants >= 3 && row.wants <= 10, `${row.prisonNumber} has ${row.wants} wants`)
        assert.equal(row.elsewhere, 0, `${row.prisonNumber} wants only what their prison offers`)
      }
      for (const row of rows.rows.filter((row) => row.receptionOn >= today)) assert.equal(row.versions, 0)
    })

    it('keeps every group inside its prison’s usable day and its minimum within its capacity', async () => {
      const outside = await sql<{ code: string }>`
        select a.code from activity_group g join activity a on a.id = g.activity_id
        where g.min_size > g.capacity or exists (
          select 1 from unnest(g.slots) s where s not in (
            select r.slot from regime_slot r where r.establishment_code = a.establishment_code))`.execute(database.db)
      assert.deepEqual(outside.rows, [])
      const activities = await database.db
        .selectFrom('activity')
        .select(['establishment_code', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('establishment_code')
        .execute()
      assert.equal(activities.length, 3)
      for (const row of activities) assert.ok(Number(row.count) >= 80, `${row.establishment_code}: ${row.count}`)
    })

    it('keeps mainstream and vulnerable apart at every prison, with a few people in non-associations', async () => {
      const separations = await database.db.selectFrom('cohort_separation').selectAll().execute()
      assert.deepEqual(
        separations.map((row) => [row.cohort_a, row.cohort_b]),
        [
          ['mainstream', 'vulnerable'],
          ['mainstream', 'vulnerable'],
          ['mainstream', 'vulnerable'],
        ],
      )
      const people = await database.db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow()
      const pairs = await sql<{ count: number }>`
        select count(*)::int as count from non_association n
        join person a on a.id = n.person_a_id join person b on b.id = n.person_b_id
        where a.establishment_code = b.establishment_code`.execute(database.db)
      const share = (2 * (pairs.rows[0]?.count ?? 0)) / Number(people.count)
      assert.ok(share > 0.01 && share < 0.03, `share in a non-association: ${share}`)
    })

    it('meets on the day an activity’s name says, such as Friday prayers on a Friday', async () => {
      const days = {
        Monday: 'MON',
        Tuesday: 'TUE',
        Wednesday: 'WED',
        Thursday: 'THU',
        Friday: 'FRI',
        Saturday: 'SAT',
        Sunday: 'SUN',
      }
      const groups = await database.db
        .selectFrom('activity_group as g')
        .innerJoin('activity as a', 'a.id', 'g.activity_id')
        .select(['a.establishment_code as prison', 'a.name', 'g.code', 'g.slots'])
        .execute()
      const named = groups.filter((group) => Object.keys(days).some((day) => group.name.includes(day)))
      assert.ok(
        named.some((group) => group.name === 'Friday prayers (mosque)'),
        'the offer has Friday prayers',
      )
      const elsewhen = named.flatMap((group) => {
        const day = days[Object.keys(days).find((name) => group.name.includes(name)) as keyof typeof days]
        return group.slots.every((slot) => slot.startsWith(day))
          ? []
          : [`${group.prison} ${group.name}, group ${group.code}: ${group.slots.join(' ')}`]
      })
      assert.deepEqual(elsewhen, [])
    })
  },
  // The day is fixed, so the demo's clock is noon that day and the estate the same on every run.
  { seed: 1, today, peopleAtFirst: 120 },
)
