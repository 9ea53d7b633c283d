import { randomBytes } from 'node:crypto';
import { endpoints } from '../../../src/shared/api/endpoints.ts';
import type { SsoError } from '../../../src/shared/auth.ts';
import { deviceIdOf } from '../auth/guard.ts';
import { OidcClient, OidcError } from '../auth/oidc.ts';
import { tokenHash } from '../auth/sessions.ts';
import { handlers } from '../endpoint-handlers.ts';
import { HttpError } from '../http-errors.ts';
import { ssoSignIn, startOidcLogin, takeOidcLogin } from '../services/sessions.ts';
import { appOrigin, setSessionCookie } from './session.ts';

/** How long someone has at the provider before the sign-in must be started again. */
export const OIDC_LOGIN_TTL_MS = 10 * 60 * 1000;

const CALLBACK_PATH = endpoints['session.oidcCallback'].path;
/** Ties a sign-in to the browser that started it. Lax, not Strict: it must come back on the provider's redirect. */
export const SSO_COOKIE = 'wingcheck_sso';

const notSetUp = () => new HttpError(404, 'not_found', 'Single sign-on is not set up on this server.');

/**
 * Single sign-on through OpenID Connect (authorization code flow with PKCE). The app asks for the
 * provider's address (a JSON answer: the session cookie's SameSite=Strict and the CSRF rules stay
 * as they are), goes there, and the provider sends the person back to the callback, which makes a
 * Wingcheck session exactly as a password sign-in does and sends them into the app. The identity's
 * username is matched to a Wingcheck user; roles stay in Wingcheck.
 */
export const ssoHandlers = handlers({
  'session.options': (_, { deps: { signIn } }) => ({
    localPasswords: signIn.localPasswords,
    sso: signIn.oidc ? { name: signIn.oidc.settings.name } : null,
  }),

  'session.oidcStart': async ({ body }, { deps, request, reply }) => {
    const oidc = deps.signIn.oidc;
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
    const login = {
      state: checks.state,
      nonce: checks.nonce,
      codeVerifier: checks.codeVerifier,
      browserHash: tokenHash(browser),
      establishmentId: body.establishmentId ?? null,
      returnTo: body.returnTo ?? '/',
    };
    await startOidcLogin(deps.db, login, now, new Date(now.getTime() + OIDC_LOGIN_TTL_MS));
    void reply.setCookie(SSO_COOKIE, browser, {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: OIDC_LOGIN_TTL_MS / 1000,
    });
    return { authorizationUrl };
  },

  'session.oidcCallback': async ({ query }, { deps, request, reply }) => {
    const oidc = deps.signIn.oidc;
    if (!oidc) throw notSetUp();
    const now = deps.clock.now();
    // Anything wrong from here on sends the person back to the sign-in page, which says what.
    const refuse = (reason: SsoError) => reply.redirect(`/?sso_error=${reason}`, 303);
    void reply.clearCookie(SSO_COOKIE, { path: CALLBACK_PATH });
    if (!query.state) return refuse(query.error === 'access_denied' ? 'cancelled' : 'failed');

    const login = await takeOidcLogin(deps.db, query.state);
    const browser = request.cookies[SSO_COOKIE];
    if (!login || login.expiresAt <= now || !browser || tokenHash(browser) !== login.browserHash) return refuse('expired');

    // Only the parameters the flow uses, from the validated query, onto the registered address.
    const callbackUrl = new URL(`${appOrigin(request, deps)}${CALLBACK_PATH}`);
    for (const key of ['code', 'state', 'iss', 'error', 'error_description'] as const) {
      const value = query[key];
      if (value !== undefined) callbackUrl.searchParams.set(key, value);
    }
    let identity: { username: string; idToken: string };
    try {
      const checks = { state: query.state, nonce: login.nonce, codeVerifier: login.codeVerifier };
      const { username, idToken } = await oidc.identify(callbackUrl, checks);
      identity = { username, idToken };
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      request.log.warn({ err: error.detail, reason: error.reason }, 'single sign-on refused');
      return refuse(error.reason);
    }

    const from = { ip: request.ip, deviceId: deviceIdOf(request), now };
    const signedIn = await ssoSignIn(deps.db, identity, login.establishmentId, from);
    if ('refused' in signedIn) return refuse(signedIn.refused);
    setSessionCookie(request, reply, signedIn.token, signedIn.expiresAt);
    // The app reads the new session (GET /api/me) into the device's store when it sees sso=done.
    const target = new URL(login.returnTo, 'http://app.invalid');
    target.searchParams.set('sso', 'done');
    return reply.redirect(`${target.pathname}${target.search}${target.hash}`, 303);
  },
});
