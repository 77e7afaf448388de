/** Lengths of time in milliseconds, for the rules' arithmetic on instants. Not re-exported by rules.ts. */
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
