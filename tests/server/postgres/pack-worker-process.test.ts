// `npm run worker` (issue 20): evidence packs made by a process of their own, for web servers
// started with WINGCHECK_EXPORT_WORKER=off.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExportJob } from '../../../src/shared/api/export.ts';
import { CSRF_HEADER } from '../../../src/shared/auth.ts';
import { freePort } from '../../support/ports.ts';
import { seedDemoOn } from '../support/evidence.ts';
import { signInOverHttp, spawnServer } from '../support/spawn-server.ts';
import { createTestDatabase } from '../support/test-db.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function startWorkerProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => out };
}

describe('the pack worker as a process of its own', () => {
  it('makes the packs a server with WINGCHECK_EXPORT_WORKER=off only queues, and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    // One folder for both: with PostgreSQL several processes may share the photo folder.
    const folder = await mkdtemp(path.join(tmpdir(), 'wingcheck-worker-'));
    const port = await freePort();
    const env = { DATABASE_URL: database.url, WINGCHECK_DATA_DIR: folder };
    const server = spawnServer({ ...env, PORT: String(port), WINGCHECK_EXPORT_WORKER: 'off' });
    let worker: ReturnType<typeof startWorkerProcess> | null = null;
    try {
      const refs = await seedDemoOn(database.url);
      expect(await server.ready, server.stderr()).toEqual({ running: true, code: null });
      const base = `http://127.0.0.1:${port}`;
      const head = await signInOverHttp(base, 'hor.demo');
      const asked = await fetch(`${base}/api/exports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cookie': head.cookie, [CSRF_HEADER]: head.csrf },
        body: JSON.stringify({ format: 'csv', planId: refs.planId, from: '2026-01-01', to: '2026-12-31' }),
      });
      expect(asked.status).toBe(202);
      const { id } = ExportJob.parse(await asked.json());
      const state = async () => ExportJob.parse(await (await fetch(`${base}/api/exports/${id}`, { headers: { cookie: head.cookie } })).json()).state;
      // The server makes nothing itself: longer than its worker's poll, still waiting.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await state()).toBe('queued');

      worker = startWorkerProcess(env);
      await expect.poll(() => worker?.output(), { timeout: 30_000 }).toContain('Wingcheck pack worker is running');
      await expect.poll(state, { timeout: 30_000, interval: 200 }).toBe('ready');
      const file = await fetch(`${base}/api/exports/${id}/file`, { headers: { cookie: head.cookie } });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      worker?.child.kill('SIGKILL');
      await server.stop();
      await database.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses to run on the embedded database, saying why', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'wingcheck-worker-'));
    try {
      const worker = startWorkerProcess({ WINGCHECK_DATA_DIR: folder });
      expect(await worker.exited).toBe(1);
      expect(worker.output().trim()).toBe(
        'The Wingcheck pack worker could not start: DATABASE_URL is not set: the embedded database belongs to one process, so its server makes the packs itself',
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
