import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChangePasswordRequest, SignInRequest, SwitchEstablishmentRequest, type Role } from '../../../src/shared/auth.ts';
import type { AppDeps } from '../app.ts';
import { appendAudit } from '../audit.ts';
import { authOf, deviceIdOf } from '../auth/guard.ts';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.ts';
import {
  createSession,
  findSession,
  revokeSession,
  revokeUserSessions,
  SESSION_COOKIE,
  sessionInfo,
  switchSessionEstablishment,
} from '../auth/sessions.ts';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure } from '../auth/sign-in-limit.ts';
import { fieldError, forbidden, HttpError, passwordsOff } from '../http-errors.ts';
import type { ZodTypeProvider } from '../validation.ts';

const WRONG_CREDENTIALS = () => new HttpError(401, 'invalid_credentials', 'The username or password is wrong.');

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    expires: expiresAt,
  });
}

/**
 * The app's address as people reach it: WINGCHECK_PUBLIC_URL when set, otherwise the request's own
 * (behind a trusted proxy, the scheme and host it forwarded). Only ever sent to the provider, which
 * accepts only the redirect addresses registered with it.
 */
export function appOrigin(request: FastifyRequest, deps: AppDeps): string {
  return deps.signIn.publicUrl ?? `${request.protocol}://${request.host}`;
}

