import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  ageBandOf,
  ageOn,
  ethnicGroupOf,
  isPrisonNumber,
  normalisePrisonNumber,
  rollColumns,
  rollFileText,
  rollRowProblems,
  type AgeBand,
} from './rules.ts'
import { aRollRow } from './test-roll-rows.ts'

describe('isPrisonNumber', () => {
  const cases: [string, boolean][] = [
    ['A1234BC', true],
    ['Z0000ZZ', true],
    ['a1234bc', false],
    ['A1234B', false],
    ['A12345BC', false],
    ['AB1234C', false],
    ['11234BC', false],
    ['A1234B1', false],
    [' A1234BC', false],
    ['A1234BC ', false],
    ['', false],
  ]
  for (const [value, expected] of cases)
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
      assert.equal(isPrisonNumber(value), expected)
    })

  it('accepts a number typed in lower case with spaces once it is normalised', () => {
    assert.equal(normalisePrisonNumber('  a1234bc '), 'A1234BC')
    assert.equal(isPrisonNumber(normalisePrisonNumber('  a1234bc ')), true)
  })
})

describe('ageOn', () => {
  const cases: [dateOfBirth: string, today: string, age: number][] = [
    ['1990-04-17', '2026-04-17', 36],
    ['1990-04-17', '2026-04-16', 35],
    ['1990-04-17', '2026-04-18', 36],
    ['1990-12-31', '2026-01-01', 35],
    ['1990-01-01', '2026-12-31', 36],
    ['2008-04-17', '2026-04-17', 18],
    ['2008-04-17', '2026-04-16', 17],
  ]
  for (const [dateOfBirth, today, age] of cases)
    it(`is ${age} on ${today} for someone born on ${dateOfBirth}`, () => {
      assert.equal(ageOn(dateOfBirth, today), age)
    })

  it('counts someone born on 29 February a year older on 1 March in a year without one', () => {
    assert.equal(ageOn('2000-02-29', '2026-02-28'), 25)
    assert.equal(ageOn('2000-02-29', '2026-03-01'), 26)
  })
})

describe('ageBandOf', () => {
  const cases: [number, AgeBand][] = [
    [17, 'under-18'],
    [18, '18-20'],
    [20, '18-20'],
    [21, '21-24'],
    [24, '21-24'],
    [25, '25-29'],
    [29, '25-29'],
    [30, '30-39'],
    [39, '30-39'],
    [40, '40-49'],
    [49, '40-49'],
    [50, '50-59'],
    [59, '50-59'],
    [60, '60-69'],
    [69, '60-69'],
    [70, '70+'],
    [95, '70+'],
  ]
  for (const [age, band] of cases)
    it(`puts someone aged ${age} in the ${band} band`, () => {
      assert.equal(ageBandOf(age), band)
    })

  it('moves someone into the 30-39 band on their thirtieth birthday, not the day before', () => {
    assert.equal(ageBandOf(ageOn('1996-11-25', '2026-11-24')), '25-29')
    assert.equal(ageBandOf(ageOn('1996-11-25', '2026-11-25')), '30-39')
  })
})

describe('ethnicGroupOf', () => {
  it('takes the ONS five-group letter and counts "prefer not to say" and nothing as no group', () => {
    assert.equal(ethnicGroupOf('W5'), 'W')
    assert.equal(ethnicGroupOf('B2'), 'B')
    assert.equal(ethnicGroupOf('NS'), null)
    assert.equal(ethnicGroupOf(null), null)
  })
})

