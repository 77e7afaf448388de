import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import { NotFound } from '../../platform/errors.ts'
import { describeServicesOnEachEngine } from '../../../test/support/services.ts'
import {
  givenEstablishment,
  givenPerson,
  givenPrisonWithStaff,
  givenStaffUser,
  uniquePrisonNumber,
} from '../../../test/support/builders.ts'
import { rollColumns } from './rules.ts'
import { rollFile } from './test-roll-rows.ts'

describeServicesOnEachEngine('the people service', '2026-11-25T09:00:00Z', ({ database, services }) => {
  const importer = { id: null, username: 'waymark-import' }

  /**
   * The people on a prison's roll as they stand in the table, by prison number: the columns a roll file carries.
   * Read here, not through the store's export query: the round trip below checks that query, and would pass with
   * a column it dropped if it were read through it too.
   */
  const peopleIn = (establishmentCode: string) =>
    database.db
      .selectFrom('person as p')
      .leftJoin('cell as c', 'c.id', 'p.cell_id')
      .select([
        'p.prison_number',
        'p.first_name',
        'p.last_name',
        'p.date_of_birth',
        'p.cohort',
        'c.label as cell',
        'p.reception_on',
        'p.sex',
        'p.ethnicity',
        'p.religion',
        'p.disability',
        'p.sexual_orientation',
      ])
      .where('p.establishment_code', '=', establishmentCode)
      .orderBy('p.prison_number')
      .execute()

  const auditOf = (action: string, establishmentCode: string) =>
    database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', action)
      .where('establishment_code', '=', establishmentCode)
      .execute()

  describe('importRoll', () => {
    it('adds the people in a good file, in their cells, and records the import', async () => {
      const home = await givenEstablishment(database.db)
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([
          { prison_number: 'a1001bc', first_name: 'Aled', last_name: 'Pritchard' },
          { prison_number: 'A1002BC', wing: '', cell: '', ethnicity: '', religion: '' },
        ]),
      )
      assert.deepEqual(outcome, { imported: 2, problems: [] })
      const rows = await peopleIn(home.code)
      assert.deepEqual(
        rows.map((row) => [row.prison_number, row.last_name, row.cell, row.ethnicity]),
        [
          ['A1001BC', 'Pritchard', 'A-1-001', 'W1'],
          ['A1002BC', 'Person', null, null],
        ],
      )
      const [entry, ...others] = await auditOf('roll.imported', home.code)
      assert.equal(others.length, 0)
      assert.equal(entry.actor_username, 'waymark-import')
      assert.deepEqual(entry.details, { count: 2 })
    })

    it('saves nothing from a file with one bad row, and names its line and column', async () => {
      const home = await givenEstablishment(database.db)
      await givenPerson(database.db, home.code)
      const before = await peopleIn(home.code)
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([{}, {}, { cohort: 'segregation' }, {}]),
      )
      assert.equal(outcome.imported, 0)
      assert.deepEqual(
        outcome.problems.map(({ line, column }) => ({ line, column })),
        [{ line: 4, column: 'cohort' }],
      )
      assert.deepEqual(await peopleIn(home.code), before)
      assert.deepEqual(await auditOf('roll.imported', home.code), [])
    })

    it('lists every problem in the file, in line order', async () => {
      const home = await givenEstablishment(database.db)
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([{ reception_on: '2026-11-26' }, {}, { prison_number: 'A12BC', cell: 'A-9-999' }]),
      )
      assert.deepEqual(
        outcome.problems.map(({ line, column }) => `${line}:${column}`),
        ['2:reception_on', '4:prison_number'],
      )
    })

    it('refuses a cell that is not on the wing named', async () => {
      const home = await givenEstablishment(database.db)
      const outcome = await services.people.importRoll(importer, home.code, rollFile([{}, { cell: 'A-9-999' }]))
      assert.deepEqual(outcome.problems, [{ line: 3, column: 'cell', message: 'there is no cell A-9-999 on wing A' }])
      assert.deepEqual(await peopleIn(home.code), [])
    })

    it('refuses a prison number that belongs to a person in another establishment, and leaves them there', async () => {
      const home = await givenEstablishment(database.db)
      const elsewhere = await givenEstablishment(database.db)
      const theirs = await givenPerson(database.db, elsewhere.code, { lastName: 'Elsewhere' })
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([{}, { prison_number: theirs.prisonNumber, last_name: 'Taken' }]),
      )
      assert.equal(outcome.imported, 0)
      assert.deepEqual(outcome.problems, [
        {
          line: 3,
          column: 'prison_number',
          message: 'belongs to a person in another establishment: transfer them first',
        },
      ])
      assert.deepEqual(await peopleIn(home.code), [])
      assert.deepEqual(
        (await peopleIn(elsewhere.code)).map((row) => row.last_name),
        ['Elsewhere'],
      )
    })

    it('names each column missing from the header, on line 1', async () => {
      const home = await givenEstablishment(database.db)
      const columns = rollColumns.filter((column) => column !== 'cohort' && column !== 'religion')
      const outcome = await services.people.importRoll(importer, home.code, rollFile([{}], columns))
      assert.deepEqual(outcome, {
        imported: 0,
        problems: [
          { line: 1, column: 'cohort', message: 'this column is missing from the header' },
          { line: 1, column: 'religion', message: 'this column is missing from the header' },
        ],
      })
    })

    it('reports a file that is not valid CSV and saves nothing', async () => {
      const home = await givenEstablishment(database.db)
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        `${rollFile([{}])}T1111AA,"Unclosed,Person,1990-04-17,mainstream,,,2026-10-01,M,W1,none,no,heterosexual\n`,
      )
      assert.equal(outcome.imported, 0)
      assert.equal(outcome.problems.length, 1)
      assert.equal(outcome.problems[0].line, 3)
      assert.match(outcome.problems[0].message, /is not valid CSV \(Quote Not Closed\)/)
      assert.deepEqual(await peopleIn(home.code), [])
    })

    it('refuses an establishment that does not exist', async () => {
      const outcome = await services.people.importRoll(importer, 'QQQ', rollFile([{}]))
      assert.equal(outcome.imported, 0)
      assert.match(outcome.problems[0].message, /no establishment with the code QQQ/)
    })

    it('updates the people already on the roll when a file is imported again', async () => {
      const home = await givenEstablishment(database.db)
      const prisonNumber = uniquePrisonNumber()
      await services.people.importRoll(
        importer,
        home.code,
        rollFile([{ prison_number: prisonNumber, last_name: 'Jones' }]),
      )
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([{ prison_number: prisonNumber, last_name: 'Jones-Evans', wing: '', cell: '', cohort: 'vulnerable' }]),
      )
      assert.equal(outcome.imported, 1)
      const rows = await peopleIn(home.code)
      assert.equal(rows.length, 1)
      assert.equal(rows[0].last_name, 'Jones-Evans')
      assert.equal(rows[0].cohort, 'vulnerable')
      assert.equal(rows[0].cell, null)
    })

    it('imports a national-sized file in one go, past the 65,535 values one statement can carry', async () => {
      const home = await givenEstablishment(database.db)
      const count = 66_000
      const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
      const prisonNumbers = Array.from(
        { length: count },
        (_, n) => `L${String(n % 10_000).padStart(4, '0')}${letters[Math.floor(n / 10_000)]}${letters[n % 24]}`,
      )
      const file = rollFile(prisonNumbers.map((prison_number) => ({ prison_number, wing: '', cell: '' })))
      assert.deepEqual(await services.people.importRoll(importer, home.code, file), { imported: count, problems: [] })
      const [{ onRoll }] = await database.db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<string>().as('onRoll'))
        .where('establishment_code', '=', home.code)
        .execute()
      assert.equal(Number(onRoll), count)
    })

    it('says an empty file is empty, once, instead of naming every column as missing', async () => {
      const home = await givenEstablishment(database.db)
      assert.deepEqual(await services.people.importRoll(importer, home.code, '\uFEFF\r\n'), {
        imported: 0,
        problems: [
          {
            line: 1,
            column: '',
            message: 'the file is empty: it needs a header line naming the 13 columns, then one line for each person',
          },
        ],
      })
    })

    it('refuses a NUL in a name by its line and column, and saves nothing', async () => {
      const home = await givenEstablishment(database.db)
      const outcome = await services.people.importRoll(
        importer,
        home.code,
        rollFile([{}, { first_name: 'Al\u0000ed' }]),
      )
      assert.deepEqual(
        outcome.problems.map(({ line, column }) => `${line}:${column}`),
        ['3:11'],
      )
      assert.deepEqual(await peopleIn(home.code), [])
    })
  })

  describe('exportRoll', () => {
    it('writes a file that imports again unchanged', async () => {
      const { governor, ...home } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
      const first = await services.people.importRoll(
        importer,
        home.code,
        rollFile([
          { first_name: 'Siân', last_name: 'O’Brien, Jr', religion: 'christian' },
          { wing: '', cell: '', sex: '', ethnicity: 'NS', disability: '', sexual_orientation: '' },
          { last_name: 'Says "hello"', cohort: 'induction' },
        ]),
      )
      assert.equal(first.imported, 3)
      const before = await peopleIn(home.code)
      const { csv, count } = await services.people.exportRoll(governor)
      assert.equal(count, 3)
      assert.equal(csv.split('\r\n')[0], rollColumns.join(','))
      assert.deepEqual(await services.people.importRoll(importer, home.code, csv), { imported: 3, problems: [] })
      assert.deepEqual(await peopleIn(home.code), before)
      const [entry] = await auditOf('roll.exported', home.code)
      assert.equal(entry.actor_id, governor.id)
      assert.deepEqual(entry.details, { count: 3 })
    })

    it('exports only the roll of the establishment the user is working in', async () => {
      const home = await givenEstablishment(database.db)
      const elsewhere = await givenEstablishment(database.db)
      const governor = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [home.code] })
      const mine = await givenPerson(database.db, home.code)
      const theirs = await givenPerson(database.db, elsewhere.code)
      const { csv } = await services.people.exportRoll(governor)
      assert.match(csv, new RegExp(mine.prisonNumber))
      assert.doesNotMatch(csv, new RegExp(theirs.prisonNumber))
    })

    it('stops a name that starts like a spreadsheet formula from running as one', async () => {
      const { governor, ...home } = await givenPrisonWithStaff(database.db, { governor: 'governor' })
      const formulas = ['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)']
      for (const firstName of formulas) await givenPerson(database.db, home.code, { firstName })
      const { csv } = await services.people.exportRoll(governor)
      const names = parse<Record<string, string>>(csv, { columns: true }).map((row) => row.first_name)
      assert.deepEqual(names.sort(), formulas.map((formula) => `'${formula}`).sort())
    })
  })

  describe('viewPerson', () => {
    let home: { code: string }
    let second: { code: string }
    let person: { id: string; prisonNumber: string }
    before(async () => {
      home = await givenEstablishment(database.db)
      second = await givenEstablishment(database.db)
      person = await givenPerson(database.db, home.code, { dateOfBirth: '1996-11-25', ethnicity: 'B2' })
    })

    it('shows an officer the person’s protected characteristics and age band', async () => {
      const officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })
      const view = await services.people.viewPerson(officer, person.prisonNumber)
      assert.equal(view.person.age, 30)
      assert.deepEqual(view.characteristics, {
        ageBand: '30-39',
        sex: 'M',
        ethnicity: 'B2',
        religion: 'none',
        disability: 'no',
        sexualOrientation: 'heterosexual',
      })
    })

    it('shows a partner worker the person but none of their protected characteristics', async () => {
      const partner = await givenStaffUser(database.db, { role: 'partner', establishmentCodes: [home.code] })
      const view = await services.people.viewPerson(partner, person.prisonNumber)
      assert.equal(view.person.prisonNumber, person.prisonNumber)
      assert.equal(view.characteristics, null)
      assert.ok(!JSON.stringify(view).includes('B2'))
    })

    it('records each view in the audit trail against the person and the viewer', async () => {
      const monitor = await givenStaffUser(database.db, { role: 'monitor', establishmentCodes: [home.code] })
      await services.people.viewPerson(monitor, person.prisonNumber.toLowerCase())
      const entries = await database.db
        .selectFrom('audit_event')
        .selectAll()
        .where('person_id', '=', person.id)
        .where('actor_id', '=', monitor.id)
        .execute()
      assert.deepEqual(
        entries.map((entry) => [entry.action, entry.establishment_code]),
        [['person.viewed', home.code]],
      )
    })

    it('finds a person in any of the user’s establishments, not only the one they are working in', async () => {
      const governor = await givenStaffUser(database.db, {
        role: 'governor',
        establishmentCodes: [second.code, home.code],
      })
      assert.equal(governor.establishmentCode, second.code)
      assert.equal((await services.people.viewPerson(governor, person.prisonNumber)).person.id, person.id)
    })

    it('treats a person in another establishment as not found, and records nothing', async () => {
      const outsider = await givenStaffUser(database.db, { role: 'governor', establishmentCodes: [second.code] })
      await assert.rejects(services.people.viewPerson(outsider, person.prisonNumber), NotFound)
      const entries = await database.db
        .selectFrom('audit_event')
        .select('id')
        .where('actor_id', '=', outsider.id)
        .execute()
      assert.deepEqual(entries, [])
    })

    it('treats something that is not a prison number as not found', async () => {
      const officer = await givenStaffUser(database.db, { role: 'officer', establishmentCodes: [home.code] })
      await assert.rejects(services.people.viewPerson(officer, "A1234BC' or 1=1"), NotFound)
    })
  })
})
