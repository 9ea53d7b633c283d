// People who work in several establishments (a duty governor covering a group of prisons): one
// account, roles in each, and every request working in exactly one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESTABLISHMENT_HEADER } from '../../../src/shared/auth.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { buildWorld, call, signIn, type World } from '../support/world.ts';

interface Me {
  establishment: { id: string; name: string };
  establishments: { id: string; name: string; roles: string[] }[];
  roles: string[];
}

describe(`working in several establishments on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  const unitNames = async (session: Awaited<ReturnType<typeof signIn>>, headers: Record<string, string> = {}) => {
    const res = await call(t.app, session, 'GET', '/api/units', undefined, { headers });
    expect(res.statusCode).toBe(200);
    return res.json<{ name: string }[]>().map((u) => u.name);
  };

  it('an admin adds an existing person of another establishment, who then switches between the two', async () => {
    const otherAdmin = await signIn(t.app, 'admin.other');
    const added = await call(t.app, otherAdmin, 'POST', '/api/users/memberships', { username: ' DG.Demo', roles: ['duty-governor'] });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ username: 'dg.demo', roles: ['duty-governor'] });
    // Listed among that establishment's people now, and the demo's list is unchanged.
    const listed = await call(t.app, otherAdmin, 'GET', '/api/users');
    expect(listed.json<{ username: string }[]>().map((u) => u.username)).toContain('dg.demo');

    const dg = await signIn(t.app, 'dg.demo');
    const me = (await call(t.app, dg, 'GET', '/api/me')).json<Me>();
    expect(me.establishments.map((e) => e.name)).toEqual(['HMP Demo', 'HMP Elsewhere']);
    expect(me.establishment.id).toBe(world.demoId);
    expect(await unitNames(dg)).not.toContain('Elsewhere Wing');

    const switched = await call(t.app, dg, 'POST', '/api/session/establishment', { establishmentId: world.elsewhereId });
    expect(switched.statusCode).toBe(200);
    expect(switched.json<Me>()).toMatchObject({ establishment: { id: world.elsewhereId, name: 'HMP Elsewhere' }, roles: ['duty-governor'] });
    expect(await unitNames(dg)).toEqual(['Elsewhere Wing']);
    // A device still holding the demo's data says so, and its requests land there whatever the session says.
    expect(await unitNames(dg, { [ESTABLISHMENT_HEADER]: world.demoId })).not.toContain('Elsewhere Wing');
    const meThere = await call(t.app, dg, 'GET', '/api/me', undefined, { headers: { [ESTABLISHMENT_HEADER]: world.demoId } });
    expect(meThere.json<Me>().establishment.id).toBe(world.demoId);

    // Each establishment's audit log says who came and went.
    const entries = await t.db.query<{ establishment_id: string; details: { from: string; to: string } }>(
      "SELECT establishment_id, details FROM audit_log WHERE action = 'session.switch-establishment' ORDER BY seq",
    );
    expect(entries.map((e) => e.establishment_id).sort()).toEqual([world.demoId, world.elsewhereId].sort());
    expect(entries[0]?.details).toMatchObject({ from: world.demoId, to: world.elsewhereId });

    // Sign-in can choose where to work straight away.
    const direct = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'dg.demo', password: 'correct horse battery staple', establishmentId: world.elsewhereId },
    });
    expect(direct.json<Me>().establishment.id).toBe(world.elsewhereId);
  });

  it('refuses an establishment the person does not work in, in the header or the switch, without ending the session', async () => {
    const so = await signIn(t.app, 'so.demo');
    const viaHeader = await call(t.app, so, 'GET', '/api/units', undefined, { headers: { [ESTABLISHMENT_HEADER]: world.elsewhereId } });
    expect(viaHeader.statusCode).toBe(403);
    expect(viaHeader.json()).toMatchObject({ error: 'forbidden', message: 'You do not work in that establishment.' });
    const unknown = await call(t.app, so, 'GET', '/api/units', undefined, { headers: { [ESTABLISHMENT_HEADER]: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.statusCode).toBe(403);
    const garbage = await call(t.app, so, 'GET', '/api/units', undefined, { headers: { [ESTABLISHMENT_HEADER]: "x' OR 1=1" } });
    expect(garbage.statusCode).toBe(400);
    const viaSwitch = await call(t.app, so, 'POST', '/api/session/establishment', { establishmentId: world.elsewhereId });
    expect(viaSwitch.statusCode).toBe(403);
    const bad = await call(t.app, so, 'POST', '/api/session/establishment', { establishmentId: 'elsewhere' });
    expect(bad.statusCode).toBe(400);
    expect(await unitNames(so)).toContain('A Wing');
    // Signing in ignores a stale header: it does not depend on who asks.
    const signInWithHeader = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: so.cookie, [ESTABLISHMENT_HEADER]: world.elsewhereId },
      payload: { username: 'so.demo', password: 'correct horse battery staple' },
    });
    expect(signInWithHeader.statusCode).toBe(200);
  });

  it('says clearly why a person cannot be added: unknown, already here, or disabled', async () => {
    const admin = await signIn(t.app, 'admin.demo');
    const unknown = await call(t.app, admin, 'POST', '/api/users/memberships', { username: 'nobody.at.all', roles: ['unit-manager'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ message: string }>().message).toMatch(/^username: nobody has that username/);
    const here = await call(t.app, admin, 'POST', '/api/users/memberships', { username: 'so.demo', roles: ['unit-manager'] });
    expect(here.statusCode).toBe(409);
    await t.db.query('UPDATE users SET disabled_at = now() WHERE username = $1', ['admin.other']);
    const disabled = await call(t.app, admin, 'POST', '/api/users/memberships', { username: 'admin.other', roles: ['unit-manager'] });
    await t.db.query('UPDATE users SET disabled_at = NULL WHERE username = $1', ['admin.other']);
    expect(disabled.statusCode).toBe(409);
    const noRoles = await call(t.app, admin, 'POST', '/api/users/memberships', { username: 'admin.other', roles: [] });
    expect(noRoles.statusCode).toBe(400);
    // A unit of another establishment cannot be handed out.
    const [elsewhereUnit] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1', [world.elsewhereId]);
    const foreignUnit = await call(t.app, admin, 'POST', '/api/users/memberships', {
      username: 'admin.other',
      roles: ['unit-manager'],
      unitIds: [elsewhereUnit?.id],
    });
    expect(foreignUnit.statusCode).toBe(400);
    const [membership] = await t.db.query('SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.username = $1 AND m.establishment_id = $2', [
      'admin.other',
      world.demoId,
    ]);
    expect(membership).toBeUndefined();
  });
});
