import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OidcCallbackQuery, OidcStartRequest, type Role, type SsoError } from '../../../src/shared/auth.ts';
import type { AppDeps } from '../app.ts';
import { appendAudit } from '../audit.ts';
import { deviceIdOf } from '../auth/guard.ts';
import { OidcClient, OidcError } from '../auth/oidc.ts';
import { createSession, tokenHash } from '../auth/sessions.ts';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure } from '../auth/sign-in-limit.ts';
import { HttpError } from '../http-errors.ts';
import type { Db } from '../db/client.ts';
import type { ZodTypeProvider } from '../validation.ts';
import { appOrigin, setSessionCookie } from './session.ts';

/** How long someone has at the provider before the sign-in must be started again. */
export const OIDC_LOGIN_TTL_MS = 10 * 60 * 1000;

const CALLBACK_PATH = '/api/session/oidc/callback';
/** Ties a sign-in to the browser that started it. Lax, not Strict: it must come back on the provider's redirect. */
export const SSO_COOKIE = 'wingcheck_sso';

const notSetUp = () => new HttpError(404, 'not_found', 'Single sign-on is not set up on this server.');

interface LoginRow {
  nonce: string;
  code_verifier: string;
  browser_hash: string;
  establishment_id: string | null;
  return_to: string;
  expires_at: Date;
}

/** An audit entry for a refused single sign-on, where there is an establishment to put it in. */
async function auditRefusal(
  db: Db,
  request: FastifyRequest,
  entry: { establishmentId: string | null; userId: string | null; username: string; reason: SsoError },
  now: Date,
): Promise<void> {
  if (!entry.establishmentId) return;
  const [known] = await db.query('SELECT 1 FROM establishments WHERE id = $1', [entry.establishmentId]);
  if (!known) return;
  const establishmentId = entry.establishmentId;
  await db.transaction((tx) =>
    appendAudit(
      tx,
      {
        establishmentId,
        actorId: entry.userId,
        action: 'session.sign-in-refused',
        entityType: 'user',
        entityId: entry.userId,
        deviceId: deviceIdOf(request),
        details: { method: 'sso', reason: entry.reason, username: entry.username },
      },
      now,
    ));
}

/**
 * Single sign-on through OpenID Connect (authorization code flow with PKCE). The app asks for the
 * provider's address (a JSON answer: the session cookie's SameSite=Strict and the CSRF rules stay
 * as they are), goes there, and the provider sends the person back to the callback, which makes a
 * Wingcheck session exactly as a password sign-in does and sends them into the app. The identity's
 * username is matched to a Wingcheck user; roles stay in Wingcheck.
 */
