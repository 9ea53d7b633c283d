// The data folder lock in one process: several takers at once get one lock between them, a
// released lock can be taken again, and a folder too deep for a socket's path still locks.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartupError } from '../../server/src/config.ts';
import { LOCK_FOLDER, lockDataDir, type DataDirLock } from '../../server/src/data-lock.ts';

describe('lockDataDir', () => {
  let dataDir: string;
  const held: DataDirLock[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-lock-unit-'));
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((lock) => lock.release()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives the folder to one of several takers at once, and refuses the others with the holder', async () => {
    const results = await Promise.allSettled([lockDataDir(dataDir), lockDataDir(dataDir), lockDataDir(dataDir)]);
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    held.push(...won);
    expect(won).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(StartupError);
        expect((result.reason as Error).message).toMatch(new RegExp(`^Another Wingcheck server \\(process ${process.pid}, running since `));
      }
    }
  });

  it('can be taken again once released, and leaves no socket behind', async () => {
    const first = await lockDataDir(dataDir);
    await first.release();
    expect(await readdir(path.join(dataDir, LOCK_FOLDER))).toEqual([]);
    held.push(await lockDataDir(dataDir));
  });

  it('takes over a dead server\'s socket, and tidies it away', async () => {
    // A socket file nobody listens on, as a kill -9 leaves it.
    const dead = path.join(dataDir, LOCK_FOLDER, '0123456789abcdef.sock');
    await mkdir(path.dirname(dead), { recursive: true });
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(dead)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await readdir(path.dirname(dead))).toContain('0123456789abcdef.sock');
    held.push(await lockDataDir(dataDir));
    expect(await readdir(path.dirname(dead))).not.toContain('0123456789abcdef.sock');
  });

  it('works in a folder whose path is too long for a socket', async () => {
    const deep = path.join(dataDir, 'a'.repeat(60), 'b'.repeat(60));
    const first = await lockDataDir(deep);
    held.push(first);
    const cwd = process.cwd();
    await expect(lockDataDir(deep)).rejects.toThrow(/Another Wingcheck server \(process \d+/);
    expect(process.cwd()).toBe(cwd);
    await first.release();
    expect(await readdir(path.join(deep, LOCK_FOLDER))).toEqual([]);
    held.push(await lockDataDir(deep));
  });
});