export function sessionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/session', { config: { access: 'public' }, schema: { body: SignInRequest } }, async (request, reply) => {
    if (!deps.signIn.localPasswords) throw passwordsOff();
    const { username, password, establishmentId } = request.body;
    const now = deps.clock.now();
    await assertSignInAllowed(deps.db, username, request.ip, now);

    const [user] = await deps.db.query<{ id: string; password_hash: string; disabled: boolean }>(
      'SELECT id, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1',
      [username],
    );
    // Unknown, disabled and wrong-password all cost one scrypt and get the same answer.
    const passwordOk = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
    if (!user || user.disabled || !passwordOk) {
      await recordSignInFailure(deps.db, username, request.ip, now);
      throw WRONG_CREDENTIALS();
    }
    await clearSignInFailures(deps.db, username);

    const memberships = await deps.db.query<{ establishment_id: string; name: string; role: Role }>(
      `SELECT m.establishment_id, e.name, m.role FROM memberships m JOIN establishments e ON e.id = m.establishment_id
       WHERE m.user_id = $1 ORDER BY e.name, m.role`,
      [user.id],
    );
    const chosen = establishmentId ?? memberships[0]?.establishment_id;
    if (!chosen || !memberships.some((m) => m.establishment_id === chosen)) {
      throw forbidden(memberships.length ? 'You do not work in that establishment.' : 'Your account has no role in any establishment yet.');
    }

    const deviceId = deviceIdOf(request);
    const { token, expiresAt } = await deps.db.transaction(async (tx) => {
      const session = await createSession(tx, { userId: user.id, establishmentId: chosen, deviceId, now });
      await appendAudit(
        tx,
        { establishmentId: chosen, actorId: user.id, action: 'session.sign-in', entityType: 'user', entityId: user.id, deviceId },
        now,
      );
      return session;
    });
    setSessionCookie(request, reply, token, expiresAt);
    const auth = await findSession(deps.db, token, now);
    if (!auth) throw new Error('a session just created could not be read back');
    return sessionInfo(deps.db, auth);
  });

  api.get('/api/me', { config: { access: 'signed-in', duringPasswordChange: true } }, async (request) => sessionInfo(deps.db, authOf(request)));

  // A new password: after a one-time password (before anything else), or whenever the person wants.
  // The current one proves who is asking; every other session of theirs ends, this one goes on.
  api.post(
    '/api/session/password',
    { config: { access: 'signed-in', duringPasswordChange: true }, schema: { body: ChangePasswordRequest } },
    async (request) => {
      if (!deps.signIn.localPasswords) throw passwordsOff();
      const auth = authOf(request);
      const { currentPassword, newPassword } = request.body;
      const now = deps.clock.now();
      await assertSignInAllowed(deps.db, auth.username, request.ip, now);
      const [user] = await deps.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [auth.userId]);
      if (!user || !(await verifyPassword(currentPassword, user.password_hash))) {
        await recordSignInFailure(deps.db, auth.username, request.ip, now);
        throw fieldError('currentPassword', 'is not your current password');
      }
      if (newPassword === currentPassword) throw fieldError('newPassword', 'must differ from the current password');
      const passwordHash = await hashPassword(newPassword);
      await deps.db.transaction(async (tx) => {
        await tx.query('UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1', [auth.userId, passwordHash]);
        await revokeUserSessions(tx, auth.userId, now, auth.tokenHash);
        await appendAudit(
          tx,
          {
            establishmentId: auth.establishmentId,
            actorId: auth.userId,
            action: 'user.change-password',
            entityType: 'user',
            entityId: auth.userId,
            deviceId: deviceIdOf(request),
          },
          now,
        );
      });
      return sessionInfo(deps.db, { ...auth, mustChangePassword: false });
    },
  );

  // Working in another of one's establishments: the session moves there (roles are read afresh on
  // every request, so nothing else changes); each establishment's audit log says who came and went.
  api.post(
    '/api/session/establishment',
    { config: { access: 'signed-in' }, schema: { body: SwitchEstablishmentRequest } },
    async (request) => {
      const auth = authOf(request);
      const { establishmentId } = request.body;
      const [member] = await deps.db.query('SELECT 1 FROM memberships WHERE user_id = $1 AND establishment_id = $2 LIMIT 1', [
        auth.userId,
        establishmentId,
      ]);
      if (!member) throw forbidden('You do not work in that establishment.');
      const now = deps.clock.now();
      const entry = (id: string, to: string) => ({
        establishmentId: id,
        actorId: auth.userId,
        action: 'session.switch-establishment',
        entityType: 'user',
        entityId: auth.userId,
        deviceId: deviceIdOf(request),
        details: { from: auth.establishmentId, to },
      });
      await deps.db.transaction(async (tx) => {
        await switchSessionEstablishment(tx, auth.tokenHash, establishmentId);
        if (establishmentId === auth.establishmentId) return;
        await appendAudit(tx, entry(auth.establishmentId, establishmentId), now);
        await appendAudit(tx, entry(establishmentId, establishmentId), now);
      });
      const moved = await findSession(deps.db, request.cookies[SESSION_COOKIE] ?? '', now);
      if (!moved) throw new Error('a session just switched could not be read back');
      return sessionInfo(deps.db, moved);
    },
  );

  // Signing out of a single sign-on session also answers the provider's sign-out address, which
  // the app goes to next so the provider's session ends too; a password session gets 204 as ever.
  api.delete('/api/session', { config: { access: 'signed-in', duringPasswordChange: true } }, async (request, reply) => {
    const auth = authOf(request);
    const now = deps.clock.now();
    const idToken = await deps.db.transaction(async (tx) => {
      const [row] = await tx.query<{ oidc_id_token: string | null }>('SELECT oidc_id_token FROM sessions WHERE token_hash = $1', [auth.tokenHash]);
      await revokeSession(tx, auth.tokenHash, now);
      await appendAudit(
        tx,
        {
          establishmentId: auth.establishmentId,
          actorId: auth.userId,
          action: 'session.sign-out',
          entityType: 'user',
          entityId: auth.userId,
          deviceId: deviceIdOf(request),
        },
        now,
      );
      return row?.oidc_id_token ?? null;
    });
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const oidc = deps.signIn.oidc;
    const endSessionUrl = idToken && oidc ? await oidc.endSessionUrl(idToken, `${appOrigin(request, deps)}/`) : null;
    return endSessionUrl ? reply.code(200).send({ endSessionUrl }) : reply.code(204).send();
  });
}
