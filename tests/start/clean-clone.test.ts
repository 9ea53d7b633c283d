/**
 * The README's first command as a newcomer runs it: a fresh copy of the working tree (what git
 * would hand over: tracked and untracked-but-not-ignored files, so no dist/ and no data/), then
 * `npm start` with no NODE_ENV and no demo password. It builds the app inside the copy, starts on
 * an empty embedded database and prints the demo password once; every demo user can sign in, and
 * what it printed is what it did.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ESTABLISHMENT, DEMO_USERS } from '../../server/src/db/demo.ts';
import { PullResponse } from '../../src/shared/api/sync.ts';
import { SessionInfo } from '../../src/shared/auth.ts';
import { freePort } from '../support/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNING = /Wingcheck is running at (http:\/\/\S+) \((.*)\)\n/;

// vitest sets NODE_ENV=test; the rest would be settings the newcomer has not made.
const NOT_THE_NEWCOMERS
  = /^(NODE_ENV|VITEST.*|TEST|npm_.*|WINGCHECK_.*|DATABASE_URL|PORT|HOST|LOG_LEVEL|TRUST_PROXY|NODE_OPTIONS)$/i;

/** The environment a newcomer's shell gives npm: theirs, without what vitest, npm or this project's settings put there. */
function newcomerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!NOT_THE_NEWCOMERS.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

describe('a clean clone started with npm start', () => {
  let dir: string;
  let copy: string;
  let child: ChildProcess | null = null;
  let exited: Promise<number | null> = Promise.resolve(null);
  let out = '';
  let err = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wingcheck-clean-clone-'));
    copy = path.join(dir, 'wingcheck');
    // Listed by git (read only): what a clone plus the untracked work in progress would hold.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      const from = path.join(ROOT, file);
      // A tracked file deleted in the working tree is not there to copy.
      if (!existsSync(from)) continue;
      await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
      await copyFile(from, path.join(copy, file));
    }
    // `npm install` is the other half of the first command; its result is shared rather than redone.
    await symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  }, 120_000);

  afterAll(async () => {
    const running = child;
    if (running?.pid !== undefined && running.exitCode === null && running.signalCode === null) {
      // npm, its shell and the server are one process group of this test's own making: stop them all.
      process.kill(-running.pid, 'SIGTERM');
      const timeout = new Promise<boolean>((resolve) => {
        setTimeout(() => {
          resolve(false);
        }, 15_000);
      });
      const stopped = await Promise.race([exited.then(() => true), timeout]);
      if (!stopped) process.kill(-running.pid, 'SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('builds in the copy, starts, and every demo user signs in with the password it printed', { timeout: 600_000 }, async () => {
    expect(existsSync(path.join(copy, 'dist'))).toBe(false);
    expect(existsSync(path.join(copy, 'data'))).toBe(false);
    const port = await freePort();
    const dataDir = path.join(dir, 'data');
    const started = spawn('npm', ['start'], {
      cwd: copy,
      env: newcomerEnv({ PORT: String(port), WINGCHECK_DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that the server npm starts is stopped with it.
      detached: true,
    });
    child = started;
    exited = new Promise((resolve) => started.once('exit', resolve));
    const ready = await new Promise<boolean>((resolve) => {
      started.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (RUNNING.test(out)) resolve(true);
      });
      started.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      void exited.then(() => {
        resolve(false);
      });
    });
    expect(ready, `npm start did not start.\nstdout:\n${out}\nstderr:\n${err}`).toBe(true);
    expect(out).toContain('Building the app…');
    expect(existsSync(path.join(copy, 'dist', 'index.html'))).toBe(true);

    // The password, printed once, for exactly the four demo users.
    const usernames = DEMO_USERS.map((u) => u.username);
    const passwordLines = out.split('\n').filter((line) => line.includes('have the password'));
    expect(passwordLines).toHaveLength(1);
    const [, listed, password] = /^Demo users (.+) have the password: (\S+)$/.exec(passwordLines[0] ?? '') ?? [];
    expect(listed?.split(', ')).toEqual(usernames);

    const [, , said] = RUNNING.exec(out) ?? [];
    const url = `http://127.0.0.1:${port}`;
    let hor = '';
    for (const user of DEMO_USERS) {
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password }),
      });
      expect(res.status, `${user.username}: ${await res.clone().text()}`).toBe(200);
      const cookie = /wingcheck_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
      expect(cookie, user.username).toBeDefined();
      const info = SessionInfo.parse(await res.json());
      expect(info.user.username).toBe(user.username);
      expect(info.establishments.find((e) => e.name === DEMO_ESTABLISHMENT)?.roles).toEqual([user.role]);
      if (user.username === 'hor.demo') hor = cookie ?? '';
    }

    // What it said it made is what the server holds: the users (above) and the history's checks and notes.
    const history = /^embedded database in (.+), demo data created: (.+) with demo users (.+), and history from (\S+) to (\S+): (\d+) checks, (\d+) notes,/.exec(said ?? '');
    expect(history, said).not.toBeNull();
    const [, where, establishment, users, , , checks, notes] = history ?? [];
    expect(where).toBe(path.join(dataDir, 'pglite'));
    expect(establishment).toBe(DEMO_ESTABLISHMENT);
    expect(users?.split(', ')).toEqual(usernames);
    const pulled = { check: 0, note: 0 };
    let cursor = '0';
    for (;;) {
      const res = await fetch(`${url}/api/sync/pull?cursor=${cursor}&limit=1000`, { headers: { cookie: hor } });
      const page = PullResponse.parse(await res.json());
      for (const change of page.changes) if (change.entity === 'check') pulled[change.data.kind] += 1;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(pulled).toEqual({ check: Number(checks), note: Number(notes) });
    expect(pulled.check).toBeGreaterThan(0);
  });
});
