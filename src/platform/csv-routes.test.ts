import { before, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import { describePagesOnEachEngine } from '../../test/support/app.ts'
import { givenPerson } from '../../test/support/builders.ts'
import { givenCarePlanPrison } from '../../test/support/care-plan-builders.ts'

/**
 * Issue 12: what a CSV download carries is typed by people (names from the roll, reasons, notes). Opened in a
 * spreadsheet, a cell that starts with = + - or @ would run as a formula; every download, as the route sends
 * it, neutralises one, whichever area wrote the file.
 */
const hostile = { firstName: '=HYPERLINK("http://evil.example","Open")', lastName: '@SUM(1+1)' }

describePagesOnEachEngine('the CSV downloads, as sent', { home: givenCarePlanPrison }, (site) => {
  before(async () => {
    await givenPerson(site.db, site.home.code, { cellId: site.home.cellId, ...hostile })
  })

  // The ACCT alerts file holds codes, dates and ids only: nothing typed reaches it.
  for (const url of ['/roll/export.csv'])
    it(`sends no cell of ${url} that a spreadsheet would run`, async () => {
      const response = await (await site.as(site.home.lead)).get(url)
      assert.equal(response.statusCode, 200)
      assert.match(String(response.headers['content-type']), /^text\/csv/)
      assert.match(String(response.headers['content-disposition']), /^attachment; filename="[\w-]+\.csv"$/)
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
