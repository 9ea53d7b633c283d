// How the server refuses to start on bad settings: one readable line, a non-zero exit, no stack.
// Independent of the database engine, so only the server-pglite suite runs this folder.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { spawnServer } from '../support/spawn-server.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wingcheck-startup-'));
  await chmod(scratch, 0o755);
});
afterAll(async () => {
  await chmod(path.join(scratch, 'read-only'), 0o755).catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
});

async function expectRefusal(env: Record<string, string>, pattern: RegExp, asUser?: { uid: number; gid: number }) {
  const run = spawnServer({ WINGCHECK_DATA_DIR: path.join(scratch, 'data'), PORT: String(await freePort()), ...env }, { asUser });
  const result = await run.ready;
  await run.stop();
  expect(result).toEqual({ running: false, code: 1 });
  const lines = run.stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Wingcheck could not start: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr()).not.toMatch(/\n\s+at /);
}

describe('the server refuses bad settings with one line', () => {
  it('names DATABASE_URL when it is not a URL', async () => {
    await expectRefusal({ DATABASE_URL: 'not a url at all' }, /DATABASE_URL is not a valid URL/);
  });

  it('names DATABASE_URL when it is not a PostgreSQL URL, without echoing its password', async () => {
    await expectRefusal({ DATABASE_URL: 'mysql://admin:s3cret@db:3306/x' }, /DATABASE_URL must start with postgres:\/\//);
  });

  it('says which PostgreSQL it could not reach, without the password', async () => {
    const port = await freePort();
    const run = spawnServer({
      WINGCHECK_DATA_DIR: path.join(scratch, 'data'),
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://wingcheck:s3cret@127.0.0.1:${port}/wingcheck`,
    });
    expect(await run.ready).toEqual({ running: false, code: 1 });
    expect(run.stderr()).toMatch(new RegExp(`Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/wingcheck \\(connection refused`));
    expect(run.stderr()).not.toContain('s3cret');
  });

  it('names PORT when it is not a port', async () => {
    await expectRefusal({ PORT: 'eighty' }, /PORT must be a number: got "eighty"/);
  });

  describe('when the port is taken', () => {
    let blocker: Server;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => blocker.close(resolve));
    });

    it('says the port is in use', async () => {
      await expectRefusal({ PORT: String(port) }, new RegExp(`Port ${port} is already in use`));
    });
  });

  it('says the data folder cannot be written when a file stands in its way', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, '');
    await expectRefusal({ WINGCHECK_DATA_DIR: path.join(file, 'data') }, /Cannot write to the data folder .*a-file\/data \(part of the path is a file/);
  });

  it('says the data folder cannot be written when it is read-only', async () => {
    const dir = path.join(scratch, 'read-only');
    await rm(dir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', dir]);
    await chmod(dir, 0o555);
    // Root ignores file modes, so as root the server runs as 'nobody', for whom the mode holds.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    await expectRefusal({ WINGCHECK_DATA_DIR: dir }, /Cannot write to the data folder .*read-only \(permission denied\)/, asUser);
  });
});
