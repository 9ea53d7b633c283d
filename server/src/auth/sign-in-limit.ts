import type { Queryable } from '../db/client.ts';
import { HttpError } from '../http-errors.ts';

/** Failures counted over this window... */
export const WINDOW_MS = 15 * 60 * 1000;
/** ...at most this many per username (guessing one person's password)... */
export const MAX_PER_USERNAME = 5;
/** ...and this many per address (trying many usernames from one place; a wing office is one address). */
export const MAX_PER_ADDRESS = 30;

const keys = (username: string, address: string) => ({ user: `user:${username}`, address: `addr:${address}` });

/** Refuses with 429 and Retry-After while either limit is reached. */
export async function assertSignInAllowed(db: Queryable, username: string, address: string, now: Date): Promise<void> {
  const k = keys(username, address);
  const since = new Date(now.getTime() - WINDOW_MS);
  const rows = await db.query<{ key: string; count: number; oldest: Date }>(
    `SELECT key, count(*)::int AS count, min(at) AS oldest FROM sign_in_failures
     WHERE key IN ($1, $2) AND at > $3 GROUP BY key`,
    [k.user, k.address, since],
  );
  for (const row of rows) {
    const limit = row.key === k.user ? MAX_PER_USERNAME : MAX_PER_ADDRESS;
    if (row.count >= limit) {
      const retryAfter = Math.max(1, Math.ceil((row.oldest.getTime() + WINDOW_MS - now.getTime()) / 1000));
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
        { 'retry-after': String(retryAfter) },
      );
    }
  }
}

export async function recordSignInFailure(db: Queryable, username: string, address: string, now: Date): Promise<void> {
  const k = keys(username, address);
  await db.query('INSERT INTO sign_in_failures (key, at) VALUES ($1, $3), ($2, $3)', [k.user, k.address, now]);
  await db.query('DELETE FROM sign_in_failures WHERE at <= $1', [new Date(now.getTime() - WINDOW_MS)]);
}

/** A successful sign-in forgives that username's earlier slips (not the address's). */
export async function clearSignInFailures(db: Queryable, username: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE key = $1', [keys(username, '').user]);
}
