import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { describeOnEachEngine } from '../../../../test/support/database.ts'
import { givenEstablishment, givenPerson } from '../../../../test/support/builders.ts'
import { givenActivity, givenWant } from '../../../../test/support/attendance-builders.ts'
import { regimeFacts } from './problem.ts'

describeOnEachEngine('regimeFacts', (database) => {
  let home: string

  /**
   * Two prisons, each with activities and people who want them with weights of their own (whole and not), an
   * activity closed, and people who moved away still wanting the home prison's activities.
   */
  before(async () => {
    const db = database.db
    home = (await givenEstablishment(db)).code
    const away = (await givenEstablishment(db)).code
    const activities = []
    for (const code of [home, home, home, away]) activities.push(await givenActivity(db, code))
    await db.updateTable('activity').set({ is_active: false }).where('id', '=', activities[2].id).execute()
    for (let i = 0; i < 30; i += 1) {
      const person = await givenPerson(db, i % 4 === 3 ? away : home)
      for (const [index, activity] of activities.entries())
        if ((i + index) % 3 !== 0) await givenWant(db, person.id, activity.id, 1 + ((i * 7 + index * 3) % 40) / 2)
    }
  })

  it('gives every want of the prison’s people for its open activities, each with its own weight', async () => {
    const expected = await database.db
      .selectFrom('person_activity_want as w')
      .innerJoin('person as p', 'p.id', 'w.person_id')
      .innerJoin('activity as a', 'a.id', 'w.activity_id')
      .select(['p.prison_number as prisonNumber', 'a.code as activityCode', 'w.weight'])
      .where('p.establishment_code', '=', home)
      .where('a.establishment_code', '=', home)
      .where('a.is_active', '=', true)
      .execute()
    const key = (want: { prisonNumber: string; activityCode: string; weight: number }) =>
      `${want.prisonNumber} ${want.activityCode} ${want.weight}`
    const { wants } = await regimeFacts(database.db, home)
    assert.deepEqual(wants.map(key).sort(), expected.map((row) => key({ ...row, weight: Number(row.weight) })).sort())
    assert.ok(wants.length > 20 && wants.some((want) => !Number.isInteger(want.weight)))
  })

  it('gives no wants for a prison whose people want nothing', async () => {
    const empty = (await givenEstablishment(database.db)).code
    await givenPerson(database.db, empty)
    await givenActivity(database.db, empty)
    assert.deepEqual((await regimeFacts(database.db, empty)).wants, [])
  })
})
