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

const HOUR = 60 * MINUTE
/** London has kept GMT or an hour's shift from it since 1847; before, its local mean time was not whole minutes. */
const WHOLE_HOUR_OFFSETS_FROM = Date.UTC(1848, 0, 1)
/**
 * The offset through each UTC hour whose two ends have the same one (every hour but those the clocks change in:
 * London's changes are months apart), by the hour since 1970. Pure arithmetic on the time zone rules, which do
 * not change while the process runs: Intl at every call was a sixth of the key work statistics page.
 */
const offsetThroughHour = new Map<number, number | null>()
const OFFSET_HOURS_KEPT = 100_000

/** Minutes Europe/London is ahead of UTC at an instant (0 in winter, 60 in summer). */
export function londonOffsetMinutes(instant: Date): number {
  const time = instant.getTime()
  if (!(time >= WHOLE_HOUR_OFFSETS_FROM)) return offsetByIntl(instant)
  const hour = Math.floor(time / HOUR)
  let offset = offsetThroughHour.get(hour)
  if (offset === undefined) {
    const start = offsetByIntl(new Date(hour * HOUR))
    offset = start === offsetByIntl(new Date((hour + 1) * HOUR - MINUTE)) ? start : null
    if (offsetThroughHour.size >= OFFSET_HOURS_KEPT) offsetThroughHour.clear()
    offsetThroughHour.set(hour, offset)
  }
  return offset ?? offsetByIntl(instant)
}

function offsetByIntl(instant: Date): number {
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

/** The time on the wing's clock at an instant, 'HH:MM' on the 24-hour clock. */
export function londonClock(instant: Date): string {
  return addMinutes(instant, londonOffsetMinutes(instant)).toISOString().slice(11, 16)
}
