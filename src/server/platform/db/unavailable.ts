/**
 * Errors that mean "the database did not answer" rather than "the query was wrong": a statement or idle-in-
 * transaction timeout, a lost or refused connection, no pooled connection within the connect timeout. The HTTP
 * error handler answers them with 503 DATABASE_UNAVAILABLE instead of 500.
 */
const SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '53300', // too_many_connections
]);
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
];

/** The SQLSTATE or socket code that makes `error` (or an error in its `cause` chain) a database outage, if any. */
export function databaseUnavailableCode(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (SQLSTATES.has(code) || code.startsWith('08') || NODE_CODES.has(code)) return code;
    }
    if (typeof message === 'string' && MESSAGES.some((m) => message.startsWith(m))) return 'connection';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
