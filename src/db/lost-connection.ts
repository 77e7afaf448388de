/**
 * SQLSTATEs of a server that ended the connection or will not take one yet (a restart, a failover, an
 * administrator's pg_terminate_backend), and the socket errors of the same moment.
 */
const lostConnectionCodes = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
])

/**
 * Whether an error means the database connection went away under a query, rather than the query being
 * wrong. The `pg` driver gives its own errors for a connection that ended without a SQLSTATE: "Connection
 * terminated unexpectedly", and "… is not queryable" for the next query on it.
 */
export function isLostDatabaseConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && lostConnectionCodes.has(code)) return true
  return /^Connection terminated\b/.test(error.message) || /\bis not queryable$/.test(error.message)
}

/**
 * SQLSTATEs of a write that met another at the same moment: a second click of a form's button, or a colleague
 * saving the same record (a unique index took the first; PostgreSQL chose one of two to roll back). The request
 * that meets one saved nothing, and the record as it now stands can be read again.
 */
const writeConflictCodes = new Set([
  '23505', // unique_violation
  '40001', // serialization_failure
  '40P01', // deadlock_detected
])

/** Whether an error is a write that lost to another at the same moment (see `writeConflictCodes`). */
export function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return error instanceof Error && typeof code === 'string' && writeConflictCodes.has(code)
}

/** What a log may say of a write conflict: its SQLSTATE, table and constraint. Never its detail, which holds values. */
export function writeConflictOf(error: unknown): { reason: string; table?: string; constraint?: string } {
  const { code, table, constraint } = error as { code?: unknown; table?: unknown; constraint?: unknown }
  return {
    reason: String(code),
    ...(typeof table === 'string' ? { table } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
  }
}
