/** A request that failed: status 0 when there was no answer at all. */
export class TransportError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error code, where it gave one ("password_change_required"). */
    readonly code = '',
  ) {
    super(message);
  }
}

/** The person must choose a new password first: nothing sent is at fault, it all waits for that. */
const WAITS_FOR_PERSON = new Set(['password_change_required']);

/**
 * An answer about the request itself, not the server's availability: the server refused or
 * failed what was sent. No answer (0), unavailable or overloaded (502, 503, 504, 429), signed out
 * (401), too old (426) and a password to choose first are not: they stop the sync and count
 * against no change.
 */
export function refusal(error: unknown): error is TransportError {
  if (!(error instanceof TransportError)) return false;
  return ![0, 401, 426, 429, 502, 503, 504].includes(error.status) && !WAITS_FOR_PERSON.has(error.code);
}
