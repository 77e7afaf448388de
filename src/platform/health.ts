import { sql } from 'kysely'
import { performance } from 'node:perf_hooks'
import type { Db } from '../db/database.ts'

/** What `/health` says: no names, no numbers of people, nothing but the state of the process and its database. */
export type HealthReport = {
  status: 'UP' | 'DOWN'
  database: 'UP' | 'DOWN' | 'UNKNOWN'
  /** Seconds since the database last answered the check, when it has. */
  databaseCheckedSecondsAgo?: number
}

export type Health = ReturnType<typeof createHealth>

/** How often the database is checked, and how long without an answer before it counts as down. */
export const HEALTH_CHECK_EVERY_MS = 5_000
export const HEALTH_STALE_AFTER_MS = 30_000

/**
 * The database's health, checked in the background. On the embedded database a check waits its turn behind
 * every page's queries (seconds under load), so `/health` answers from the last check instead of waiting:
 * a load balancer with a one-second probe would otherwise take a busy, working server out. The database is
 * down when its last check failed, or when it has not answered one for `staleAfterMs` (a check stuck
 * behind a transaction that never ends).
 */
export function createHealth({
  db,
  everyMs = HEALTH_CHECK_EVERY_MS,
  staleAfterMs = HEALTH_STALE_AFTER_MS,
  elapsedMs = () => performance.now(),
}: {
  db: Db
  everyMs?: number
  staleAfterMs?: number
  /** Milliseconds on a clock that only goes forward: the age of a check is real time, whatever the service's clock says. */
  elapsedMs?: () => number
}) {
  let lastAnswer: { ok: boolean; atMs: number } | undefined
  let inFlight: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined

  /** One check; a check still waiting for the database is not doubled by the next. */
  function check(): Promise<void> {
    inFlight ??= sql`select 1`
      .execute(db)
      .then(
        () => void (lastAnswer = { ok: true, atMs: elapsedMs() }),
        () => void (lastAnswer = { ok: false, atMs: elapsedMs() }),
      )
      .finally(() => (inFlight = undefined))
    return inFlight
  }

  return {
    check,

    /** Checks at once, then every `everyMs`; resolves after the first check or `staleAfterMs`, whichever comes first. */
    async start(): Promise<void> {
      timer = setInterval(() => void check(), everyMs)
      timer.unref()
      let waited: NodeJS.Timeout | undefined
      await Promise.race([check(), new Promise((resolve) => (waited = setTimeout(resolve, staleAfterMs)))])
      clearTimeout(waited)
    },

    stop(): void {
      clearInterval(timer)
    },

    report(): HealthReport {
      if (!lastAnswer) return { status: 'DOWN', database: 'UNKNOWN' }
      const ageMs = elapsedMs() - lastAnswer.atMs
      const databaseCheckedSecondsAgo = Math.max(0, Math.round(ageMs / 1000))
      const up = lastAnswer.ok && ageMs <= staleAfterMs
      return { status: up ? 'UP' : 'DOWN', database: up ? 'UP' : 'DOWN', databaseCheckedSecondsAgo }
    },
  }
}
