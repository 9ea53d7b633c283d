/**
 * Whether a database error means "try again later", with nothing wrong in what was asked: the
 * database unreachable or restarting, a connection lost, a serialization failure or deadlock
 * between concurrent transactions, a lock not granted, resources exhausted. Anything else a
 * statement throws is about the statement or its data, and trying again would fail the same way.
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
]);

// node-postgres's and PGlite's own words for a connection that is gone or cannot be had.
const TRANSIENT_MESSAGES = new RegExp([
  'Connection terminated', 'timeout exceeded when trying to connect', 'connection error',
  'Cannot use a pool after calling end', 'PGlite is closed',
].join('|'), 'i');

export function isTransientDbError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exceptions.
    if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return true;
  }
  return TRANSIENT_MESSAGES.test(error.message);
}
