import type { IsoDate } from '../db/schema.ts'

/** The one source of the time: services ask it, rules are given what it says, tests fix it. */
export type Clock = {
  now: () => Date
  today: () => IsoDate
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => toIsoDate(new Date()),
}

/** A clock that says what a test tells it, and can be moved on. */
export function fixedClock(start: Date | string): Clock & { advanceMinutes: (minutes: number) => void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    today: () => toIsoDate(current),
    advanceMinutes: (minutes) => {
      current = new Date(current.getTime() + minutes * 60_000)
    },
  }
}

export function toIsoDate(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10)
}

const londonCalendar = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The date on the wing's calendar at an instant: from midnight to one in summer, UTC still says yesterday. */
export function londonDate(instant: Date): IsoDate {
  const parts = Object.fromEntries(londonCalendar.formatToParts(instant).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}
