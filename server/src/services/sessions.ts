/**
 * Signing in (with a password or through single sign-on), choosing a new password, moving between
 * one's establishments and signing out: the work behind the session endpoints. routes/session.ts
 * and routes/sso.ts set and clear the cookies and redirect; the SQL and the audit rows are here.
 */
import type { ChangePasswordRequest, Role, SessionInfo, SignInRequest, SsoError } from '../../../src/shared/auth.ts';
import { audit, auditAs, auditedBy, type Actor } from '../audit-request.ts';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.ts';
import {
  createSession,
  findSession,
  revokeSession,
  revokeUserSessions,
  sessionInfo,
  switchSessionEstablishment,
} from '../auth/sessions.ts';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure } from '../auth/sign-in-limit.ts';
import type { Db, Queryable } from '../db/client.ts';
import { fieldError, forbidden, HttpError } from '../http-errors.ts';

/** Where a sign-in comes from: the address it is rate limited by, the device it labels, and when. */
export interface SignInFrom {
  ip: string;
  deviceId: string | null;
  now: Date;
}

/** A session just made: the token for the cookie, and when it ends. */
export interface NewSession {
  token: string;
  expiresAt: Date;
}

const WRONG_CREDENTIALS = () => new HttpError(401, 'invalid_credentials', 'The username or password is wrong.');

/** A person as signing in looks them up. */
interface SignInUser {
  id: string;
  passwordHash: string;
  disabled: boolean;
}

interface SignInUserRow {
  id: string;
  password_hash: string;
  disabled: boolean;
}

const signInUserFromRow = (row: SignInUserRow): SignInUser => ({
  id: row.id,
  passwordHash: row.password_hash,
  disabled: row.disabled,
});

async function userByUsername(db: Queryable, username: string): Promise<SignInUser | undefined> {
  const [row] = await db.query<SignInUserRow>(
    'SELECT id, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1',
    [username],
  );
  return row && signInUserFromRow(row);
}

/** One of a person's roles in one establishment. */
interface Membership {
  establishmentId: string;
  establishmentName: string;
  role: Role;
}

interface MembershipRow {
  establishment_id: string;
  name: string;
  role: Role;
}

const membershipFromRow = (row: MembershipRow): Membership => ({
  establishmentId: row.establishment_id,
  establishmentName: row.name,
  role: row.role,
});

/** A person's roles, by establishment name then role: the first is where a sign-in lands by default. */
async function membershipsOf(db: Queryable, userId: string): Promise<Membership[]> {
  const rows = await db.query<MembershipRow>(
    `SELECT m.establishment_id, e.name, m.role FROM memberships m JOIN establishments e ON e.id = m.establishment_id
     WHERE m.user_id = $1 ORDER BY e.name, m.role`,
    [userId],
  );
  return rows.map(membershipFromRow);
}

/** Opens a session and audits the sign-in, in one transaction. */
async function openSession(
  db: Db,
  user: { id: string; establishmentId: string; oidcIdToken?: string },
  from: SignInFrom,
  details?: Record<string, unknown>,
): Promise<NewSession> {
  const { deviceId, now } = from;
  const { id: userId, establishmentId, oidcIdToken } = user;
  return db.transaction(async (tx) => {
    const idToken = oidcIdToken === undefined ? {} : { oidcIdToken };
    const session = await createSession(tx, { userId, establishmentId, deviceId, now, ...idToken });
    await audit(
      tx,
      { establishmentId, actorId: userId, deviceId, now },
      { action: 'session.sign-in', entityType: 'user', entityId: userId, ...(details ? { details } : {}) },
    );
    return session;
  });
}

/** A session just made or moved, as the client sees it. */
export async function sessionOfToken(db: Queryable, token: string, now: Date, what: string): Promise<SessionInfo> {
  const auth = await findSession(db, token, now);
  if (!auth) throw new Error(`a session just ${what} could not be read back`);
  return sessionInfo(db, auth);
}

