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
