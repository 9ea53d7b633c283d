import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { deviceIdOf } from '../auth/guard.ts';
import { SESSION_COOKIE, sessionInfo } from '../auth/sessions.ts';
import { handlers } from '../endpoint-handlers.ts';
import { passwordsOff } from '../http-errors.ts';
import { changePassword, passwordSignIn, sessionOfToken, signOut, switchEstablishment } from '../services/sessions.ts';

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

/** Signing in and out with a password, and who am I: the session cookie is set and cleared here. */
export const sessionHandlers = handlers({
  'session.signIn': async ({ body }, { deps, request, reply }) => {
    if (!deps.signIn.localPasswords) throw passwordsOff();
    const now = deps.clock.now();
    const { token, expiresAt } = await passwordSignIn(deps.db, body, { ip: request.ip, deviceId: deviceIdOf(request), now });
    setSessionCookie(request, reply, token, expiresAt);
    return sessionOfToken(deps.db, token, now, 'created');
  },

  'session.me': (_, { deps, auth }) => sessionInfo(deps.db, auth()),

  'session.changePassword': ({ body }, { deps, actor, request }) => {
    if (!deps.signIn.localPasswords) throw passwordsOff();
    return changePassword(deps.db, actor(), body, request.ip);
  },

  'session.switchEstablishment': ({ body }, { deps, actor, request }) =>
    switchEstablishment(deps.db, actor(), body.establishmentId, request.cookies[SESSION_COOKIE] ?? ''),

  // Signing out of a single sign-on session also answers the provider's sign-out address, which
  // the app goes to next so the provider's session ends too; a password session gets 204 as ever.
  'session.signOut': async (_, { deps, actor, request, reply }) => {
    const idToken = await signOut(deps.db, actor());
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const oidc = deps.signIn.oidc;
    const endSessionUrl = idToken && oidc ? await oidc.endSessionUrl(idToken, `${appOrigin(request, deps)}/`) : null;
    return endSessionUrl ? reply.code(200).send({ endSessionUrl }) : reply.code(204).send();
  },
});
