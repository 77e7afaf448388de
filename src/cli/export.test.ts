import { after, before, beforeEach, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { openDatabase } from '../db/database.ts'
import { givenEstablishment, givenPerson } from '../../test/support/builders.ts'
import { givenDataDirectory } from '../../test/support/database.ts'
import { rollColumns } from '../areas/people/rules.ts'
import { exportRoll } from './export.ts'
import { importRoll } from './import.ts'

/** `waymark export` on the embedded database in a folder of its own (see import.test.ts). */
describe('waymark export', () => {
  let folder: string
  let dataDirectory: string
  let establishmentCode: string
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL }
  let errors: string[]

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'waymark-export-'))
    dataDirectory = path.join(folder, 'data')
    await givenDataDirectory(dataDirectory)
    const handle = await openDatabase({ dataDirectory })
    const home = await givenEstablishment(handle.db)
    establishmentCode = home.code
    await givenPerson(handle.db, home.code, { firstName: 'Aled', lastName: 'Pritchard', cellId: home.cellId })
    await givenPerson(handle.db, home.code, { firstName: '=HYPERLINK("http://evil.example")', lastName: '+Jones' })
    await handle.close()
    process.env.DATA_DIR = dataDirectory
    delete process.env.DATABASE_URL
  })
  after(async () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    await rm(folder, { recursive: true, force: true })
  })
  beforeEach(() => {
    errors = []
    mock.method(console, 'error', (line: string) => void errors.push(line))
    mock.method(console, 'log', () => undefined)
  })

  it('writes the roll in the import format, records the export, and exits 0', async () => {
    const out = path.join(folder, 'roll.csv')
    assert.equal(await exportRoll(['--establishment', establishmentCode.toLowerCase(), '--out', out]), 0)
    assert.deepEqual(errors, [`Wrote 2 people to ${out}`])
    const csv = await readFile(out, 'utf8')
    assert.equal(csv.split('\r\n')[0], rollColumns.join(','))
    const rows = parse<Record<string, string>>(csv, { columns: true })
    assert.deepEqual(rows.map((row) => row.last_name).sort(), ["'+Jones", 'Pritchard'])
    const handle = await openDatabase({ dataDirectory })
    try {
      const entries = await handle.db
        .selectFrom('audit_event')
        .select(['actor_username', 'details'])
        .where('action', '=', 'roll.exported')
        .where('establishment_code', '=', establishmentCode)
        .execute()
      assert.deepEqual(entries, [{ actor_username: 'waymark-export', details: { count: 2 } }])
    } finally {
      await handle.close()
    }
  })

  it('stops a name that starts like a spreadsheet formula from running as one, as the roll page download does', async () => {
    const out = path.join(folder, 'formulas.csv')
    assert.equal(await exportRoll(['--establishment', establishmentCode, '--out', out]), 0)
    const rows = parse<Record<string, string>>(await readFile(out, 'utf8'), { columns: true })
    assert.ok(rows.some((row) => row.first_name === `'=HYPERLINK("http://evil.example")`))
    assert.ok(rows.every((row) => !/^[=+\-@]/.test(row.first_name) && !/^[=+\-@]/.test(row.last_name)))
  })

  it('writes a file that `waymark import` takes back without a problem', async () => {
    const out = path.join(folder, 'round-trip.csv')
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
