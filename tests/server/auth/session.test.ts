import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ESTABLISHMENT_HEADER } from '../../../src/shared/roles.ts';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../../../server/src/auth/sessions.ts';
import { MAX_PER_USERNAME, WINDOW_MS } from '../../../server/src/auth/sign-in-limit.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { buildWorld, call, PASSWORD, signIn, type World } from '../support/world.ts';
import { capturedLogs } from '../support/captured-logs.ts';

describe(`sign-in and sessions on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  const { stream, text: logText } = capturedLogs();
  beforeAll(async () => {
    t = await startTestApp({ logger: { level: 'trace', stream }, trustProxy: true });
    world = await buildWorld(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in: an HttpOnly, SameSite=Strict cookie, and who, where and which roles', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'HOR.Demo ', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'wingcheck_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeUndefined();
    const body = res.json<{ user: { username: string }; roles: string[]; establishment: { name: string }; csrfToken: string }>();
    expect(body.user.username).toBe('hor.demo');
    expect(body.roles).toEqual(['head-of-residence']);
    expect(body.establishment.name).toBe('HMP Demo');
    expect(body.csrfToken.length).toBeGreaterThan(20);
  });

  it('marks the cookie Secure when the request came over HTTPS (through a trusted proxy)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'dg.demo', password: PASSWORD },
    });
    expect(res.cookies.find((c) => c.name === 'wingcheck_session')?.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('answers GET /api/me with the session, and 401 without one', async () => {
    const session = await signIn(t.app, 'so.demo');
    const me = await call(t.app, session, 'GET', '/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(session.info);
    const anonymous = await t.app.inject({ url: '/api/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'unauthorised' });
  });

  it('gives the same answer for an unknown user, a wrong password and a disabled account', async () => {
    const attempt = (username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/session', headers: { 'x-forwarded-for': `10.9.0.${username.length}` }, payload: { username, password } });
    await t.db.query('UPDATE users SET disabled_at = now() WHERE username = $1', ['target.demo']);
    const answers = await Promise.all([attempt('nobody.here', PASSWORD), attempt('dg.demo', 'wrong password!'), attempt('target.demo', PASSWORD)]);
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE username = $1', ['target.demo']);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'invalid_credentials', code: 'invalid_credentials', message: 'The username or password is wrong.', issues: [] });
    }
  });

  it('never writes a password to the log', () => {
    expect(logText().length).toBeGreaterThan(0);
    expect(logText()).not.toContain(PASSWORD);
    expect(logText()).not.toContain('wrong password!');
  });

  it('signs out: the session is revoked, and the cookie no longer works', async () => {
    const session = await signIn(t.app, 'dg.demo');
    const out = await call(t.app, session, 'DELETE', '/api/session');
    expect(out.statusCode).toBe(204);
    expect((await call(t.app, session, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout, and after the absolute timeout however active', async () => {
    const idle = await signIn(t.app, 'dg.demo');
    t.clock.advance(IDLE_TIMEOUT_MS + 1000);
    expect((await call(t.app, idle, 'GET', '/api/me')).statusCode).toBe(401);

    const busy = await signIn(t.app, 'dg.demo');
    const step = IDLE_TIMEOUT_MS / 2;
    for (let spent = 0; spent + step < ABSOLUTE_TIMEOUT_MS; spent += step) {
      t.clock.advance(step);
      expect((await call(t.app, busy, 'GET', '/api/me')).statusCode).toBe(200);
    }
    t.clock.advance(step);
    expect((await call(t.app, busy, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('limits failed sign-ins per username: 429 with Retry-After, and the right password waits too', async () => {
    const from = (n: number) => ({ 'x-forwarded-for': `10.1.0.${n}` });
    for (let i = 0; i < MAX_PER_USERNAME; i += 1) {
      const res = await t.app.inject({ method: 'POST', url: '/api/session', headers: from(i), payload: { username: 'so.demo', password: `guess number ${i}` } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({ method: 'POST', url: '/api/session', headers: from(99), payload: { username: 'so.demo', password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);

    t.clock.advance(WINDOW_MS + 1000);
    const later = await t.app.inject({ method: 'POST', url: '/api/session', headers: from(99), payload: { username: 'so.demo', password: PASSWORD } });
    expect(later.statusCode).toBe(200);
  });

  it('limits failed sign-ins per address, across usernames', async () => {
    const headers = { 'x-forwarded-for': '10.2.0.1' };
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i += 1) {
      const res = await t.app.inject({ method: 'POST', url: '/api/session', headers, payload: { username: `someone.${i}`, password: 'wrong password' } });
      status = res.statusCode;
    }
    expect(status).toBe(429);
    const otherAddress = await t.app.inject({ method: 'POST', url: '/api/session', headers: { 'x-forwarded-for': '10.2.0.2' }, payload: { username: 'hor.demo', password: PASSWORD } });
    expect(otherAddress.statusCode).toBe(200);
  });

  it('ends every session of a person whose password is reset or who is disabled', async () => {
    const admin = await signIn(t.app, 'admin.demo');
    const victim = await signIn(t.app, 'target.demo');
    const reset = await call(t.app, admin, 'PUT', `/api/users/${world.targetUserId}/password`, { password: 'a brand new passphrase' });
    expect(reset.statusCode).toBe(204);
    expect((await call(t.app, victim, 'GET', '/api/me')).statusCode).toBe(401);
    const again = await signIn(t.app, 'target.demo', 'a brand new passphrase');
    const disable = await call(t.app, admin, 'PATCH', `/api/users/${world.targetUserId}`, { disabled: true });
    expect(disable.statusCode).toBe(200);
    expect((await call(t.app, again, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('will not let an admin remove their own admin role', async () => {
    const admin = await signIn(t.app, 'admin.demo');
    const res = await call(t.app, admin, 'PATCH', `/api/users/${admin.info.user.id}`, { roles: ['unit-manager'] });
    expect(res.statusCode).toBe(409);
  });

  it('looks up the sessions of requests arriving together in one statement, each answered with its own', async () => {
    const people = ['so.demo', 'dg.demo', 'hor.demo', 'admin.demo'];
    const sessions = await Promise.all(people.map((username) => signIn(t.app, username)));
    const lookups = vi.spyOn(t.db, 'query');
    try {
      const unknown = { cookie: `wingcheck_session=${'x'.repeat(43)}`, csrfToken: 'none', info: sessions[0]?.info } as (typeof sessions)[number];
      const answers = await Promise.all([
        ...sessions.map((session) => call(t.app, session, 'GET', '/api/me')),
        call(t.app, unknown, 'GET', '/api/me'),
        // A person asking for an establishment they have no role in is refused, not mixed up with the others.
        call(t.app, sessions[0] ?? null, 'GET', '/api/me', undefined, { headers: { [ESTABLISHMENT_HEADER]: world.elsewhereId } }),
      ]);
      expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 401, 403]);
      expect(answers.slice(0, 4).map((res) => res.json<{ user: { username: string } }>().user.username)).toEqual(people);
      const statements = lookups.mock.calls.filter(([sql]) => sql.includes('WITH ORDINALITY AS q (token_hash'));
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.length).toBeLessThan(answers.length);
    } finally {
      lookups.mockRestore();
    }
  });
});
