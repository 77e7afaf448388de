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
