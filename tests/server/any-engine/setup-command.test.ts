// Going live without the demo: on a fresh data folder with NODE_ENV=production there is no demo
// user; the set-up command creates an establishment and its admin, who signs in with the one-time
// password, must choose a new one before anything else, then sets up a unit and a user through
// the API. (Embedded database; the command on PostgreSQL runs the same code through DATABASE_URL.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { client, wingcheckIn } from '../support/wingcheck-cli.ts';
import { spawnServer } from '../support/spawn-server.ts';

describe('setting up an establishment without the demo', () => {
  let dataDir: string;
  const wingcheck = (folder: string, ...args: string[]) => wingcheckIn({ NODE_ENV: 'production', WINGCHECK_DATA_DIR: folder }, ...args);
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-setup-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates an establishment and an admin who must replace the one-time password, then sets up a unit and a user', async () => {
    const made = await wingcheck(
      dataDir,
      'create-establishment', '--name', 'HMP Example', '--time-zone', 'Europe/London', '--admin-username', 'jo.admin', '--admin-name', 'Jo Admin',
    );
    expect(made.code, made.stderr).toBe(0);
    const lines = made.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0] ?? '') as { establishment: { id: string; name: string }; admin: { username: string; oneTimePassword: string } };
    expect(created.establishment.name).toBe('HMP Example');
    expect(created.admin.username).toBe('jo.admin');
    expect(created.admin.oneTimePassword.length).toBeGreaterThanOrEqual(16);

    const again = await wingcheck(dataDir, 'create-establishment', '--name', 'HMP Example', '--admin-username', 'sam.admin', '--admin-name', 'Sam');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toEqual(['wingcheck: an establishment named "HMP Example" already exists']);

    const port = await freePort();
    const run = spawnServer({ NODE_ENV: 'production', PORT: String(port), WINGCHECK_DATA_DIR: dataDir });
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      // With the server running, the embedded database is its own: the command says so.
      const busy = await wingcheck(dataDir, 'list-establishments');
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/^wingcheck: .*server/);

      const base = `http://127.0.0.1:${port}`;
      const demo = client(base);
      for (const user of ['admin.demo', 'hor.demo', 'dg.demo', 'so.demo']) {
        expect((await demo('POST', '/api/session', { username: user, password: 'anything at all' })).status).toBe(401);
      }

      const jo = client(base);
      const signIn = await jo('POST', '/api/session', { username: 'jo.admin', password: created.admin.oneTimePassword });
      expect(signIn.status).toBe(200);
      expect(signIn.json).toMatchObject({ mustChangePassword: true, roles: ['admin'], establishment: { name: 'HMP Example' } });
      // Nothing but choosing a password until it is done.
      const refused = await jo('GET', '/api/units');
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ error: 'password_change_required' });
      expect((await jo('GET', '/api/me')).status).toBe(200);

      const wrong = await jo('POST', '/api/session/password', { currentPassword: 'not it', newPassword: 'a long new password' });
      expect(wrong.status).toBe(400);
      const same = await jo('POST', '/api/session/password', {
        currentPassword: created.admin.oneTimePassword,
        newPassword: created.admin.oneTimePassword,
      });
      expect(same.status).toBe(400);
      const changed = await jo('POST', '/api/session/password', {
        currentPassword: created.admin.oneTimePassword,
        newPassword: 'three words long enough',
      });
      expect(changed.status).toBe(200);
      expect(changed.json).toMatchObject({ mustChangePassword: false });

      const unit = await jo('POST', '/api/units', { name: 'A wing', landings: ['1s', '2s'] });
      expect(unit.status).toBe(201);
      const unitId = (unit.json as { id: string }).id;
      const user = await jo('POST', '/api/users', {
        username: 'sam.manager',
        displayName: 'Sam Manager',
        jobTitle: 'Head of Residence',
        password: 'another long password',
        roles: ['unit-manager'],
        unitIds: [unitId],
      });
      expect(user.status).toBe(201);

      // The one-time password is used up; the new one works; the new user signs in with the
      // password the admin gave them, which is one-time too.
      expect((await client(base)('POST', '/api/session', { username: 'jo.admin', password: created.admin.oneTimePassword })).status).toBe(401);
      expect((await client(base)('POST', '/api/session', { username: 'jo.admin', password: 'three words long enough' })).status).toBe(200);
      const sam = await client(base)('POST', '/api/session', { username: 'sam.manager', password: 'another long password' });
      expect(sam.json).toMatchObject({ mustChangePassword: true, roles: ['unit-manager'], unitIds: [unitId] });
    } finally {
      await run.stop();
    }

    // With the server stopped the command has the folder again: a reset gives a new one-time password.
    const reset = await wingcheck(dataDir, 'reset-password', '--username', 'sam.manager');
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ username: 'sam.manager', oneTimePassword: expect.any(String) as string });
    const listed = await wingcheck(dataDir, 'list-establishments');
    expect(JSON.parse(listed.stdout)).toEqual({
      establishments: [{ id: created.establishment.id, name: 'HMP Example', timeZone: 'Europe/London', admins: ['jo.admin'], people: 2 }],
    });
  }, 120_000);
});
