import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { reasonNeeded } from '../areas/attendance/rules.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'
import { givenEstablishment, givenPerson } from '../../test/support/builders.ts'
import { givenActivity, givenActivityAllocation } from '../../test/support/attendance-builders.ts'
import { demoRegisterDays, seedAttendanceDemo } from './attendance.ts'

const today = '2026-11-25'

for (const engine of testEngines())
  describe(`the attendance demo on ${engine.name}`, () => {
    let database: TestDatabase
    let groupId: string

    before(async () => {
      database = await engine.open()
      const prison = await givenEstablishment(database.db)
      // Fixed codes and prison numbers: the demo draws outcomes by hashing them, so the figures below must not
      // depend on the test process's id, which the builders' unique values contain.
      const course = await givenActivity(database.db, prison.code, {
        code: 'DEMO-ATTENDANCE-TEST',
        category: 'education',
        groups: [{ slots: ['MON_AM', 'WED_PM', 'SAT_ED'] }],
      })
      groupId = course.groups[0].id
      for (let n = 0; n < 30; n++) {
        const person = await givenPerson(database.db, prison.code, {
          prisonNumber: `D${String(2000 + n).padStart(4, '0')}AT`,
        })
        await givenActivityAllocation(database.db, person.id, groupId, '2026-10-01')
      }
    })
    after(async () => {
      await database.close()
    })

    it('takes registers for the last four weeks and the last seven days of each of the 11 months before', () => {
      const days = demoRegisterDays(today)
      // October's sample week (25th to 31st) runs into the last four weeks (from 28 October): four days once.
      assert.equal(days.length, 11 * 7 + 28 - 4)
      assert.ok(days.includes('2025-12-25') && days.includes('2025-12-31') && !days.includes('2025-12-24'))
      assert.ok(days.includes('2026-02-22') && days.includes('2026-02-28'))
      assert.equal(days.at(-1), '2026-11-24')
      assert.equal(new Set(days).size, days.length)
    })

    it('takes every register of the weeks before today, with a reason wherever one is needed', async () => {
      const result = await seedAttendanceDemo(database.db, { seed: 1, today })
      const rows = await database.db
        .selectFrom('attendance')
        .select(['session_on as sessionOn', 'slot', 'outcome', 'reason'])
        .where('group_id', '=', groupId)
        .execute()

      // Three sessions a week for thirty people, on the days with registers since they joined the group (the
      // last four weeks and the sample week at the end of October).
      const days = demoRegisterDays(today).filter((day) => day >= '2026-10-01')
      const sessionDays = days.filter((day) => [1, 3, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()))
      assert.equal(rows.length, 30 * sessionDays.length)
      assert.ok(
        rows.some((row) => row.sessionOn < '2026-10-28'),
        'the sample week at the end of October',
      )
      assert.equal(result.attendance, rows.length)
      assert.ok(rows.every((row) => row.sessionOn < today))
      assert.ok(rows.every((row) => (reasonNeeded(row.outcome) ? row.reason !== '' : row.reason === '')))
      const attended = rows.filter((row) => row.outcome === 'attended').length
      assert.ok(attended > rows.length * 0.6 && attended < rows.length, `${attended} of ${rows.length} attended`)
      // A cancelled session is cancelled for everyone on it.
      const sessions = new Map<string, Set<string>>()
      for (const row of rows) {
        const key = `${row.sessionOn}/${row.slot}`
        sessions.set(key, (sessions.get(key) ?? new Set()).add(row.outcome === 'cancelled' ? 'cancelled' : 'ran'))
      }
      assert.ok([...sessions.values()].every((kinds) => kinds.size === 1))
    })
  })