/** Signs in with a username and password, in the establishment asked for or the first of theirs. */
export async function passwordSignIn(db: Db, request: SignInRequest, from: SignInFrom): Promise<NewSession> {
  const { username, password, establishmentId } = request;
  const { ip, now } = from;
  await assertSignInAllowed(db, username, ip, now);

  const user = await userByUsername(db, username);
  // Unknown, disabled and wrong-password all cost one scrypt and get the same answer.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
  if (!user || user.disabled || !passwordOk) {
    await recordSignInFailure(db, username, ip, now);
    throw WRONG_CREDENTIALS();
  }
  await clearSignInFailures(db, username);

  const memberships = await membershipsOf(db, user.id);
  const chosen = establishmentId ?? memberships[0]?.establishmentId;
  if (!chosen || !memberships.some((m) => m.establishmentId === chosen)) {
    throw forbidden(memberships.length ? 'You do not work in that establishment.' : 'Your account has no role in any establishment yet.');
  }
  return openSession(db, { id: user.id, establishmentId: chosen }, from);
}

/**
 * A new password: after a one-time password (before anything else), or whenever the person wants.
 * The current one proves who is asking; every other session of theirs ends, this one goes on.
 */
export async function changePassword(db: Db, actor: Actor, request: ChangePasswordRequest, ip: string): Promise<SessionInfo> {
  const { auth, now } = actor;
  const { currentPassword, newPassword } = request;
  await assertSignInAllowed(db, auth.username, ip, now);
  const [user] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [auth.userId]);
  if (!user || !(await verifyPassword(currentPassword, user.password_hash))) {
    await recordSignInFailure(db, auth.username, ip, now);
    throw fieldError('currentPassword', 'is not your current password');
  }
  if (newPassword === currentPassword) throw fieldError('newPassword', 'must differ from the current password');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1', [auth.userId, passwordHash]);
    await revokeUserSessions(tx, auth.userId, now, auth.tokenHash);
    await auditAs(tx, actor, { action: 'user.change-password', entityType: 'user', entityId: auth.userId });
  });
  return sessionInfo(db, { ...auth, mustChangePassword: false });
}

/**
 * Working in another of one's establishments: the session (its cookie's `token`) moves there
 * (roles are read afresh on every request, so nothing else changes); each establishment's audit
 * log says who came and went.
 */
export async function switchEstablishment(db: Db, actor: Actor, establishmentId: string, token: string): Promise<SessionInfo> {
  const { auth, now } = actor;
  const [member] = await db.query('SELECT 1 FROM memberships WHERE user_id = $1 AND establishment_id = $2 LIMIT 1', [
    auth.userId,
    establishmentId,
  ]);
  if (!member) throw forbidden('You do not work in that establishment.');
  const change = {
    action: 'session.switch-establishment',
    entityType: 'user',
    entityId: auth.userId,
    details: { from: auth.establishmentId, to: establishmentId },
  };
  await db.transaction(async (tx) => {
    await switchSessionEstablishment(tx, auth.tokenHash, establishmentId);
    if (establishmentId === auth.establishmentId) return;
    await auditAs(tx, actor, change);
    await audit(tx, { ...auditedBy(actor), establishmentId }, change);
  });
  return sessionOfToken(db, token, now, 'switched');
}

/** Ends the actor's session; answers the single sign-on ID token it held (to end the provider's session too), if any. */
export async function signOut(db: Db, actor: Actor): Promise<string | null> {
  const { auth, now } = actor;
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ oidc_id_token: string | null }>('SELECT oidc_id_token FROM sessions WHERE token_hash = $1', [auth.tokenHash]);
    await revokeSession(tx, auth.tokenHash, now);
    await auditAs(tx, actor, { action: 'session.sign-out', entityType: 'user', entityId: auth.userId });
    return row?.oidc_id_token ?? null;
  });
}

/** A single sign-on in progress: what the provider's answer is checked against. */
export interface OidcLogin {
  nonce: string;
  codeVerifier: string;
  browserHash: string;
  establishmentId: string | null;
  returnTo: string;
  expiresAt: Date;
}

