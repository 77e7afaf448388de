import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { createAudit } from '../../src/platform/audit.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { createNotifications } from '../../src/platform/notifications.ts'
import { createSessions } from '../../src/platform/sessions.ts'
import { givenEstablishment, givenStaffUser, TEST_PASSWORD } from '../../test/support/builders.ts'
import { parseOptions } from '../../src/cli/options.ts'

/**
 * node bench/http/sign-in-check.ts [--requests 2000]
 *
 * Issue 19: what every signed-in request costs before its page does anything, on its own: the session, the
 * actor and the header's unread count, on embedded PGlite in memory, one request after another. CPU per
 * request of this thread (PGlite runs on it), so a busy machine changes it less than a load test's figures.
 */
const parsed = parseOptions(process.argv.slice(2), { requests: { type: 'string', default: '2000' } })
const requests = parsed.ok ? Number(parsed.values.requests) : NaN
if (!Number.isInteger(requests) || requests < 1) {
  console.error('Usage: node bench/http/sign-in-check.ts [--requests 2000]')
  process.exit(2)
}
const { db, close } = await openDatabase({})
await migrateToLatest(db)
const clock = systemClock
const prison = await givenEstablishment(db)
const officer = await givenStaffUser(db, { role: 'officer', establishmentCodes: [prison.code] })
const sessions = createSessions({
  db,
  clock,
  audit: createAudit(clock),
  policy: { idleMinutes: 30, absoluteHours: 12 },
  setPasswordHash: async () => {},
})
const notifications = createNotifications({ clock })
const outcome = await sessions.signIn(officer.username, TEST_PASSWORD)
if (!outcome.signedIn) throw new Error('The officer could not sign in')
const { token } = outcome
// What the platform asks of the database for each page: one query since issue 19; run from a checkout before it
// (copy this file in), the session, the account, its prisons and the unread count, one after another.
const beforeIssue19 = sessions as unknown as { resolve: (token: string) => Promise<{ id: string } | null> }
const signInCheck: () => Promise<unknown> =
  'resolveForRequest' in sessions
    ? () => sessions.resolveForRequest(token)
    : async () => notifications.unreadCount(db, (await beforeIssue19.resolve(token))!.id)
for (let round = 0; round < 2; round++) {
  for (let i = 0; i < 200; i++) await signInCheck()
  const start = process.threadCpuUsage()
  const wall = performance.now()
  for (let i = 0; i < requests; i++) await signInCheck()
  const cpu = process.threadCpuUsage(start)
  const ms = (cpu.user + cpu.system) / 1000 / requests
  const wallMs = (performance.now() - wall) / requests
  console.log(`the sign-in check: ${ms.toFixed(3)} ms CPU, ${wallMs.toFixed(3)} ms wall per request`)
}
await close()
