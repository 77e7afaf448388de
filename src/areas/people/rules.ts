import { z } from 'zod'
import type { IsoDate } from '../../db/schema.ts'

/** A national prison number: a letter, four digits, two letters (A1234BC). */
export const PRISON_NUMBER = /^[A-Z][0-9]{4}[A-Z]{2}$/

export function normalisePrisonNumber(value: string): string {
  return value.trim().toUpperCase()
}

export function isPrisonNumber(value: string): boolean {
  return PRISON_NUMBER.test(value)
}

/** Regime groups whose members may mix; the allocator's `cohort`. */
export const cohorts = ['mainstream', 'vulnerable', 'induction'] as const
export type Cohort = (typeof cohorts)[number]

/**
 * Ethnicity as HMPPS records it: the ONS 2011 18 categories, plus W5 Roma and NS for "prefer not to say".
 * The first letter is the ONS 5 group.
 */
export const ethnicities = [
  'W1', 'W2', 'W3', 'W5', 'W9',
  'M1', 'M2', 'M3', 'M9',
  'A1', 'A2', 'A3', 'A4', 'A9',
  'B1', 'B2', 'B9',
  'O2', 'O9',
  'NS',
] as const // prettier-ignore
export type Ethnicity = (typeof ethnicities)[number]

export const ethnicGroups = ['W', 'M', 'A', 'B', 'O'] as const
export type EthnicGroup = (typeof ethnicGroups)[number]

export function ethnicGroupOf(code: string | null): EthnicGroup | null {
  if (!code || code === 'NS') return null
  const group = code[0] as EthnicGroup
  return ethnicGroups.includes(group) ? group : null
}

export const sexes = ['M', 'F'] as const
export const religions = [
  'christian',
  'muslim',
  'none',
  'buddhist',
  'hindu',
  'jewish',
  'sikh',
  'pagan',
  'other',
  'not-stated',
] as const
export const disabilities = ['yes', 'no', 'not-stated'] as const
export const sexualOrientations = ['heterosexual', 'gay-or-lesbian', 'bisexual', 'other', 'not-stated'] as const

/** The age bands HMPPS publishes its population figures in. */
export const ageBands = ['18-20', '21-24', '25-29', '30-39', '40-49', '50-59', '60-69', '70+'] as const
export type AgeBand = (typeof ageBands)[number] | 'under-18'

export function ageOn(dateOfBirth: IsoDate, today: IsoDate): number {
  const [birthYear, birthMonth, birthDay] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [year, month, day] = today.split('-').map(Number) as [number, number, number]
  const hadBirthday = month > birthMonth || (month === birthMonth && day >= birthDay)
  return year - birthYear - (hadBirthday ? 0 : 1)
}

export function ageBandOf(age: number): AgeBand {
  if (age < 18) return 'under-18'
  if (age <= 20) return '18-20'
  if (age <= 24) return '21-24'
  if (age <= 29) return '25-29'
  if (age <= 39) return '30-39'
  if (age <= 49) return '40-49'
  if (age <= 59) return '50-59'
  if (age <= 69) return '60-69'
  return '70+'
}

const isoDate = z
  .string()
  .trim()
  // abort: a cell in the wrong format gets one message, not a second "is not a real date" as well.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 1990-04-17', abort: true })
  .refine(
    (value) =>
      !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime()) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'is not a real date',
  )

const optionalCode = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? null : value))
    .pipe(z.enum(values, { message: `must be one of ${values.join(', ')}` }).nullable())

const name = z.string().trim().min(1, 'must not be empty').max(60, 'must be 60 characters or fewer')

/** One row of a roll CSV, in the order of `rollColumns`. */
export const RollRow = z.object({
  prison_number: z
    .string()
    .transform(normalisePrisonNumber)
    .refine(isPrisonNumber, 'must be a prison number like A1234BC'),
  first_name: name,
  last_name: name,
  date_of_birth: isoDate,
  cohort: z
    .string()
    .trim()
    .pipe(z.enum(cohorts, { message: `must be one of ${cohorts.join(', ')}` })),
  wing: z.string().trim().max(20).default(''),
  cell: z.string().trim().max(20).default(''),
  reception_on: isoDate,
  sex: optionalCode(sexes),
  ethnicity: optionalCode(ethnicities),
  religion: optionalCode(religions),
  disability: optionalCode(disabilities),
  sexual_orientation: optionalCode(sexualOrientations),
})
export type RollRow = z.infer<typeof RollRow>

export const rollColumns = Object.keys(RollRow.shape) as (keyof RollRow)[]

/** A problem in an imported file, located as a spreadsheet user would find it. */
export type ImportProblem = { line: number; column: string; message: string }