describe('rollRowProblems', () => {
  const today = '2026-11-25'
  const good: Record<string, string> = aRollRow()
  const row = (changes: Record<string, string>) => ({ ...good, ...changes })

  it('accepts a complete row and reads it as the person it describes', () => {
    const { valid, problems } = rollRowProblems([good], today)
    assert.deepEqual(problems, [])
    assert.equal(valid.length, 1)
    assert.equal(valid[0].line, 2)
    assert.equal(valid[0].row.prison_number, 'A1234BC')
  })

  it('accepts a row whose protected characteristics are all left blank, and records them as not known', () => {
    const { valid, problems } = rollRowProblems(
      [row({ sex: '', ethnicity: '', religion: '', disability: '', sexual_orientation: '' })],
      today,
    )
    assert.deepEqual(problems, [])
    assert.equal(valid[0].row.sex, null)
    assert.equal(valid[0].row.ethnicity, null)
  })

  it('accepts a person with no cell when both wing and cell are blank', () => {
    assert.deepEqual(rollRowProblems([row({ wing: '', cell: '' })], today).problems, [])
  })

  it('reads a prison number typed in lower case as the upper-case number', () => {
    assert.equal(rollRowProblems([row({ prison_number: 'a1234bc' })], today).valid[0].row.prison_number, 'A1234BC')
  })

  const refusals: [what: string, changes: Record<string, string>, column: string, message: RegExp][] = [
    ['a malformed prison number', { prison_number: 'A123BC' }, 'prison_number', /like A1234BC/],
    ['an empty first name', { first_name: '  ' }, 'first_name', /must not be empty/],
    ['a surname over 60 characters', { last_name: 'x'.repeat(61) }, 'last_name', /60 characters/],
    ['a date of birth in another format', { date_of_birth: '17/04/1990' }, 'date_of_birth', /like 1990-04-17/],
    ['a date of birth that is not a real day', { date_of_birth: '1990-02-30' }, 'date_of_birth', /not a real date/],
    ['an unknown regime group', { cohort: 'segregation' }, 'cohort', /mainstream, vulnerable, induction/],
    ['an ethnicity code outside the ONS list', { ethnicity: 'W4' }, 'ethnicity', /must be one of/],
    ['a religion outside the list', { religion: 'jedi' }, 'religion', /must be one of/],
    ['a reception date tomorrow', { reception_on: '2026-11-26' }, 'reception_on', /is in the future/],
    ['a date of birth today', { date_of_birth: today }, 'date_of_birth', /too recent/],
    ['a child of nine', { date_of_birth: '2017-11-25' }, 'date_of_birth', /too recent/],
    ['a wing without a cell', { cell: '' }, 'cell', /both the wing and the cell/],
    ['a cell without a wing', { wing: '' }, 'wing', /both the wing and the cell/],
  ]
  for (const [what, changes, column, message] of refusals)
    it(`refuses ${what}, naming the line and column`, () => {
      const { problems } = rollRowProblems([good, row({ prison_number: 'B2345CD', ...changes })], today)
      assert.equal(problems.length, 1, JSON.stringify(problems))
      assert.equal(problems[0].line, 3)
      assert.equal(problems[0].column, column)
      assert.match(problems[0].message, message)
    })

  it('accepts a reception today and a person who turned ten today', () => {
    const { problems } = rollRowProblems([row({ reception_on: today, date_of_birth: '2016-11-25' })], today)
    assert.deepEqual(problems, [])
  })

  it('refuses a prison number that appears twice and points to the line it first appeared on', () => {
    const { problems } = rollRowProblems(
      [good, row({ prison_number: 'B2345CD' }), row({ prison_number: 'a1234bc', first_name: 'Another' })],
      today,
    )
    assert.deepEqual(problems, [{ line: 4, column: 'prison_number', message: 'repeats the prison number on line 2' }])
  })

  it('reports every problem in a row, each against its own column', () => {
    const { problems } = rollRowProblems([row({ prison_number: 'X', cohort: '', date_of_birth: 'soon' })], today)
    assert.deepEqual(problems.map((problem) => problem.column).sort(), ['cohort', 'date_of_birth', 'prison_number'])
    assert.ok(problems.every((problem) => problem.line === 2))
  })

  it('counts lines from the one given, so line numbers match the file with its header', () => {
    const { problems } = rollRowProblems([row({ cohort: 'x' })], today, 10)
    assert.equal(problems[0].line, 10)
  })

  it('describes the columns of a roll file in the order they are exported', () => {
    assert.deepEqual(rollColumns, Object.keys(good))
  })
})

describe('rollFileText', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))))

  it('reads UTF-8 and drops the byte-order mark Excel writes', () => {
    assert.deepEqual(rollFileText(bytes([0xef, 0xbb, 0xbf], 'prison_number\nA1234BC,Siân\n')), {
      ok: true,
      text: 'prison_number\nA1234BC,Siân\n',
    })
  })

  it('counts the column of the first byte that is not UTF-8 in characters, as an editor does', () => {
    const result = rollFileText(bytes('prison_number\nA1234BC,Siân,Ren', [0xe9], 'e\n'))
    assert.deepEqual(result.ok ? null : [result.problem.line, result.problem.column], [2, '17'])
  })

  it('names a control character other than NUL by its code point', () => {
    const result = rollFileText(bytes('prison_number\n\tA1234BC', [0x1b], '\n'))
    assert.equal(
      result.ok ? '' : result.problem.message,
      'has a control character (U+001B), which a roll file cannot hold: remove it, or export the roll again',
    )
  })
})
