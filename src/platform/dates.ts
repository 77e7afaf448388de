import type { IsoDate } from '../db/schema.ts'

/**
 * Dates and times as the prison keeps them. A prison's day is the London day: between midnight and one in
 * the morning in summer the UTC date is still yesterday, so "today" is never the UTC date. Dates ('2026-11-25')
 * are calendar days with no time zone; instants are `Date`s. Pure: the clock says what time it is.
 */

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/** The calendar day `days` after (or before, if negative) a date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const instant = new Date(`${date}T00:00:00Z`)
  instant.setUTCDate(instant.getUTCDate() + days)
  return instant.toISOString().slice(0, 10)
}

/** Whole days from one date to another ('2026-11-01' to '2026-11-08' is 7). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY)
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MINUTE)
}

/** The UTC calendar date of an instant: for machine-made dates only (file names), never for the prison's day. */
export function utcDate(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10)
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** Minutes Europe/London is ahead of UTC at an instant (0 in winter, 60 in summer). */
export function londonOffsetMinutes(instant: Date): number {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((part) => [part.type, part.value]))
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  )
  return Math.round((asUtc - Math.floor(instant.getTime() / MINUTE) * MINUTE) / MINUTE)
}

/** The instant a London wall-clock time happens on a London date. */
export function londonTime(date: IsoDate, hour: number, minute = 0): Date {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`)
  const first = addMinutes(guess, -londonOffsetMinutes(guess))
  return addMinutes(guess, -londonOffsetMinutes(first))
}

/** The date on the wing's calendar at an instant. */
export function londonDate(instant: Date): IsoDate {
  return utcDate(addMinutes(instant, londonOffsetMinutes(instant)))
}
