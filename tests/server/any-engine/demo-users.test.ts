// Demo users exist only on a new embedded database, never in production. (PGlite-only, like the
// demo itself, so only the server-pglite suite runs this folder.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { spawnServer } from '../support/spawn-server.ts';

describe('demo users', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-demo-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}) {
    const port = await freePort();
    const run = spawnServer({ PORT: String(port), WINGCHECK_DATA_DIR: dataDir, ...env });
    expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
    const signIn = (username: string, password: string) =>
      fetch(`http://127.0.0.1:${port}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      }).then((res) => res.status);
    return { run, signIn };
  }

  it('prints a random password once, on the first start, and it signs the demo users in', async () => {
    const first = await start();
    try {
      const line = /Demo users admin\.demo, hor\.demo, dg\.demo, so\.demo have the password: (\S+)/.exec(first.run.stdout());
      expect(line).not.toBeNull();
      const password = line?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(16);
      for (const user of ['admin.demo', 'hor.demo', 'dg.demo', 'so.demo']) expect(await first.signIn(user, password)).toBe(200);
    } finally {
      await first.run.stop();
    }
    const second = await start();
    await second.run.stop();
    expect(second.run.stdout()).not.toContain('have the password');
  });

  it('uses WINGCHECK_DEMO_PASSWORD when set, and never prints it', async () => {
    const { run, signIn } = await start({ WINGCHECK_DEMO_PASSWORD: 'chosen demo password' });
    try {
      expect(run.stdout()).not.toContain('chosen demo password');
      expect(await signIn('hor.demo', 'chosen demo password')).toBe(200);
    } finally {
      await run.stop();
    }
  });

  it('makes no demo users when NODE_ENV=production', async () => {
    const { run, signIn } = await start({ NODE_ENV: 'production', WINGCHECK_DEMO_PASSWORD: 'chosen demo password' });
    try {
      expect(run.stdout()).not.toContain('have the password');
      expect(await signIn('admin.demo', 'chosen demo password')).toBe(401);
    } finally {
      await run.stop();
    }
  });
});
