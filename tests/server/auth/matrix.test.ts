// The authorisation matrix: every /api route, every role, anonymous, and an admin of another
// establishment, each with the status it must get (the table is support/routes.ts). A route added
// without a row there fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcSettings, startTestProvider, TEST_APP_ORIGIN, type TestProvider } from '../../support/oidc-provider.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { ACTORS, ROUTES as MATRIX, USERNAMES, type Actor } from '../support/routes.ts';
import { buildWorld, call, signIn, type Session, type World } from '../support/world.ts';

describe(`authorisation matrix on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  // Single sign-on on, against a provider on loopback, so its routes are walked too.
  let provider: TestProvider;
  let world: World;
  const sessions = new Map<Actor, Session>();
  beforeAll(async () => {
    provider = await startTestProvider([TEST_APP_ORIGIN]);
    t = await startTestApp({ oidc: oidcSettings(provider.issuer), publicUrl: TEST_APP_ORIGIN });
    world = await buildWorld(t.db);
    for (const actor of ACTORS) if (actor !== 'anonymous') sessions.set(actor, await signIn(t.app, USERNAMES[actor]));
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  it('has a row for every /api route, and every row is a real route', () => {
    const registered = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
    const listed = MATRIX.map((r) => `${r.method} ${r.route}`).sort();
    expect(listed).toEqual(registered);
  });

  let n = 0;
  for (const row of MATRIX) {
    for (const actor of ACTORS) {
      it(`${row.method} ${row.route} as ${actor} -> ${row.expect[actor]}`, async () => {
        n += 1;
        let session = sessions.get(actor) ?? null;
        if (row.endsSession && actor !== 'anonymous') session = await signIn(t.app, USERNAMES[actor]);
        const res = await call(t.app, session, row.method, row.url(world), row.body?.(actor, n, world), { headers: row.headers });
        expect(res.statusCode, res.body).toBe(row.expect[actor]);
      });
    }
  }

  it('refuses every state-changing route without the CSRF token, even for an admin', async () => {
    const admin = sessions.get('admin') ?? null;
    for (const row of MATRIX) {
      if (row.method === 'GET' || row.expect.anonymous !== 401) continue;
      const res = await call(t.app, admin, row.method, row.url(world), row.body?.('admin', 1000, world), { csrf: false, headers: row.headers });
      expect(res.statusCode, `${row.method} ${row.route}`).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    }
  });

  it("scopes lists to the caller's establishment: another establishment's admin sees none of HMP Demo", async () => {
    const other = sessions.get('other-establishment') ?? null;
    const users = (await call(t.app, other, 'GET', '/api/users')).json<{ username: string }[]>();
    expect(users.map((u) => u.username)).not.toContain('so.demo');
    expect(users.map((u) => u.username)).toContain('admin.other');
    const units = (await call(t.app, other, 'GET', '/api/units')).json<{ id: string }[]>();
    expect(units.map((u) => u.id)).not.toContain(world.demoUnitId);
    const audit = (await call(t.app, other, 'GET', '/api/audit')).json<{ actor: string | null }[]>();
    expect(audit.map((a) => a.actor)).not.toContain('admin.demo');
  });
});
