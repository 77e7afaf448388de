import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, signedInAs } from '../../test/support/app.ts'
import { givenPerson } from '../../test/support/builders.ts'
import { givenCarePlanPrison } from '../../test/support/care-plan-builders.ts'
import { testEngines, type TestDatabase } from '../../test/support/database.ts'

/**
 * Issue 12: what a CSV download carries is typed by people (names from the roll, reasons, notes). Opened in a
 * spreadsheet, a cell that starts with = + - or @ would run as a formula; every download, as the route sends
 * it, neutralises one, whichever area wrote the file.
 */
const hostile = { firstName: '=HYPERLINK("http://evil.example","Open")', lastName: '@SUM(1+1)' }

for (const engine of testEngines()) {
  describe(`the CSV downloads, as sent, on ${engine.name}`, () => {
    let database: TestDatabase
    let app: FastifyInstance
    let lead: { username: string }

    before(async () => {
      database = await engine.open()
      const prison = await givenCarePlanPrison(database.db)
      lead = prison.lead
      await givenPerson(database.db, prison.code, { cellId: prison.cellId, ...hostile })
      app = await buildTestApp(database.db)
    })
    after(async () => {
      await app?.close()
      await database?.close()
    })

    // The ACCT alerts file holds codes, dates and ids only: nothing typed reaches it.
    for (const url of ['/roll/export.csv'])
      it(`sends no cell of ${url} that a spreadsheet would run`, async () => {
        const response = await (await signedInAs(app, lead.username)).get(url)
        assert.equal(response.statusCode, 200)
        assert.match(String(response.headers['content-type']), /^text\/csv/)
        const rows: string[][] = parse(response.body, { bom: true })
        const cells = rows.flat()
        assert.ok(
          cells.some((cell) => cell.includes('HYPERLINK')),
          'the hostile name is in the file',
        )
        assert.deepEqual(
          cells.filter((cell) => /^[=+\-@\t\r]/.test(cell)),
          [],
        )
      })
  })
}