interface OidcLoginRow {
  nonce: string;
  code_verifier: string;
  browser_hash: string;
  establishment_id: string | null;
  return_to: string;
  expires_at: Date;
}

const oidcLoginFromRow = (row: OidcLoginRow): OidcLogin => ({
  nonce: row.nonce,
  codeVerifier: row.code_verifier,
  browserHash: row.browser_hash,
  establishmentId: row.establishment_id,
  returnTo: row.return_to,
  expiresAt: row.expires_at,
});

/** Records a single sign-on being started (state, nonce, PKCE verifier, the browser's hash), clearing out expired ones. */
export async function startOidcLogin(
  db: Queryable,
  login: Omit<OidcLogin, 'expiresAt'> & { state: string },
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query('DELETE FROM oidc_logins WHERE expires_at <= $1', [now]);
  await db.query(
    `INSERT INTO oidc_logins (state, nonce, code_verifier, browser_hash, establishment_id, return_to, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [login.state, login.nonce, login.codeVerifier, login.browserHash, login.establishmentId, login.returnTo, now, expiresAt],
  );
}

/** The single sign-on started with `state`, if any. Single use: the row goes as it is read, so a replayed state finds nothing. */
export async function takeOidcLogin(db: Queryable, state: string): Promise<OidcLogin | undefined> {
  const [row] = await db.query<OidcLoginRow>(
    `DELETE FROM oidc_logins WHERE state = $1
     RETURNING nonce, code_verifier, browser_hash, establishment_id, return_to, expires_at`,
    [state],
  );
  return row && oidcLoginFromRow(row);
}

/** An audit entry for a refused single sign-on, where there is an establishment to put it in. */
async function auditRefusal(
  db: Db,
  entry: { establishmentId: string | null; userId: string | null; username: string; reason: SsoError },
  from: SignInFrom,
): Promise<void> {
  if (!entry.establishmentId) return;
  const [known] = await db.query('SELECT 1 FROM establishments WHERE id = $1', [entry.establishmentId]);
  if (!known) return;
  const by = { establishmentId: entry.establishmentId, actorId: entry.userId, deviceId: from.deviceId, now: from.now };
  await db.transaction((tx) =>
    audit(tx, by, {
      action: 'session.sign-in-refused',
      entityType: 'user',
      entityId: entry.userId,
      details: { method: 'sso', reason: entry.reason, username: entry.username },
    }));
}

/**
 * Signs in someone the provider has identified as `username`, matched to a Wingcheck user (roles
 * stay in Wingcheck), in the establishment the sign-in was started for or the first of theirs.
 * Answers the new session, or why there is none (recorded as a failed sign-in, and audited where
 * there is an establishment to audit it in).
 */
export async function ssoSignIn(
  db: Db,
  identity: { username: string; idToken: string },
  establishmentId: string | null,
  from: SignInFrom,
): Promise<NewSession | { refused: SsoError }> {
  const { username, idToken } = identity;
  const { ip, now } = from;
  try {
    await assertSignInAllowed(db, username, ip, now);
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 429) return { refused: 'too-many' };
    throw error;
  }
  const refuse = async (reason: SsoError, userId: string | null, where: string | null) => {
    await recordSignInFailure(db, username, ip, now);
    await auditRefusal(db, { establishmentId: where, userId, username, reason }, from);
    return { refused: reason };
  };
  const user = await userByUsername(db, username);
  if (!user) return refuse('unknown-user', null, establishmentId);
  const memberships = await membershipsOf(db, user.id);
  const chosen = establishmentId ?? memberships[0]?.establishmentId ?? null;
  if (user.disabled) return refuse('disabled', user.id, chosen);
  if (!chosen || !memberships.some((m) => m.establishmentId === chosen)) return refuse('no-role', user.id, chosen);
  await clearSignInFailures(db, username);
  return openSession(db, { id: user.id, establishmentId: chosen, oidcIdToken: idToken }, from, { method: 'sso' });
}
