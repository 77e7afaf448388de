import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { givenEstablishment } from '../../test/support/builders.ts'
import { ROLL_FILE_MAX_BYTES, rollColumns } from '../areas/people/rules.ts'
import { aRollRow, rollLine } from '../areas/people/test-roll-rows.ts'
import { importRoll } from './import.ts'
import { commandOnDatabaseOfItsOwn } from '../../test/support/command-environment.ts'

const header = rollColumns.join(',')
const row = (prisonNumber: string, cohort = 'mainstream') => rollLine(aRollRow({ prison_number: prisonNumber, cohort }))
/** A row's columns after the names, for a row whose names are written byte by byte. */
const afterNames = row('X').split(',').slice(3).join(',')

/** `waymark import` on the embedded database in a folder of its own (`commandOnDatabaseOfItsOwn`). */
describe('waymark import', () => {
  let establishmentCode: string
  const command = commandOnDatabaseOfItsOwn('waymark-import-', async (db) => {
    establishmentCode = (await givenEstablishment(db)).code
  })
  const { errors, output } = command

  const fileWith = async (name: string, lines: string[]) => {
    const file = path.join(command.folder, name)
    await writeFile(file, [header, ...lines].join('\n') + '\n')
    return file
  }

  const prisonNumbersOnRoll = async () => {
    const rows = await command.inDatabase((db) =>
      db
        .selectFrom('person')
        .select('prison_number')
        .where('establishment_code', '=', establishmentCode)
        .orderBy('prison_number')
        .execute(),
    )
    return rows.map((person) => person.prison_number)
  }

  it('imports a good file, says how many, and exits 0', async () => {
    const file = await fileWith('good.csv', [row('C1001AA'), row('C1002AA')])
    const code = await importRoll([file, '--establishment', establishmentCode.toLowerCase()])
    assert.equal(code, 0, errors.join('\n'))
    assert.deepEqual(output, [`Imported 2 people into ${establishmentCode}.`])
    assert.deepEqual(await prisonNumbersOnRoll(), ['C1001AA', 'C1002AA'])
  })

  it('lists each problem by line and column, saves nothing, and exits 1', async () => {
    const before = await prisonNumbersOnRoll()
    const file = await fileWith('bad.csv', [row('C2001AA'), row('C2002AA', 'segregation')])
    const code = await importRoll([file, '--establishment', establishmentCode])
    assert.equal(code, 1)
    assert.match(errors[0], /^Nothing was imported\. 1 problem\(s\) in .*bad\.csv:$/)
    assert.match(errors[1], /^ {2}line 3, column cohort: must be one of mainstream, vulnerable, induction$/)
    assert.deepEqual(await prisonNumbersOnRoll(), before)
  })

  it('exits 1 for an establishment that does not exist', async () => {
    const file = await fileWith('elsewhere.csv', [row('C3001AA')])
    assert.equal(await importRoll([file, '--establishment', 'QQQ']), 1)
    assert.match(errors.join('\n'), /no establishment with the code QQQ/)
  })

  const fileOfBytes = async (name: string, ...parts: (string | number[])[]) => {
    const file = path.join(command.folder, name)
    await writeFile(
      file,
      Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part)))),
    )
    return file
  }

  it('takes a file saved with a UTF-8 byte-order mark, as Excel saves "CSV UTF-8"', async () => {
    const file = await fileOfBytes('excel.csv', [0xef, 0xbb, 0xbf], `${header}\r\n${row('C4001AA')}\r\n`)
    assert.equal(await importRoll([file, '--establishment', establishmentCode]), 0, errors.join('\n'))
    assert.ok((await prisonNumbersOnRoll()).includes('C4001AA'))
  })

  const unreadable: [string, () => Promise<string>, RegExp][] = [
    [
      'a NUL byte in a name, by its line and column',
      () => fileOfBytes('nul.csv', `${header}\n${row('C5001AA')}\nC5002AA,Al`, [0], `ed,Pritchard,${afterNames}\n`),
      /^ {2}line 3, column 11: has a NUL character \(U\+0000\), which a roll file cannot hold/,
    ],
    [
      'a file saved as Latin-1, naming the first line that is not UTF-8 and saying to save it as UTF-8',
      () =>
        fileOfBytes(
          'latin1.csv',
          `${header}\n${row('C6001AA')}\nC6002AA,Ren`,
          [0xe9],
          `e,Dubois,${afterNames}\nC6003AA,Zo`,
          [0xeb],
          `,Dubois,${afterNames}\n`,
        ),
      /^ {2}line 3, column 12: is not UTF-8 text: save it as "CSV UTF-8" and import it again$/,
    ],
    [
      'a UTF-16 file with its byte-order mark, naming it as UTF-16',
      () =>
        fileOfBytes('utf16.csv', [0xff, 0xfe], Buffer.from(`${header}\n${row('C7001AA')}\n`, 'utf16le').toJSON().data),
      /^ {2}line 1: the file is UTF-16 text: save it as "CSV UTF-8" and import it again$/,
    ],
    [
      'a UTF-16 file without a byte-order mark',
      () => fileOfBytes('utf16be.csv', Buffer.from(`${header}\n`, 'utf16le').swap16().toJSON().data),
      /^ {2}line 1: the file is UTF-16 text/,
    ],
    [
      'an empty file, saying it is empty rather than listing every column as missing',
      () => fileOfBytes('empty.csv', '\n'),
      /^ {2}line 1: the file is empty: it needs a header line naming the 13 columns, then one line for each person$/,
    ],
  ]
  for (const [what, given, message] of unreadable)
    it(`exits 2 for ${what}, and saves nothing`, async () => {
      const before = await prisonNumbersOnRoll()
      const file = await given()
      assert.equal(await importRoll([file, '--establishment', establishmentCode]), 2)
      assert.match(errors[0], /^Nothing was imported\. .* cannot be read as a roll file:$/)
      assert.match(errors[1], message)
      assert.equal(errors.length, 2)
      assert.deepEqual(await prisonNumbersOnRoll(), before)
    })

  it('exits 2 for a file over the size limit, saying the limit and to split it', async () => {
    const file = path.join(command.folder, 'huge.csv')
    await writeFile(file, '')
    await truncate(file, ROLL_FILE_MAX_BYTES + 1)
    assert.equal(await importRoll([file, '--establishment', establishmentCode]), 2)
    assert.deepEqual(errors, [
      `Nothing was imported. ${file} is 101 MB, over the limit of 100 MB for a roll file: split it into smaller files and import each.`,
    ])
  })

  const badInput: [string, string[], RegExp][] = [
    ['no file and no establishment', [], /^Usage: waymark import roll\.csv --establishment CODE$/],
    ['a file but no establishment', ['roll.csv'], /^Usage: waymark import/],
    ['two files', ['a.csv', 'b.csv', '--establishment', 'LEI'], /^Usage: waymark import/],
    ['an unknown option', ['roll.csv', '--establishment', 'LEI', '--force'], /Unknown option '--force'/],
    [
      'a file that cannot be read',
      ['/no/such/roll.csv', '--establishment', 'LEI'],
      /^Cannot read \/no\/such\/roll\.csv$/,
    ],
  ]
  for (const [what, args, message] of badInput)
    it(`exits 2 for ${what}, saying what is wrong`, async () => {
      assert.equal(await importRoll(args), 2)
      assert.match(errors.join('\n'), message)
    })
})
