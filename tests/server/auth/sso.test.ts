// Single sign-on against a real OpenID Connect provider (oidc-provider) on loopback: the whole
// authorization code flow with PKCE, from the start route through the provider's login form to
// the callback, and what is refused on the way.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PER_USERNAME } from '../../../server/src/auth/sign-in-limit.ts';
import { OIDC_LOGIN_TTL_MS } from '../../../server/src/routes/sso.ts';
import { SessionInfo } from '../../../src/shared/auth.ts';
import {
  OIDC_CLIENT_ID,
  oidcSettings,
  signInAtProvider,
  startTestProvider,
  TEST_APP_ORIGIN,
  type TestProvider,
} from '../../support/oidc-provider.ts';
import { freePort } from '../../support/ports.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { addUser, buildWorld, call, PASSWORD, signIn, type Session, type World } from '../support/world.ts';

const APP = TEST_APP_ORIGIN;

interface Started {
  authorizationUrl: string;
  browser: string;
}

async function startSso(t: TestApp, body: object = {}): Promise<Started> {
  const res = await t.app.inject({ method: 'POST', url: '/api/session/oidc/start', payload: body });
  expect(res.statusCode, res.body).toBe(200);
  const browser = res.cookies.find((c) => c.name === 'wingcheck_sso');
  expect(browser).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/session/oidc/callback' });
  return { authorizationUrl: res.json<{ authorizationUrl: string }>().authorizationUrl, browser: browser?.value ?? '' };
}

function callback(t: TestApp, url: URL | string, browser?: string): Promise<LightMyRequestResponse> {
  const path = typeof url === 'string' ? url : `${url.pathname}${url.search}`;
  return t.app.inject({ method: 'GET', url: path, cookies: browser === undefined ? {} : { wingcheck_sso: browser } });
}

/** Start, the provider's login as `login`, and the callback: the callback's answer. */
async function throughProvider(t: TestApp, login: string, body: object = {}): Promise<LightMyRequestResponse> {
  const started = await startSso(t, body);
  const back = await signInAtProvider(started.authorizationUrl, login);
  expect(back.origin).toBe(APP);
  return callback(t, back, started.browser);
}

function sessionOf(res: LightMyRequestResponse): string | undefined {
  const cookie = res.cookies.find((c) => c.name === 'wingcheck_session');
  return cookie ? `${cookie.name}=${cookie.value}` : undefined;
}

async function ssoSession(t: TestApp, login: string): Promise<Session> {
  const res = await throughProvider(t, login);
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/?sso=done');
  const cookie = sessionOf(res);
  if (!cookie) throw new Error('single sign-on set no session cookie');
  const me = await t.app.inject({ url: '/api/me', headers: { cookie } });
  expect(me.statusCode, me.body).toBe(200);
  const info = SessionInfo.parse(me.json());
  return { cookie, csrfToken: info.csrfToken, info };
}

