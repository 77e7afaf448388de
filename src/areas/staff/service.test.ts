import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { testEngines, type TestDatabase } from '../../../test/support/database.ts'
import { givenEstablishment, givenStaffUser } from '../../../test/support/builders.ts'
import { givenStaffStatus, givenTraining } from '../../../test/support/staff-builders.ts'
import type { StaffService } from './service.ts'

for (const engine of testEngines()) {
  describe(`the staff service on ${engine.name}`, () => {
    let database: TestDatabase
    let staff: StaffService
    const clock = fixedClock('2026-11-25T09:00:00Z')

    before(async () => {
      database = await engine.open()
      staff = createServices({ db: database.db, clock }).staff
    })
    after(async () => {
      await database.close()
    })

    describe('officers for allocation', () => {
      it('lists officers and key workers at the establishment, whatever their status, with their latest training', async () => {
        const db = database.db
        const { code } = await givenEstablishment(db)
        const other = await givenEstablishment(db)
        const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [code] })
        const keyworker = await givenStaffUser(db, { role: 'keyworker', establishmentCodes: [code, other.code] })
        await givenStaffUser(db, { role: 'safercustody', establishmentCodes: [code] })
        await givenStaffUser(db, { role: 'officer', establishmentCodes: [other.code] })
        await givenStaffStatus(db, keyworker.id, {
          status: 'annual-leave',
          reactivationOn: '2026-12-07',
          caseloadLimit: 4,
        })
        await givenTraining(db, officer.id, 'safeguarding', '2023-01-10', '2025-01-10')
        await givenTraining(db, officer.id, 'safeguarding', '2025-01-12', '2027-01-12')
        await givenTraining(db, officer.id, 'mental-health-first-aid', '2024-03-01', null)
        await givenTraining(db, keyworker.id, 'trauma-informed', '2024-03-01', '2027-03-01')

        const officers = await staff.listOfficersForAllocation(code)

        assert.deepEqual(officers.map((o) => o.staffUserId).sort(), [officer.id, keyworker.id].sort())
        const o = officers.find((row) => row.staffUserId === officer.id)!
        assert.equal(o.role, 'officer')
        assert.equal(o.staffStatus, 'active')
        assert.equal(o.reactivationOn, null)
        assert.equal(o.caseloadLimitOverride, null)
        assert.equal(o.safeguardingExpiresOn, '2027-01-12')
        assert.equal(o.mentalHealthFirstAidExpiresOn, '9999-12-31')
        const k = officers.find((row) => row.staffUserId === keyworker.id)!
        assert.equal(k.staffStatus, 'annual-leave')
        assert.equal(k.reactivationOn, '2026-12-07')
        assert.equal(k.caseloadLimitOverride, 4)
        assert.equal(k.safeguardingExpiresOn, null)
        assert.equal(k.mentalHealthFirstAidExpiresOn, null)
      })
    })
  })
}
