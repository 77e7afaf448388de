import { it } from 'node:test'
import assert from 'node:assert/strict'
import { givenEstablishment, givenStaffUser } from '../../../test/support/builders.ts'
import { givenTraining } from '../../../test/support/staff-builders.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'

describeServicesOnEachEngine('the staff training measures (M1)', '2026-11-25T09:00:00Z', ({ database, services }) => {
  it('count everyone at the prison, not the page of the staff list a person would see first', async () => {
    const here = await givenEstablishment(database.db, { function: 'training' })
    const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [here.code] })
    // 55 officers with current mental health first aid and trauma-informed training, and the governor without:
    // more than the staff list shows to a page.
    for (let n = 0; n < 55; n += 1) {
      const officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [here.code] })
      await givenTraining(database.db, officer.id, 'mental-health-first-aid', '2026-01-01', '2028-01-01')
      await givenTraining(database.db, officer.id, 'trauma-informed', '2026-01-01', '2028-01-01')
    }
    const view = await services.measures.dashboard(governor)
    const figure = (code: string) => view.measures.find((measure) => measure.code === code)?.value
    assert.equal(figure('training-mental-health-first-aid'), 98.2, '55 of 56')
    assert.equal(figure('training-trauma-informed'), 98.2, '55 of 56')
  })
})
