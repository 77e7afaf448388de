import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServices } from '../../app.ts'
import { queryCounter } from '../../db/query-counter.ts'
import { NotFound } from '../../platform/errors.ts'
import type { Actor } from '../../platform/permissions.ts'
import { givenEstablishment, givenPerson, givenStaffUser } from '../../../test/support/builders.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import { rollFile, type RollRow } from './test-roll-rows.ts'

describeServicesOnEachEngine('the roll', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const importer = { id: null, username: 'waymark-import' }

  describe('viewRoll', () => {
    let roll: { code: string }
    let officer: Actor
    before(async () => {
      const establishment = await givenEstablishment(database.db)
      roll = establishment
      const wingB = await database.db
        .insertInto('wing')
        .values({ establishment_code: roll.code, code: 'B', name: 'B wing' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await database.db.insertInto('cell').values({ wing_id: wingB.id, landing: 1, label: 'B-1-001' }).execute()
      officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [roll.code] })
      const rows: RollRow[] = Array.from({ length: 52 }, (_, n) => ({
        first_name: 'Test',
        last_name: `Person${String(n).padStart(2, '0')}`,
      }))
      rows.push(
        { prison_number: 'R1234AB', first_name: 'Aled', last_name: 'Pritchard', wing: 'B', cell: 'B-1-001' },
        { prison_number: 'R1235AB', first_name: 'Rhys', last_name: 'Pritchard', wing: 'B', cell: 'B-1-001' },
        { prison_number: 'R1236AB', first_name: 'Dewi', last_name: 'Per_cent' },
      )
      const outcome = await services.people.importRoll(importer, roll.code, rollFile(rows))
      assert.equal(outcome.imported, 55)
    })

    it('finds a person by prison number, typed in any case', async () => {
      const result = await services.people.viewRoll(officer, { search: 'r1234ab' })
      assert.equal(result.total, 1)
      assert.equal(result.people[0].prisonNumber, 'R1234AB')
    })

    it('finds a person by first name and surname together', async () => {
      const result = await services.people.viewRoll(officer, { search: 'aled PRIT' })
      assert.deepEqual(
        result.people.map((person) => person.prisonNumber),
        ['R1234AB'],
      )
    })

    it('finds everyone with a surname', async () => {
      const result = await services.people.viewRoll(officer, { search: 'Pritchard' })
      assert.deepEqual(
        result.people.map((person) => person.firstName),
        ['Aled', 'Rhys'],
      )
    })

    it('treats % and _ in a search as letters, not wildcards', async () => {
      assert.deepEqual(
        (await services.people.viewRoll(officer, { search: 'per_c' })).people.map((person) => person.lastName),
        ['Per_cent'],
      )
      assert.equal((await services.people.viewRoll(officer, { search: '%' })).total, 0)
    })

    it('shows only the people on the wing chosen', async () => {
      const result = await services.people.viewRoll(officer, { wingCode: 'B' })
      assert.equal(result.total, 2)
      assert.ok(result.people.every((person) => person.wingCode === 'B' && person.cellLabel === 'B-1-001'))
      assert.deepEqual(
        result.wings.map((wing) => wing.code),
        ['A', 'B'],
      )
    })

    it('shows 50 people a page in surname order, and the rest on the next page', async () => {
      const first = await services.people.viewRoll(officer, {})
      assert.equal(first.total, 55)
      assert.equal(first.pageCount, 2)
      assert.equal(first.people.length, 50)
      assert.equal(first.people[0].lastName, 'Per_cent')
      const second = await services.people.viewRoll(officer, { page: 2 })
      assert.equal(second.page, 2)
      assert.deepEqual(
        second.people.map((person) => `${person.lastName}, ${person.firstName}`),
        ['Person49, Test', 'Person50, Test', 'Person51, Test', 'Pritchard, Aled', 'Pritchard, Rhys'],
      )
      const firstNumbers = new Set(first.people.map((person) => person.prisonNumber))
      assert.ok(second.people.every((person) => !firstNumbers.has(person.prisonNumber)))
    })

    it('shows the last page when asked for a page past the end', async () => {
      const result = await services.people.viewRoll(officer, { page: 99 })
      assert.equal(result.page, 2)
      assert.equal(result.people.length, 5)
    })

    it('shows no one from another establishment', async () => {
      const stranger = await givenPerson(database.db, (await givenEstablishment(database.db)).code)
      assert.equal((await services.people.viewRoll(officer, { search: stranger.prisonNumber })).total, 0)
    })

    it('asks the database twice for a page of the roll, searched, filtered by wing or neither', async () => {
      // Added after B, so that the wings come back in the order of their codes only if they are put in it.
      const wingAA = await database.db
        .insertInto('wing')
        .values({ establishment_code: roll.code, code: 'AA', name: 'AA wing' })
        .returning('id')
        .executeTakeFirstOrThrow()
      try {
        const { counted, plugin } = queryCounter()
        const people = createServices({ db: database.db.withPlugin(plugin) }).people
        for (const query of [{}, { search: 'Pritchard' }, { wingCode: 'B', page: 2 }]) {
          counted.queries = 0
          const result = await people.viewRoll(officer, query)
          assert.equal(counted.queries, 2, `for ${JSON.stringify(query)}`)
          assert.deepEqual(result.establishment, {
            code: roll.code,
            name: `HMP Test ${roll.code}`,
            function: 'reception',
            isInWales: false,
          })
          assert.deepEqual(
            result.wings.map((wing) => [typeof wing.id, wing.code, wing.name]),
            [
              ['number', 'A', 'A wing'],
              ['number', 'AA', 'AA wing'],
              ['number', 'B', 'B wing'],
            ],
          )
        }
      } finally {
        await database.db.deleteFrom('wing').where('id', '=', wingAA.id).execute()
      }
    })

    it('finds no roll for an establishment that is not there', async () => {
      // Not a code the test builders make (theirs begin with Z).
      await assert.rejects(
        services.people.viewRoll({ ...officer, establishmentCode: 'AAA' }, {}),
        (error: unknown) => error instanceof NotFound,
      )
    })
  })
})
