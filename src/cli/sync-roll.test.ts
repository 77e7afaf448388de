import { after, before, beforeEach, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { openDatabase } from '../db/database.ts'
import { givenEstablishment, uniquePrisonNumber } from '../../test/support/builders.ts'
import { commandDataDirectory } from '../../test/support/command-environment.ts'
import {
  prisonerRecord,
  releasedRecord,
  startPrisonerSearch,
  type PrisonerSearchStandIn,
} from '../../test/support/prisoner-search.ts'
import { givenCell, givenHeldPerson, rowCounts, whereHeld } from '../../test/support/roll-sync-builders.ts'
import { main } from './main.ts'

/**
 * `waymark sync-roll` on the embedded database in a folder of its own (`commandDataDirectory`), reading a prison's
 * roll from a Prisoner Search stand-in the test starts, or from a file.
 */
describe('waymark sync-roll', () => {
  const place = commandDataDirectory('waymark-sync-roll-')
  let search: PrisonerSearchStandIn
  const prison = { home: '', other: '' }
  const people = { movedIn: '', released: '', received: '', movesCell: '' }
  let errors: string[]
  let output: string[]

  const withDatabase = async <T>(read: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>) => {
    const handle = await openDatabase({ dataDirectory: place.dataDirectory })
    try {
      return await read(handle.db)
    } finally {
      await handle.close()
    }
  }

  before(async () => {
    await withDatabase(async (db) => {
      const home = await givenEstablishment(db)
      const other = await givenEstablishment(db)
      await givenCell(db, home.wingId, 'A-1-002')
      prison.home = home.code
      prison.other = other.code
      people.movedIn = (await givenHeldPerson(db, other.code, { cellId: other.cellId })).prisonNumber
      people.released = (await givenHeldPerson(db, home.code, { cellId: home.cellId })).prisonNumber
      people.movesCell = (await givenHeldPerson(db, home.code, { cellId: home.cellId })).prisonNumber
      people.received = uniquePrisonNumber()
    })
    search = await startPrisonerSearch({
      [prison.home]: [
        prisonerRecord({ prisonerNumber: people.received, prisonId: prison.home, cellLocation: 'A-1-002' }),
        prisonerRecord({ prisonerNumber: people.movedIn, prisonId: prison.home, cellLocation: 'A-1-001' }),
        releasedRecord({ prisonerNumber: people.released }),
        prisonerRecord({ prisonerNumber: people.movesCell, prisonId: prison.home, cellLocation: 'A-1-002' }),
      ],
    })
  })
  after(() => search.close())
  beforeEach(() => {
    errors = []
    output = []
    mock.method(console, 'error', (line: string) => void errors.push(line))
    mock.method(console, 'log', (line: string) => void output.push(line))
  })

  const syncRoll = (...args: string[]) => main(['sync-roll', '--establishment', prison.home, ...args])

  it('applies a reception, a transfer in, a move and a release, says what it did, and exits 0', async () => {
    const code = await syncRoll('--from', search.rollAddress(prison.home), '--page-size', '2')
    assert.equal(code, 0, errors.join('\n'))
    assert.deepEqual(errors, [
      `Roll from NOMIS for ${prison.home}: 4 record(s) on 2 page(s).`,
      '  received 1, moved cell 1, transferred in 1, transferred out 0, released 1, unchanged 0, waiting for a handover 0, refused 0',
    ])
    assert.deepEqual(output, [])
    const places = await withDatabase(async (db) => ({
      received: await whereHeld(db, people.received),
      movedIn: await whereHeld(db, people.movedIn),
      released: await whereHeld(db, people.released),
      movesCell: await whereHeld(db, people.movesCell),
    }))
    assert.deepEqual(
      Object.values(places).map((place) => [place?.establishmentCode, place?.cellLabel, place?.stage]),
      [
        [prison.home, 'A-1-002', `reception@${prison.home}`],
        [prison.home, 'A-1-001', `transfer-in@${prison.home}`],
        [prison.home, 'A-1-001', `release@${prison.home}`],
        [prison.home, 'A-1-002', `residential@${prison.home}`],
      ],
    )
  })

  it('changes nothing when the same feed comes again, and exits 0', async () => {
    const before = await withDatabase(rowCounts)
    assert.equal(await syncRoll('--from', search.rollAddress(prison.home)), 0, errors.join('\n'))
    assert.match(errors[1], /received 0, moved cell 0, transferred in 0, transferred out 0, released 0, unchanged 4,/)
    assert.deepEqual(await withDatabase(rowCounts), before)
  })

  it('reads a page again that failed once, and exits 0', async () => {
    search.requests.length = 0
    search.failPage(prison.home, 1, 1, 500)
    assert.equal(await syncRoll('--from', search.rollAddress(prison.home), '--page-size', '2'), 0, errors.join('\n'))
    assert.deepEqual(
      search.requests,
      [0, 1, 1].map((page) => `${prison.home}:${page}`),
    )
  })

  it('stops at a page that fails every time, says so, and exits 1', async () => {
    search.failPage(prison.home, 1, 4, 503)
    assert.equal(await syncRoll('--from', search.rollAddress(prison.home), '--page-size', '2'), 1)
    assert.equal(errors[0], `Roll from NOMIS for ${prison.home}: 2 record(s) on 1 page(s).`)
    assert.equal(
      errors.at(-1),
      'Stopped: page 1 answered 503, 4 times. What was read before it was applied; nothing was read after it. Run again to read the rest.',
    )
  })

  it('applies what it can from a file, lists each record refused by prison number and never by name, and exits 1', async () => {
    const arriving = uniquePrisonNumber()
    const file = path.join(place.folder, 'roll.json')
    await writeFile(
      file,
      JSON.stringify([
        prisonerRecord({ prisonerNumber: arriving, prisonId: prison.home, cellLocation: 'RECP' }),
        prisonerRecord({ prisonerNumber: uniquePrisonNumber(), prisonId: prison.home, cellLocation: 'X-9-999' }),
        prisonerRecord({ prisonerNumber: 'PRITCHARD', prisonId: prison.home }),
      ]),
    )
    assert.equal(await syncRoll('--from', file), 1)
    assert.match(errors[1], /received 1, .* refused 2$/)
    assert.match(
      errors[3],
      /^ {2}page 0, record 2 \(T\d{4}[A-Z]{2}\): names a cell this prison does not have in Waymark$/,
    )
    assert.equal(errors[4], '  page 0, record 3: has no prison number like A1234BC')
    assert.doesNotMatch(errors.join('\n'), /PRITCHARD|ALED/)
    assert.equal((await withDatabase((db) => whereHeld(db, arriving)))?.stage, `reception@${prison.home}`)
  })

  const badInput: [string, string[], RegExp][] = [
    ['no --from', [], /^Usage: waymark sync-roll/],
    ['an unknown option', ['--from', 'x.json', '--force'], /Unknown option '--force'/],
    ['a page size that is not a number', ['--from', 'x.json', '--page-size', 'many'], /^Usage/],
    ['a file that is not there', ['--from', '/nonexistent/roll.json'], /^Cannot read \/nonexistent\/roll\.json$/],
  ]
  for (const [what, args, message] of badInput)
    it(`exits 2 for ${what}`, async () => {
      assert.equal(await syncRoll(...args), 2)
      assert.match(errors[0], message)
    })

  it('exits 2 for a prison Waymark does not hold', async () => {
    const file = path.join(place.folder, 'empty.json')
    await writeFile(file, '[]')
    assert.equal(await main(['sync-roll', '--establishment', 'QQQ', '--from', file]), 2)
    assert.equal(errors[0], 'Nothing was applied: Waymark holds no establishment with the code QQQ.')
  })
})