/** Checks the rows of a roll file; dates must be possible for a person in custody today. */
export function rollRowProblems(
  rows: Record<string, string>[],
  today: IsoDate,
  firstLine = 2,
): { valid: { line: number; row: RollRow }[]; problems: ImportProblem[] } {
  const valid: { line: number; row: RollRow }[] = []
  const problems: ImportProblem[] = []
  const seen = new Map<string, number>()
  rows.forEach((row, index) => {
    const line = firstLine + index
    const parsed = RollRow.safeParse(row)
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ line, column: String(issue.path[0] ?? ''), message: issue.message })
      return
    }
    const person = parsed.data
    const earlier = seen.get(person.prison_number)
    if (earlier)
      problems.push({ line, column: 'prison_number', message: `repeats the prison number on line ${earlier}` })
    seen.set(person.prison_number, line)
    if (person.date_of_birth >= today || ageOn(person.date_of_birth, today) < 10)
      problems.push({ line, column: 'date_of_birth', message: 'is too recent for a person in custody' })
    if (person.reception_on > today) problems.push({ line, column: 'reception_on', message: 'is in the future' })
    if (Boolean(person.wing) !== Boolean(person.cell))
      problems.push({
        line,
        column: person.wing ? 'cell' : 'wing',
        message: 'give both the wing and the cell, or neither',
      })
    valid.push({ line, row: person })
  })
  return { valid, problems }
}

/**
 * The largest roll file `waymark import` reads. The national estate's roll is about 9 MB; past this a file is
 * refused before it is read, rather than held in memory whole.
 */
export const ROLL_FILE_MAX_BYTES = 100 * 1024 * 1024

const SAVE_AS_UTF8 = 'save it as "CSV UTF-8" and import it again'

/** The line (from 1) and character (from 1) of a place in a text. */
function placeOf(text: string, index: number): { line: number; column: string } {
  const before = text.slice(0, index)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: String(index - lineStart + 1) }
}

/**
 * A problem of the roll text as a whole that no row check would name: an empty file, or a control character
 * (PostgreSQL refuses a NUL in text; the others are never in a name or a code and come from a damaged file).
 * A tab, a carriage return and a line feed are the CSV's own.
 */
export function rollTextProblem(text: string): ImportProblem | null {
  if (text.replace(/^\uFEFF/, '').trim() === '')
    return {
      line: 1,
      column: '',
      message: `the file is empty: it needs a header line naming the ${rollColumns.length} columns, then one line for each person`,
    }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text)
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    const what = code === '0000' ? 'a NUL character (U+0000)' : `a control character (U+${code})`
    return {
      ...placeOf(text, control.index),
      message: `has ${what}, which a roll file cannot hold: remove it, or export the roll again`,
    }
  }
  return null
}

/**
 * The first bad byte of a line that is not UTF-8, as a character column: the longest prefix that decodes
 * (a sequence cut short at its end is not yet wrong) is found by halving.
 */
function firstBadColumn(line: Uint8Array): number {
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(line.subarray(0, length), { stream: true })
      return true
    } catch {
      return false
    }
  }
  let good = 0
  let bad = line.length
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2)
    if (decodes(middle)) good = middle
    else bad = middle
  }
  const prefix = new TextDecoder('utf-8', { fatal: true }).decode(line.subarray(0, good), { stream: true })
  return prefix.length + 1
}

/** UTF-16 by its byte-order mark, or by the NULs that ASCII text in UTF-16 has at every other byte. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true
  const sample = bytes.subarray(0, Math.min(bytes.length, 200) & ~1)
  if (sample.length < 4) return false
  let evenNuls = 0
  let oddNuls = 0
  for (let index = 0; index < sample.length; index += 2) {
    if (sample[index] === 0) evenNuls += 1
    if (sample[index + 1] === 0) oddNuls += 1
  }
  const half = sample.length / 2
  return (evenNuls > half * 0.9 && oddNuls === 0) || (oddNuls > half * 0.9 && evenNuls === 0)
}

/**
 * A roll file's bytes as text, or the one problem that stops it being read: UTF-16, bytes that are not UTF-8
 * (a file saved as Latin-1 or Windows-1252 would otherwise put U+FFFD in people's names), a NUL or another
 * control character, or nothing at all. A UTF-8 byte-order mark, as Excel writes, is taken and dropped.
 */
export function rollFileText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: ImportProblem } {
  if (looksLikeUtf16(bytes))
    return { ok: false, problem: { line: 1, column: '', message: `the file is UTF-16 text: ${SAVE_AS_UTF8}` } }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // A line feed is never part of a longer UTF-8 sequence, so the file can be cut into lines as bytes.
    let start = 0
    for (let line = 1; start <= bytes.length; line += 1) {
      const end = bytes.indexOf(0x0a, start)
      const lineBytes = bytes.subarray(start, end === -1 ? bytes.length : end)
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(lineBytes)
      } catch {
        const column = String(firstBadColumn(lineBytes))
        return { ok: false, problem: { line, column, message: `is not UTF-8 text: ${SAVE_AS_UTF8}` } }
      }
      if (end === -1) break
      start = end + 1
    }
    return { ok: false, problem: { line: 1, column: '', message: `is not UTF-8 text: ${SAVE_AS_UTF8}` } }
  }
  const problem = rollTextProblem(text)
  return problem ? { ok: false, problem } : { ok: true, text }
}
