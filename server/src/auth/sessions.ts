import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Role, type SessionInfo } from '../../../src/shared/auth.ts';
import { prepared, type Queryable } from '../db/client.ts';
import { forbidden } from '../http-errors.ts';

/** Signed out after this long without a request (a shift plus margin: tablets sync at its end). */
export const IDLE_TIMEOUT_MS = 14 * 60 * 60 * 1000;
/** Signed out this long after signing in, however active. */
export const ABSOLUTE_TIMEOUT_MS = 3 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const SESSION_COOKIE = 'wingcheck_session';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/** Who is asking, where, with which roles: what every authorised route works from. */
export interface AuthContext {
  tokenHash: string;
  userId: string;
  username: string;
  displayName: string;
  establishmentId: string;
  establishmentName: string;
  roles: Role[];
  csrfToken: string;
  deviceId: string | null;
  /** Signed in with a one-time password: nothing but choosing a new one until that is done. */
  mustChangePassword: boolean;
  /** A password here, or single sign-on (whose provider session signing out also ends). */
  signInMethod: SignInMethod;
}

export type SignInMethod = 'password' | 'oidc';

export async function createSession(
  tx: Queryable,
  input: { userId: string; establishmentId: string; deviceId: string | null; now: Date; oidcIdToken?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(input.now.getTime() + ABSOLUTE_TIMEOUT_MS);
  await tx.query(
    `INSERT INTO sessions (token_hash, user_id, establishment_id, csrf_token, device_id, created_at, last_seen_at, expires_at,
                           sign_in_method, oidc_id_token)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)`,
    [
      tokenHash(token),
      input.userId,
      input.establishmentId,
      randomToken(),
      input.deviceId,
      input.now,
      expiresAt,
      input.oidcIdToken === undefined ? 'password' : 'oidc',
      input.oidcIdToken ?? null,
    ],
  );
  return { token, expiresAt };
}

interface SessionRow {
  token_hash: string;
  user_id: string;
  username: string;
  display_name: string;
  establishment_id: string;
  establishment_name: string;
  csrf_token: string;
  device_id: string | null;
  last_seen_at: Date;
  roles: string[] | null;
  must_change_password: boolean;
  sign_in_method: SignInMethod;
}

/**
 * Every signed-in request runs this, for the lookups of one turn of the event loop at once (see
 * lookUpSession): each row is one lookup's token hash, time, idle limit and the establishment the
 * request asks for ('' for the session's own), answered under its position `i`. Prepared once per
 * connection.
 */
const FIND_SESSIONS = prepared(
  `SELECT q.i::int AS i, s.token_hash, s.user_id, u.username, u.display_name, e.id AS establishment_id, e.name AS establishment_name,
            s.csrf_token, s.device_id, s.last_seen_at, s.sign_in_method,
            -- A one-time password binds only those who sign in with a password.
            u.must_change_password AND s.sign_in_method = 'password' AS must_change_password,
            (SELECT array_agg(m.role ORDER BY m.role) FROM memberships m
              WHERE m.user_id = s.user_id AND m.establishment_id = e.id) AS roles
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS q (token_hash, at, idle_since, establishment_id, i)
     JOIN sessions s ON s.token_hash = q.token_hash
     JOIN users u ON u.id = s.user_id
     LEFT JOIN establishments e ON e.id = COALESCE(NULLIF(q.establishment_id, '')::uuid, s.establishment_id)
     WHERE s.revoked_at IS NULL AND u.disabled_at IS NULL
       AND s.expires_at > q.at::timestamptz AND s.last_seen_at > q.idle_since::timestamptz`,
);

/** One request's session lookup, waiting for its turn's statement. */
interface Lookup {
  hash: string;
  now: Date;
  establishmentId: string | undefined;
  resolve: (row: SessionRow | undefined) => void;
  reject: (error: unknown) => void;
}

/** The lookups asked for on each database this turn of the event loop, not yet sent. */
const LOOKUPS = new WeakMap<Queryable, Lookup[]>();

/**
 * A session's row, looked up with every other lookup asked for in the same turn of the event loop,
 * in one statement once the turn has read its sockets (setImmediate runs after the poll phase).
 * Fifty tablets pushing at once each looked theirs up alone and queued for the pool's connections,
 * a round trip each: the last push was read 118 ms after it arrived, while the transactions that
 * could have taken it waited for it (bench:ingest). Inside a transaction a lookup runs at once, in it.
 */
function lookUpSession(
  db: Queryable,
  hash: string,
  now: Date,
  establishmentId: string | undefined,
): Promise<SessionRow | undefined> {
  // A Db, not a transaction's Queryable: only those are shared by concurrent requests.
  const batched = 'transaction' in db;
  const send = async (lookups: readonly Omit<Lookup, 'resolve' | 'reject'>[]) =>
    db.query<SessionRow & { i: number }>(FIND_SESSIONS, [
      lookups.map((l) => l.hash),
      lookups.map((l) => l.now.toISOString()),
      lookups.map((l) => new Date(l.now.getTime() - IDLE_TIMEOUT_MS).toISOString()),
      lookups.map((l) => l.establishmentId ?? ''),
    ]);
  if (!batched) return send([{ hash, now, establishmentId }]).then(([row]) => row);
  return new Promise((resolve, reject) => {
    let waiting = LOOKUPS.get(db);
    if (!waiting) {
      const turn: Lookup[] = [];
      waiting = turn;
      LOOKUPS.set(db, turn);
      setImmediate(() => {
        LOOKUPS.delete(db);
        send(turn).then(
          (rows) => {
            const byPosition = new Map(rows.map((row) => [row.i, row]));
            for (const [index, lookup] of turn.entries()) lookup.resolve(byPosition.get(index + 1));
          },
          (error: unknown) => {
            for (const lookup of turn) lookup.reject(error);
          },
        );
      });
    }
    waiting.push({ hash, now, establishmentId, resolve, reject });
  });
}

/**
 * The live session for a cookie's token, or null if unknown, revoked, expired or idle too long.
 * `establishmentId`: the one the request says it works in (a person in several); default: the
 * session's own. Asking for one the person has no role in is refused, not taken as signed out.
 */
export async function findSession(
  db: Queryable,
  token: string,
  now: Date,
  establishmentId?: string,
): Promise<AuthContext | null> {
  const row = await lookUpSession(db, tokenHash(token), now, establishmentId);
  if (!row) return null;
  const roles = (row.roles ?? []).filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  if (roles.length === 0) {
    if (establishmentId !== undefined) throw forbidden('You do not work in that establishment.');
    return null; // no role left in its establishment: the session is worth nothing
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1', [row.token_hash, now]);
  }
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    establishmentId: row.establishment_id,
    establishmentName: row.establishment_name,
    roles,
    csrfToken: row.csrf_token,
    deviceId: row.device_id,
    mustChangePassword: row.must_change_password,
    signInMethod: row.sign_in_method,
  };
}