const failures = async (t: TestApp, username: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_failures WHERE key = $1', [`user:${username}`]))[0]?.n ?? 0;

describe(`single sign-on on ${TEST_ENGINE}`, () => {
  let provider: TestProvider;
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    provider = await startTestProvider([APP]);
    t = await startTestApp({ oidc: oidcSettings(provider.issuer), publicUrl: APP });
    world = await buildWorld(t.db);
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  it('says how people may sign in', async () => {
    const res = await t.app.inject({ url: '/api/session/options' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ localPasswords: true, sso: { name: 'Test SSO' } });
  });

  it('sends the person to the provider with PKCE (S256), state and nonce, and the registered redirect URI', async () => {
    const { authorizationUrl } = await startSso(t);
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe(OIDC_CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(`${APP}/api/session/oidc/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('scope')).toBe('openid profile');
  });

  it('signs in through the provider: a session like a password one, matched by username whatever its case', async () => {
    const res = await throughProvider(t, 'DG.Demo');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?sso=done');
    const cookie = res.cookies.find((c) => c.name === 'wingcheck_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: sessionOf(res) ?? '' } });
    expect(me.statusCode).toBe(200);
    const info = SessionInfo.parse(me.json());
    expect(info.user.username).toBe('dg.demo');
    expect(info.roles).toEqual(['duty-governor']);
    expect(info.establishment.id).toBe(world.demoId);
    const [audit] = await t.db.query<{ details: { method?: string } }>(
      "SELECT details FROM audit_log WHERE action = 'session.sign-in' AND actor_id = $1 ORDER BY seq DESC LIMIT 1",
      [info.user.id],
    );
    expect(audit?.details.method).toBe('sso');
    // The session works for the rest of the API too, with its CSRF token.
    const session: Session = { cookie: sessionOf(res) ?? '', csrfToken: info.csrfToken, info };
    expect((await call(t.app, session, 'GET', '/api/units')).statusCode).toBe(200);
  });

  it('goes back to the path the app asked for, and refuses any address that is not one of its paths', async () => {
    const res = await throughProvider(t, 'so.demo', { returnTo: '/actions?filter=mine' });
    expect(res.headers.location).toBe('/actions?filter=mine&sso=done');
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'actions', '/a\nb']) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/session/oidc/start', payload: { returnTo } });
      expect(refused.statusCode, returnTo).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('refuses a state used twice, and one returned to another browser', async () => {
    const started = await startSso(t);
    const back = await signInAtProvider(started.authorizationUrl, 'hor.demo');
    const first = await callback(t, back, started.browser);
    expect(first.headers.location).toBe('/?sso=done');
    const replay = await callback(t, back, started.browser);
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/?sso_error=expired');
    expect(sessionOf(replay)).toBeUndefined();

    // A link with someone's code and state, opened by another browser (login CSRF).
    const other = await startSso(t);
    const link = await signInAtProvider(other.authorizationUrl, 'hor.demo');
    const elsewhere = await callback(t, link);
    expect(elsewhere.headers.location).toBe('/?sso_error=expired');
    expect(sessionOf(elsewhere)).toBeUndefined();
  });

  it('refuses a sign-in that took longer than ten minutes at the provider', async () => {
    const started = await startSso(t);
    const back = await signInAtProvider(started.authorizationUrl, 'hor.demo');
    t.clock.advance(OIDC_LOGIN_TTL_MS + 1000);
    const late = await callback(t, back, started.browser);
    expect(late.headers.location).toBe('/?sso_error=expired');
    expect(sessionOf(late)).toBeUndefined();
  });

  it('refuses an identity with no Wingcheck user, counts it as a failed sign-in and audits it where it can', async () => {
    const before = await failures(t, 'nobody.here');
    const res = await throughProvider(t, 'nobody.here', { establishmentId: world.demoId });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?sso_error=unknown-user');
    expect(sessionOf(res)).toBeUndefined();
    expect(await failures(t, 'nobody.here')).toBe(before + 1);
    const [audit] = await t.db.query<{ details: Record<string, string> }>(
      "SELECT details FROM audit_log WHERE establishment_id = $1 AND action = 'session.sign-in-refused' ORDER BY seq DESC LIMIT 1",
      [world.demoId],
    );
    expect(audit?.details).toEqual({ method: 'sso', reason: 'unknown-user', username: 'nobody.here' });
    const verify = await call(t.app, await signIn(t.app, 'admin.demo'), 'GET', '/api/audit/verify');
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('refuses a disabled user, and one with no role in the establishment asked for', async () => {
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [world.targetUserId]);
    const disabled = await throughProvider(t, 'target.demo');
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [world.targetUserId]);
    expect(disabled.headers.location).toBe('/?sso_error=disabled');
    expect(sessionOf(disabled)).toBeUndefined();

    const elsewhere = await throughProvider(t, 'so.demo', { establishmentId: world.elsewhereId });
    expect(elsewhere.headers.location).toBe('/?sso_error=no-role');
    expect(sessionOf(elsewhere)).toBeUndefined();
  });

  it('holds single sign-on to the same failed sign-in limit as passwords', async () => {
    for (let i = 0; i < MAX_PER_USERNAME; i += 1) {
      await t.db.query('INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)', ['user:hor.demo', t.clock.now()]);
    }
    const res = await throughProvider(t, 'hor.demo');
    expect(res.headers.location).toBe('/?sso_error=too-many');
    expect(sessionOf(res)).toBeUndefined();
    await t.db.query('DELETE FROM sign_in_failures WHERE key = $1', ['user:hor.demo']);
  });

  it('refuses an identity without the username claim', async () => {
    provider.withoutUsername.add('hor.demo.nameless');
    const res = await throughProvider(t, 'hor.demo.nameless');
    expect(res.headers.location).toBe('/?sso_error=no-username');
  });

  it('does not ask someone signing in through the provider to replace a one-time password', async () => {
    await addUser(t.db, 'fresh.starter', world.demoId, ['unit-manager']);
    await t.db.query('UPDATE users SET must_change_password = true WHERE username = $1', ['fresh.starter']);
    const session = await ssoSession(t, 'fresh.starter');
    expect(session.info.mustChangePassword).toBe(false);
    expect((await call(t.app, session, 'GET', '/api/units')).statusCode).toBe(200);
  });

  it('signs out of both: the session ends and the answer is the provider\'s end-session address', async () => {
    const session = await ssoSession(t, 'dg.demo');
    const out = await call(t.app, session, 'DELETE', '/api/session');
    expect(out.statusCode).toBe(200);
    const endSession = new URL(out.json<{ endSessionUrl: string }>().endSessionUrl);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${APP}/`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await call(t.app, session, 'GET', '/api/me')).statusCode).toBe(401);
    // The provider accepts it: its sign-out page, not an error.
    const page = await fetch(endSession);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('logout');
    // The ID token is not kept once the session has ended.
    const kept = await t.db.query('SELECT 1 FROM sessions WHERE oidc_id_token IS NOT NULL AND revoked_at IS NOT NULL');
    expect(kept).toHaveLength(0);
    // A password session signs out as it always has.
    const password = await signIn(t.app, 'dg.demo');
    expect((await call(t.app, password, 'DELETE', '/api/session')).statusCode).toBe(204);
  });

  it('answers odd callbacks with a refusal, never a server error', async () => {
    const base = '/api/session/oidc/callback';
    const started = await startSso(t);
    const state = new URL(started.authorizationUrl).searchParams.get('state') ?? '';
    const cases: [string, number, string | undefined][] = [
      [base, 303, '/?sso_error=failed'],
      [`${base}?code=abc`, 303, '/?sso_error=failed'],
      [`${base}?state=not-a-state&code=abc`, 303, '/?sso_error=expired'],
      [`${base}?state=%00&code=abc`, 400, undefined],
      [`${base}?state=a&state=b`, 400, undefined],
      [`${base}?state=${'x'.repeat(5000)}`, 400, undefined],
      [`${base}?error=access_denied`, 303, '/?sso_error=cancelled'],
    ];
    for (const [url, status, location] of cases) {
      const res = await callback(t, url, started.browser);
      expect(res.statusCode, url).toBe(status);
      if (location) expect(res.headers.location, url).toBe(location);
      else expect(res.json(), url).toMatchObject({ error: 'invalid_request' });
    }
    // A made-up code with a real state: the provider refuses it, and so does Wingcheck.
    const madeUp = await callback(t, `${base}?state=${state}&code=made-up&iss=${encodeURIComponent(provider.issuer)}`, started.browser);
    expect(madeUp.statusCode).toBe(303);
    expect(madeUp.headers.location).toBe('/?sso_error=failed');
    // The person pressed cancel at the provider.
    const cancelling = await startSso(t);
    const cancelState = new URL(cancelling.authorizationUrl).searchParams.get('state') ?? '';
    const cancelled = await callback(t, `${base}?state=${cancelState}&error=access_denied&iss=${encodeURIComponent(provider.issuer)}`, cancelling.browser);
    expect(cancelled.headers.location).toBe('/?sso_error=cancelled');
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});

describe(`passwords switched off, and single sign-on not set up, on ${TEST_ENGINE}`, () => {
  let provider: TestProvider;
  let off: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    provider = await startTestProvider([APP]);
    off = await startTestApp({ oidc: oidcSettings(provider.issuer), publicUrl: APP, localPasswords: false });
    await buildWorld(off.db);
    plain = await startTestApp();
  });
  afterAll(async () => {
    await off.close();
    await plain.close();
    await provider.close();
  });

  it('refuses password sign-in and password changes when passwords are off; single sign-on still works', async () => {
    expect((await off.app.inject({ url: '/api/session/options' })).json()).toEqual({ localPasswords: false, sso: { name: 'Test SSO' } });
    const res = await off.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'dg.demo', password: PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'passwords_off', code: 'passwords_off', message: expect.stringMatching(/single sign-on/) as unknown, issues: [] });
    const session = await ssoSession(off, 'dg.demo');
    const change = await call(off.app, session, 'POST', '/api/session/password', { currentPassword: PASSWORD, newPassword: 'another long password' });
    expect(change.statusCode).toBe(403);
    expect(change.json()).toMatchObject({ error: 'passwords_off' });
  });

  it('with passwords off, admins add people without one (who then sign in through the provider) and reset none', async () => {
    const admin = await ssoSession(off, 'admin.demo');
    const person = { username: 'sso.newcomer', displayName: 'New Comer', roles: ['unit-manager'] };
    const withPassword = await call(off.app, admin, 'POST', '/api/users', { ...person, password: 'a long enough password' });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json<{ message: string }>().message).toMatch(/^password: passwords are switched off/);
    const created = await call(off.app, admin, 'POST', '/api/users', person);
    expect(created.statusCode).toBe(201);
    const newcomer = await ssoSession(off, 'sso.newcomer');
    const me = await call(off.app, newcomer, 'GET', '/api/me');
    expect(me.json()).toMatchObject({ user: { username: 'sso.newcomer' }, mustChangePassword: false });
    const reset = await call(off.app, admin, 'PUT', `/api/users/${created.json<{ id: string }>().id}/password`, { password: 'a long enough password' });
    expect(reset.statusCode).toBe(403);
    expect(reset.json()).toMatchObject({ error: 'passwords_off' });
  });

  it('with passwords on, a new person needs a one-time password', async () => {
    await buildWorld(plain.db);
    const admin = await signIn(plain.app, 'admin.demo');
    const res = await call(plain.app, admin, 'POST', '/api/users', { username: 'no.password', displayName: 'No Password', roles: ['unit-manager'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: 'password: is required' });
  });

  it('without single sign-on: the options say so, and its routes are not there', async () => {
    expect((await plain.app.inject({ url: '/api/session/options' })).json()).toEqual({ localPasswords: true, sso: null });
    const start = await plain.app.inject({ method: 'POST', url: '/api/session/oidc/start', payload: {} });
    expect(start.statusCode).toBe(404);
    expect(start.json()).toMatchObject({ error: 'not_found' });
    expect((await plain.app.inject({ url: '/api/session/oidc/callback?state=x&code=y' })).statusCode).toBe(404);
  });

  it('says the provider cannot be reached, rather than failing, when it is down', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const down = await startTestApp({ oidc: oidcSettings(nowhere), publicUrl: APP });
    try {
      const res = await down.app.inject({ method: 'POST', url: '/api/session/oidc/start', payload: {} });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'sso_unavailable' });
    } finally {
      await down.close();
    }
  });
});
