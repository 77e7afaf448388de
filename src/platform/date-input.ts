import { z } from 'zod'
import type { IsoDate } from '../db/schema.ts'
import type { FieldError } from './forms.ts'

/** 'YYYY-MM-DD' naming a day the calendar has (not 2026-02-30, nor year 0, which PostgreSQL has no day of). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false
  const instant = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(instant.getTime()) && instant.toISOString().startsWith(value)
}

/**
 * A date as staff type it in one box, 25/11/2026 (or 2026-11-25), as 'YYYY-MM-DD'; anything else, a day the
 * calendar has not or year 0 among it, is ''.
 */
export function isoDateOf(text: string): string {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)
  const iso = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : text
  return isIsoDate(iso) ? iso : ''
}

export const INVALID_DATE = Symbol('invalid date')

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/**
 * A date from a GOV.UK date input (`<prefix>-day`, `-month`, `-year`) or, from a link, one ISO value; null when
 * neither was given, INVALID_DATE when what was typed is not a real date.
 */
export function dateFromInput(values: Record<string, unknown>, prefix: string): IsoDate | null | typeof INVALID_DATE {
  const iso = text(values[prefix])
  if (iso) return isIsoDate(iso) ? iso : INVALID_DATE
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(values[`${prefix}-${part}`]))
  if (!day && !month && !year) return null
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return INVALID_DATE
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  return isIsoDate(date) ? date : INVALID_DATE
}

export type DateInputParts = { day: string; month: string; year: string }

/** What a date input shows: the parts typed, or those of a date (today, on a new form). */
export function dateInputParts(
  values: Record<string, unknown>,
  prefix: string,
  fallback: IsoDate | null,
): DateInputParts {
  const typed = ['day', 'month', 'year'].map((part) => text(values[`${prefix}-${part}`]))
  if (typed.some(Boolean)) return { day: typed[0], month: typed[1], year: typed[2] }
  const iso = text(values[prefix]) || fallback
  if (!iso || !isIsoDate(iso)) return { day: '', month: '', year: '' }
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { day: String(Number(day)), month: String(Number(month)), year }
}

/** An error on a date input points at its day box, the first of its three. */
export function dateInputErrorHrefs(errors: FieldError[], ...fields: readonly string[]): FieldError[] {
  return errors.map((error) => (fields.includes(error.field) ? { ...error, href: `#${error.field}-day` } : error))
}

/** A date input's field in a form's schema read `withDateInputs`: a real day; none, or no real day, fails. */
export const DateInputField = z.string()

/**
 * A form's schema that reads each named GOV.UK date input as one field, the day typed into its three boxes
 * (`dateFromInput`), before checking the form: the schema refuses a date missing or not real as it refuses any
 * other field, with the message the form names for it, in the order of the schema's fields.
 */
export function withDateInputs<Schema extends z.ZodType>(fields: readonly string[], schema: Schema) {
  return z.preprocess(
    (body) =>
      typeof body === 'object' && body !== null
        ? {
            ...body,
            ...Object.fromEntries(
              fields.map((field) => [field, dateFromInput(body as Record<string, unknown>, field)]),
            ),
          }
        : body,
    schema,
  )
}