export function ssoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { signIn } = deps;

  api.get('/api/session/options', { config: { access: 'public' } }, () =>
    Promise.resolve({ localPasswords: signIn.localPasswords, sso: signIn.oidc ? { name: signIn.oidc.settings.name } : null }));

  api.post('/api/session/oidc/start', { config: { access: 'public' }, schema: { body: OidcStartRequest } }, async (request, reply) => {
    const oidc = signIn.oidc;
    if (!oidc) throw notSetUp();
    const now = deps.clock.now();
    const checks = OidcClient.newChecks();
    let authorizationUrl: string;
    try {
      authorizationUrl = await oidc.authorizationUrl(checks, `${appOrigin(request, deps)}${CALLBACK_PATH}`);
    } catch (error) {
      request.log.warn({ err: error instanceof OidcError ? error.detail : error }, 'the single sign-on provider could not be reached');
      throw new HttpError(503, 'sso_unavailable', 'The single sign-on service cannot be reached. Try again later.');
    }
    const browser = randomBytes(32).toString('base64url');
    await deps.db.query('DELETE FROM oidc_logins WHERE expires_at <= $1', [now]);
    await deps.db.query(
      `INSERT INTO oidc_logins (state, nonce, code_verifier, browser_hash, establishment_id, return_to, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        checks.state,
        checks.nonce,
        checks.codeVerifier,
        tokenHash(browser),
        request.body.establishmentId ?? null,
        request.body.returnTo ?? '/',
        now,
        new Date(now.getTime() + OIDC_LOGIN_TTL_MS),
      ],
    );
    void reply.setCookie(SSO_COOKIE, browser, {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: OIDC_LOGIN_TTL_MS / 1000,
    });
    return { authorizationUrl };
  });

  api.get(CALLBACK_PATH, { config: { access: 'public' }, schema: { querystring: OidcCallbackQuery } }, async (request, reply) => {
    const oidc = signIn.oidc;
    if (!oidc) throw notSetUp();
    const query = request.query;
    const now = deps.clock.now();
    // Anything wrong from here on sends the person back to the sign-in page, which says what.
    const refuse = (reason: SsoError) => reply.redirect(`/?sso_error=${reason}`, 303);
    void reply.clearCookie(SSO_COOKIE, { path: CALLBACK_PATH });
    if (!query.state) return refuse(query.error === 'access_denied' ? 'cancelled' : 'failed');

    // Single use: the row goes as it is read, so a replayed state finds nothing.
    const [login] = await deps.db.query<LoginRow>(
      `DELETE FROM oidc_logins WHERE state = $1
       RETURNING nonce, code_verifier, browser_hash, establishment_id, return_to, expires_at`,
      [query.state],
    );
    const browser = request.cookies[SSO_COOKIE];
    if (!login || login.expires_at <= now || !browser || tokenHash(browser) !== login.browser_hash) return refuse('expired');

    // Only the parameters the flow uses, from the validated query, onto the registered address.
    const callbackUrl = new URL(`${appOrigin(request, deps)}${CALLBACK_PATH}`);
    for (const key of ['code', 'state', 'iss', 'error', 'error_description'] as const) {
      const value = query[key];
      if (value !== undefined) callbackUrl.searchParams.set(key, value);
    }
    let username: string;
    let idToken: string;
    try {
      const checks = { state: query.state, nonce: login.nonce, codeVerifier: login.code_verifier };
      ({ username, idToken } = await oidc.identify(callbackUrl, checks));
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      request.log.warn({ err: error.detail, reason: error.reason }, 'single sign-on refused');
      return refuse(error.reason);
    }

    try {
      await assertSignInAllowed(deps.db, username, request.ip, now);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 429) return refuse('too-many');
      throw error;
    }
    const refuseUser = async (reason: SsoError, userId: string | null, establishmentId: string | null): Promise<FastifyReply> => {
      await recordSignInFailure(deps.db, username, request.ip, now);
      await auditRefusal(deps.db, request, { establishmentId, userId, username, reason }, now);
      return refuse(reason);
    };
    const [user] = await deps.db.query<{ id: string; disabled: boolean }>(
      'SELECT id, disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1',
      [username],
    );
    if (!user) return refuseUser('unknown-user', null, login.establishment_id);
    const memberships = await deps.db.query<{ establishment_id: string; role: Role }>(
      `SELECT m.establishment_id, m.role FROM memberships m JOIN establishments e ON e.id = m.establishment_id
       WHERE m.user_id = $1 ORDER BY e.name, m.role`,
      [user.id],
    );
    const chosen = login.establishment_id ?? memberships[0]?.establishment_id ?? null;
    if (user.disabled) return refuseUser('disabled', user.id, chosen);
    if (!chosen || !memberships.some((m) => m.establishment_id === chosen)) return refuseUser('no-role', user.id, chosen);
    await clearSignInFailures(deps.db, username);

    const deviceId = deviceIdOf(request);
    const { token, expiresAt } = await deps.db.transaction(async (tx) => {
      const session = await createSession(tx, { userId: user.id, establishmentId: chosen, deviceId, now, oidcIdToken: idToken });
      await appendAudit(
        tx,
        {
          establishmentId: chosen,
          actorId: user.id,
          action: 'session.sign-in',
          entityType: 'user',
          entityId: user.id,
          deviceId,
          details: { method: 'sso' },
        },
        now,
      );
      return session;
    });
    setSessionCookie(request, reply, token, expiresAt);
    // The app reads the new session (GET /api/me) into the device's store when it sees sso=done.
    const target = new URL(login.return_to, 'http://app.invalid');
    target.searchParams.set('sso', 'done');
    return reply.redirect(`${target.pathname}${target.search}${target.hash}`, 303);
  });
}
