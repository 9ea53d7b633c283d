// SIGTERM, as a load balancer's orchestrator sends it: the server stops taking connections,
// finishes the requests in flight (a push still arriving is answered) and then exits 0.
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { CSRF_HEADER } from '../../src/shared/auth.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import { freePort } from '../support/ports.ts';
import { seedDemoOn } from './support/evidence.ts';
import { signInOverHttp, spawnServer } from './support/spawn-server.ts';
import { createTestDatabase, TEST_ENGINE } from './support/test-db.ts';
import { PASSWORD } from './support/world.ts';

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

describe(`stopping the server with SIGTERM on ${TEST_ENGINE}`, () => {
  it('answers the push still arriving, refuses new connections, then exits 0', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-sigterm-'));
    const database = await createTestDatabase();
    try {
      // PostgreSQL gets the demo here; the embedded database makes it on the server's first start.
      if (database.url) await seedDemoOn(database.url);
      const port = await freePort();
      const run = spawnServer({
        PORT: String(port),
        WINGCHECK_DATA_DIR: dataDir,
        WINGCHECK_DEMO_PASSWORD: PASSWORD,
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      });
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      const base = `http://127.0.0.1:${port}`;
      const tablet = await signInOverHttp(base, 'so.demo');

      // A push whose body is half sent when the signal comes.
      const mutation = { id: crypto.randomUUID(), clientId: 'tablet-sigterm', seq: 1, type: 'note.add', payload: { nonsense: true }, createdAt: new Date().toISOString() };
      const body = Buffer.from(JSON.stringify({ clientId: 'tablet-sigterm', protocol: PROTOCOL_VERSION, mutations: [mutation] }));
      const sending: { request: ReturnType<typeof httpRequest> | null } = { request: null };
      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${base}/api/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'cookie': tablet.cookie, [CSRF_HEADER]: tablet.csrf },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text });
          });
        });
        req.on('error', reject);
        req.write(body.subarray(0, 20));
        sending.request = req;
      });
      await sleep(200);
      const stopped = run.stop('SIGTERM');
      await sleep(300);
      // Stopped listening: a new connection is refused while the push in flight is still open.
      const late = await fetch(`${base}/api/health`).then((res) => `answered ${res.status}`, () => 'refused');
      sending.request?.end(body.subarray(20));
      const { status, text } = await answered;
      await stopped;
      expect(late).toBe('refused');
      expect(status, text).toBe(200);
      expect(PushResponse.parse(JSON.parse(text)).results).toEqual([expect.objectContaining({ id: mutation.id, status: 'rejected' })]);
      expect(await run.exited).toBe(0);
    } finally {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
