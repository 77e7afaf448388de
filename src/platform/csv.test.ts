import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import { toCsv } from './csv.ts'

describe('toCsv', () => {
  it('quotes commas and quotes, ends lines with CRLF, and writes nothing for a missing cell', () => {
    assert.equal(toCsv(['a', 'b', 'c'], [['x, y', 'say "hi"', null]]), 'a,b,c\r\n"x, y","say ""hi""",\r\n')
  })

  for (const start of ['=', '+', '-', '@', '\t', '\r'])
    it(`writes a text cell starting with ${JSON.stringify(start)} as text, not a formula`, () => {
      const rows: string[][] = parse(toCsv(['name'], [[`${start}HYPERLINK("http://x")`]]))
      assert.equal(rows[1]?.[0], `'${start}HYPERLINK("http://x")`)
    })

  it('leaves numbers, negative ones too, as numbers', () => {
    assert.equal(toCsv(['change'], [[-3], [2.5]]), 'change\r\n-3\r\n2.5\r\n')
  })
})
