import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Clock } from './clock.ts'

/** Failed sign-ins a username may have without waiting: a few typos at the start of a shift. */
export const FAILURES_BEFORE_DELAY = 5
/** The first delay; each failure after it doubles the next, up to `LONGEST_DELAY_MS`. */
export const FIRST_DELAY_MS = 1_000
/**
 * Never a lock-out: an attacker who keeps guessing an officer's username makes the officer wait this long at
 * most, and then the right password signs them in.
 */
export const LONGEST_DELAY_MS = 30_000
/** Failures older than this no longer count. */
export const FAILURE_WINDOW_MINUTES = 15

/**
 * How long to wait before answering a sign-in, given the username's failed attempts already on record:
 * nothing for the first few, then 1 s, 2 s, 4 s… up to 30 s.
 */
export function signInDelayMs(earlierFailures: number): number {
  if (earlierFailures < FAILURES_BEFORE_DELAY) return 0
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** (earlierFailures - FAILURES_BEFORE_DELAY))
}

export type Sleep = (milliseconds: number) => Promise<void>

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds))

export type AccountKind = 'staff' | 'person'

export type SignInDelay = ReturnType<typeof createSignInDelay>

/**
 * Slows guesses at one username however many addresses they come from, in the database so that every web
 * process counts the same failures. An attempt counts as failed from the moment it arrives until its password
 * proves right, so guesses sent side by side each wait for those sent before them.
 */
export function createSignInDelay({ db, clock, sleep = realSleep }: { db: Db; clock: Clock; sleep?: Sleep }) {
  return {
    /**
     * Waits as the username's recent failures ask, then runs `attempt`; a successful attempt clears the
     * username's failures, so the next sign-in starts afresh.
     */
    async throttled<T extends { signedIn: boolean }>(
      kind: AccountKind,
      typedUsername: string,
      attempt: () => Promise<T>,
    ): Promise<T> {
      const username = typedUsername.trim().toLowerCase().slice(0, 64)
      const now = clock.now()
      const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000)
      await db.deleteFrom('sign_in_failure').where('attempted_at', '<', windowStart).execute()
      const { id } = await db
        .insertInto('sign_in_failure')
        .values({ account_kind: kind, username, attempted_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      const { earlier } = await db
        .selectFrom('sign_in_failure')
        .select(sql<number>`count(*)::int`.as('earlier'))
        .where('account_kind', '=', kind)
        .where('username', '=', username)
        .where('attempted_at', '>=', windowStart)
        .where('id', '<', id)
        .executeTakeFirstOrThrow()
      const delay = signInDelayMs(earlier)
      if (delay > 0) await sleep(delay)
      const outcome = await attempt()
      if (outcome.signedIn)
        await db
          .deleteFrom('sign_in_failure')
          .where('account_kind', '=', kind)
          .where('username', '=', username)
          .execute()
      return outcome
    },
  }
}
