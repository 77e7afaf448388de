import { it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { measures, monthsEnding, percent } from '../areas/measures/rules.ts'
import { londonTime } from '../platform/dates.ts'
import { describeOnDemoSnapshot } from '../../test/support/demo-snapshot.ts'

const today = '2026-11-25'
const earlierMonths = monthsEnding(today).slice(0, -1)

function lastDayOf(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`)
  date.setUTCMonth(date.getUTCMonth() + 1)
  date.setUTCDate(0)
  return date.toISOString().slice(0, 10)
}

describeOnDemoSnapshot(
  "the demo's year of measures",
  (database) => {
    const snapshots = () =>
      database.db
        .selectFrom('measure_snapshot')
        .select(['establishment_code as code', 'measure', 'month', 'value', 'recorded_at as recordedAt'])
        .orderBy('month')
        .execute()

    it('keeps every earlier month of every measure at every prison, each worked out at its month’s end', async () => {
      const rows = await snapshots()
      assert.equal(rows.length, 3 * measures.length * earlierMonths.length)
      for (const row of rows) {
        assert.ok(earlierMonths.includes(row.month), `${row.month} is an earlier month`)
        // Worked out by the sweep with its clock at 23:59 on the month's last day: nothing kept at another time.
        assert.equal(new Date(row.recordedAt).toISOString(), londonTime(lastDayOf(row.month), 23, 59).toISOString())
      }
    })

    it('gives each month the training figure its records give as of that month’s end, rising over the year', async () => {
      // Everyone who works at Northgate: not the group director, who oversees it and works in none.
      const staff = await database.db
        .selectFrom('staff_user_establishment as se')
        .innerJoin('staff_user as s', 's.id', 'se.staff_user_id')
        .select('se.staff_user_id as id')
        .where('se.establishment_code', '=', 'NHI')
        .where('s.role', '!=', 'director')
        .execute()
      const records = await database.db
        .selectFrom('training_record')
        .select(['staff_user_id as id', 'completed_on as completedOn', 'expires_on as expiresOn'])
        .where('course', '=', 'mental-health-first-aid')
        .execute()
      const kept = new Map(
        (await snapshots())
          .filter((row) => row.code === 'NHI' && row.measure === 'training-mental-health-first-aid')
          .map((row) => [row.month, row.value]),
      )
      const figures = earlierMonths.map((month) => {
        const end = lastDayOf(month)
        // Current on the day: the latest course completed by then had not expired.
        const current = staff.filter((member) => {
          const latest = records
            .filter((record) => record.id === member.id && record.completedOn <= end)
            .sort((a, b) => b.completedOn.localeCompare(a.completedOn))[0]
          return latest !== undefined && (latest.expiresOn === null || latest.expiresOn >= end)
        }).length
        const figure = percent(current, staff.length)
        assert.equal(kept.get(month), figure, month)
        return figure!
      })
      assert.ok(figures[0] + 10 < figures.at(-1)!, `rises over the year: ${figures.join(', ')}`)
    })

    it('has trends with a shape: the figures differ from month to month, and the needs analysis is kept for none', async () => {
      const rows = (await snapshots()).filter((row) => row.code === 'NHI')
      const valuesOf = (measure: string) => rows.filter((row) => row.measure === measure).map((row) => row.value)
      for (const measure of [
        'training-trauma-informed',
        'supervision',
        'key-work',
        'time-out-of-cell',
        'peer-supporters',
        'acct-deadlines',
      ]) {
        const values = valuesOf(measure)
        assert.ok(new Set(values).size >= 4, `${measure}: ${values.join(', ')}`)
        assert.ok(
          values.every((value) => value !== null),
          `${measure} worked out every month: ${values.join(', ')}`,
        )
      }
      // The offer has no history, so no month before this one has a needs met figure.
      assert.ok(valuesOf('needs-met').every((value) => value === null))
    })

    it('keeps key work and progress meetings held when due as a share of those due: never over 100%', async () => {
      const rows = (await snapshots()).filter((row) => ['key-work', 'progress-meetings'].includes(row.measure))
      assert.ok(rows.length > 0)
      const over = rows.filter((row) => row.value !== null && row.value > 100)
      assert.deepEqual(over, [], 'a month’s share held when due is of the same week’s sessions due')
    })

    it('has transfers refused or delayed more often for people who harmed themselves or were on a plan', async () => {
      const handovers = await database.db
        .selectFrom('handover as h')
        .select([
          sql<boolean>`coalesce(jsonb_array_length(h.summary -> 'openCarePlans'), 0) > 0`.as('carriedPlan'),
          'h.created_at as createdAt',
          'h.acknowledged_at as acknowledgedAt',
          'h.refused_at as refusedAt',
          (eb) =>
            eb
              .exists(
                eb
                  .selectFrom('self_harm_incident as i')
                  .select('i.id')
                  .whereRef('i.person_id', '=', 'h.person_id')
                  .whereRef('i.occurred_at', '<', 'h.created_at'),
              )
              .as('harmedBefore'),
        ])
        .where('h.kind', '=', 'transfer')
        .where('h.created_at', '<', new Date(`${today}T00:00:00Z`))
        .execute()
      const answered = handovers.filter((row) => row.acknowledgedAt !== null || row.refusedAt !== null)
      const late = (row: (typeof answered)[number]) =>
        row.refusedAt !== null ||
        new Date(row.acknowledgedAt!).getTime() - new Date(row.createdAt).getTime() >= 2 * 86_400_000
      const rate = (rows: typeof answered) => rows.filter(late).length / rows.length
      // The watch's group: people who had harmed themselves before the handover was sent, or on an open plan then.
      const group = answered.filter((row) => row.harmedBefore || row.carriedPlan)
      const others = answered.filter((row) => !row.harmedBefore && !row.carriedPlan)
      assert.ok(group.length >= 5 && others.length >= 20, `${group.length} and ${others.length} transfers`)
      assert.ok(rate(group) > 2 * rate(others), `${rate(group)} against ${rate(others)}`)
    })
  },
  // The day is fixed, so the demo's clock is noon that day and the estate the same on every run.
  { seed: 1, today, peopleAtFirst: 120 },
)