/** Moves a session to another of the person's establishments (membership checked by the caller). */
export async function switchSessionEstablishment(tx: Queryable, hash: string, establishmentId: string): Promise<void> {
  await tx.query('UPDATE sessions SET establishment_id = $2 WHERE token_hash = $1', [hash, establishmentId]);
}

export async function revokeSession(tx: Queryable, hash: string, now: Date): Promise<void> {
  // An ended session keeps no ID token: it was only for signing out of the provider.
  await tx.query('UPDATE sessions SET revoked_at = $2, oidc_id_token = NULL WHERE token_hash = $1 AND revoked_at IS NULL', [hash, now]);
}

/** Signs a person out everywhere (password reset, account disabled), or everywhere but `keep` (a session's token hash). */
export async function revokeUserSessions(tx: Queryable, userId: string, now: Date, keep?: string): Promise<void> {
  const sql = `UPDATE sessions SET revoked_at = $2, oidc_id_token = NULL
               WHERE user_id = $1 AND revoked_at IS NULL AND token_hash IS DISTINCT FROM $3`;
  await tx.query(sql, [
    userId,
    now,
    keep ?? null,
  ]);
}

/** The session as the client sees it: who, where, roles everywhere, and the CSRF token. */
export async function sessionInfo(db: Queryable, auth: AuthContext): Promise<SessionInfo> {
  const rows = await db.query<{ id: string; name: string; roles: string[] }>(
    `SELECT e.id, e.name, array_agg(m.role ORDER BY m.role) AS roles
     FROM memberships m JOIN establishments e ON e.id = m.establishment_id
     WHERE m.user_id = $1 GROUP BY e.id, e.name ORDER BY e.name`,
    [auth.userId],
  );
  const [here] = await db.query<{ time_zone: string; unit_ids: string[] }>(
    `SELECT e.time_zone, ARRAY(
       SELECT uu.unit_id FROM user_units uu JOIN units u ON u.id = uu.unit_id
       WHERE uu.user_id = $1 AND u.establishment_id = e.id AND u.archived_at IS NULL ORDER BY u.name
     ) AS unit_ids
     FROM establishments e WHERE e.id = $2`,
    [auth.userId, auth.establishmentId],
  );
  return {
    user: { id: auth.userId, username: auth.username, displayName: auth.displayName },
    roles: auth.roles,
    establishment: { id: auth.establishmentId, name: auth.establishmentName, timeZone: here?.time_zone ?? 'Europe/London' },
    establishments: rows.map((r) => ({ id: r.id, name: r.name, roles: r.roles as Role[] })),
    unitIds: here?.unit_ids ?? [],
    csrfToken: auth.csrfToken,
    mustChangePassword: auth.mustChangePassword,
  };
}
