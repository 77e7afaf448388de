import type { IsoDate } from '../db/schema.ts'
import { londonDate } from './dates.ts'

/**
 * The one source of the time: services ask it, rules are given what it says, tests fix it. `today` is the
 * prison's day (London), not the UTC date: they differ from midnight to one in the morning in summer.
 */
export type Clock = {
  now: () => Date
  today: () => IsoDate
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => londonDate(new Date()),
}

/** A clock that says what a test tells it, and can be moved on. */
export function fixedClock(start: Date | string): Clock & { advanceMinutes: (minutes: number) => void } {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    today: () => londonDate(current),
    advanceMinutes: (minutes) => {
      current = new Date(current.getTime() + minutes * 60_000)
    },
  }
}
