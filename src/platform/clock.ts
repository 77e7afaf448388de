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
