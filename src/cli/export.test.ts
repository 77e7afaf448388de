import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { givenEstablishment, givenPerson } from '../../test/support/builders.ts'
import { rollColumns } from '../areas/people/rules.ts'
import { exportRoll } from './export.ts'
import { importRoll } from './import.ts'
import { commandOnDatabaseOfItsOwn } from '../../test/support/command-environment.ts'

/** `waymark export` on the embedded database in a folder of its own (`commandOnDatabaseOfItsOwn`). */
describe('waymark export', () => {
  let establishmentCode: string
  const command = commandOnDatabaseOfItsOwn('waymark-export-', async (db) => {
    const home = await givenEstablishment(db)
    establishmentCode = home.code
    await givenPerson(db, home.code, { firstName: 'Aled', lastName: 'Pritchard', cellId: home.cellId })
    await givenPerson(db, home.code, { firstName: '=HYPERLINK("http://evil.example")', lastName: '+Jones' })
  })
  const { errors } = command

  it('writes the roll in the import format, records the export, and exits 0', async () => {
    const out = path.join(command.folder, 'roll.csv')
    assert.equal(await exportRoll(['--establishment', establishmentCode.toLowerCase(), '--out', out]), 0)
    assert.deepEqual(errors, [`Wrote 2 people to ${out}`])
    const csv = await readFile(out, 'utf8')
    assert.equal(csv.split('\r\n')[0], rollColumns.join(','))
    const rows = parse<Record<string, string>>(csv, { columns: true })
    assert.deepEqual(rows.map((row) => row.last_name).sort(), ["'+Jones", 'Pritchard'])
    const entries = await command.inDatabase((db) =>
      db
        .selectFrom('audit_event')
        .select(['actor_username', 'details'])
        .where('action', '=', 'roll.exported')
        .where('establishment_code', '=', establishmentCode)
        .execute(),
    )
    assert.deepEqual(entries, [{ actor_username: 'waymark-export', details: { count: 2 } }])
  })

  it('stops a name that starts like a spreadsheet formula from running as one, as the roll page download does', async () => {
    const out = path.join(command.folder, 'formulas.csv')
    assert.equal(await exportRoll(['--establishment', establishmentCode, '--out', out]), 0)
    const rows = parse<Record<string, string>>(await readFile(out, 'utf8'), { columns: true })
    assert.ok(rows.some((row) => row.first_name === `'=HYPERLINK("http://evil.example")`))
    assert.ok(rows.every((row) => !/^[=+\-@]/.test(row.first_name) && !/^[=+\-@]/.test(row.last_name)))
  })

  it('writes a file that `waymark import` takes back without a problem', async () => {
    const out = path.join(command.folder, 'round-trip.csv')
    assert.equal(await exportRoll(['--establishment', establishmentCode, '--out', out]), 0)
    assert.equal(await importRoll([out, '--establishment', establishmentCode]), 0, errors.join('\n'))
  })

  it('exits 2 for an establishment that does not exist', async () => {
    assert.equal(await exportRoll(['--establishment', 'QQQ']), 2)
    assert.deepEqual(errors, ['No establishment with the code QQQ'])
  })

  it('exits 2 without an establishment, with the usage', async () => {
    assert.equal(await exportRoll([]), 2)
    assert.match(errors.join('\n'), /Usage: waymark export --establishment CODE \[--out roll\.csv\]/)
  })
})
