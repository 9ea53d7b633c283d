// Bad input gets a clear 4xx naming the problem; hostile text is stored and returned as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { call, startWorld, type Session } from '../support/world.ts';

const HOSTILE = [
  "Robert'); DROP TABLE users;--",
  '<script>alert("x")</script>',
  '"; SELECT * FROM sessions; --',
  '<img src=x onerror=alert(1)> & \\ % _ $1',
];

describe(`input handling on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    ({ t, admin } = await startWorld());
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { 'cookie': admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': contentType }, payload });

  it('answers an oversized body with 413', async () => {
    const res = await post('/api/units', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('/api/units', '{"name": "A Wing",');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('names each field at fault in issues, with the code in both error and code', async () => {
    const res = await post('/api/templates', JSON.stringify({ key: 'fridge', title: '', sections: [{ title: 'Fridge', items: [{ kind: 'number', id: 'temp', question: 'Temperature', min: 8, max: 1 }] }] }));
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: string; code: string; message: string; issues: { path: string; message: string }[] }>();
    expect(body).toMatchObject({ error: 'invalid_request', code: 'invalid_request' });
    expect(body.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['title', 'sections.0.items.0.unit']));
    expect(body.issues.every((issue) => issue.message.length > 0 && !issue.message.startsWith(issue.path))).toBe(true);
  });

  it('names the field a service refuses, as a form would show it', async () => {
    const res = await post('/api/users/memberships', JSON.stringify({ username: 'nobody.here', roles: ['duty-governor'], unitIds: [] }));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      error: 'not_found',
      message: 'username: nobody has that username. Check it with the person, or add them as a new user.',
      issues: [{ path: 'username', message: 'nobody has that username. Check it with the person, or add them as a new user.' }],
    });
  });

  it('refuses a form post (no cross-site sign-in by form)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=a&password=b' });
    expect(res.statusCode).toBe(415);
  });

  it('rejects unknown fields, naming them', async () => {
    const res = await post('/api/units', JSON.stringify({ name: 'G Wing', establishmentId: 'someone else' }));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^Invalid body: .*establishmentId/);
  });

  it('names the field that is wrong', async () => {
    const res = await post('/api/users', JSON.stringify({ username: 'ok.name', displayName: 'Ok', password: 'short', roles: ['warden'] }));
    expect(res.statusCode).toBe(400);
    const { message } = res.json<{ message: string }>();
    expect(message).toMatch(/password must be at least 10 characters/);
    expect(message).toMatch(/roles\.0 /);
  });

  it('names a bad path parameter and a bad query', async () => {
    const path = await call(t.app, admin, 'PATCH', '/api/units/not-an-id', { name: 'X' });
    expect(path.statusCode).toBe(400);
    expect(path.json<{ message: string }>().message).toMatch(/^Invalid path: id must be an id/);
    const query = await call(t.app, admin, 'GET', '/api/audit?limit=100000');
    expect(query.statusCode).toBe(400);
    expect(query.json<{ message: string }>().message).toMatch(/^Invalid query: limit/);
  });

  it('stores SQL metacharacters and markup as plain text, and gives them back unchanged', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const unit = await post('/api/units', JSON.stringify({ name: `${text} ${i}`, landings: [text] }));
      expect(unit.statusCode, unit.body).toBe(201);
      expect(unit.json()).toMatchObject({ name: `${text} ${i}`, landings: [text] });
      const user = await post('/api/users', JSON.stringify({ username: `hostile.${i}`, displayName: text, password: 'a long enough password', roles: ['unit-manager'] }));
      expect(user.statusCode, user.body).toBe(201);
      expect(user.json()).toMatchObject({ displayName: text });
    }
    const units = (await call(t.app, admin, 'GET', '/api/units')).json<{ name: string }[]>();
    for (const [i, text] of HOSTILE.entries()) expect(units.map((u) => u.name)).toContain(`${text} ${i}`);
    const [users] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM users');
    expect(users?.count).toBeGreaterThan(4);
  });

  it('sends the security headers, with a Content-Security-Policy allowing only this origin', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
