// Several servers, one truth (issue 20): two server processes on one PostgreSQL and one object
// store, each with its own data folder, so nothing is shared but what production shares. A device
// syncs photos and a check through one; the head of residence reads the photo and exports a pack
// through the other. A server killed while it makes an evidence pack leaves a job that is made
// once it is started again, and the pack is downloaded through the server that did not make it.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../server/src/blobs-s3.ts';
import { openPostgres } from '../../../server/src/db/client.ts';
import { ExportJob } from '../../../src/shared/api/export.ts';
import { HealthResponse } from '../../../src/shared/api/health.ts';
import { PHOTO_BATCH_TYPE, photoFrameHeader, PushResponse, StoredBlobs } from '../../../src/shared/api/sync.ts';
import { CSRF_HEADER } from '../../../src/shared/auth.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/mutations.ts';
import { freePort } from '../../support/ports.ts';
import { S3_TEST_CREDENTIALS, startS3Server } from '../../support/s3-server.ts';
import { checkMutation, PHOTO, seedDemoOn } from '../support/evidence.ts';
import { signInOverHttp, spawnServer, type ServerRun } from '../support/spawn-server.ts';
import { createTestDatabase } from '../support/test-db.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('two servers on one PostgreSQL and one object store', () => {
  it('serve one truth: photos synced through one are read and exported through the other', { timeout: 240_000 }, async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    const s3 = await startS3Server();
    const folders: string[] = [];
    const servers: ServerRun[] = [];
    const watcher = await openPostgres(database.url, { max: 1 });
    try {
      // Six weeks of the demo's history, photos in the bucket: a pack of the whole plan worth interrupting.
      const photos = new S3BlobStore({ endpoint: s3.endpoint, bucket: 'shared-photos', region: 'us-east-1', ...S3_TEST_CREDENTIALS });
      await photos.ensureBucket();
      const refs = await seedDemoOn(database.url, { blobs: photos });

      const bases: string[] = [];
      const envs: Record<string, string>[] = [];
      for (let i = 0; i < 2; i += 1) {
        const folder = await mkdtemp(path.join(tmpdir(), `wingcheck-server-${i}-`));
        folders.push(folder);
        const port = await freePort();
        const env = {
          PORT: String(port),
          DATABASE_URL: database.url,
          WINGCHECK_DATA_DIR: folder,
          WINGCHECK_S3_ENDPOINT: s3.endpoint,
          WINGCHECK_S3_BUCKET: 'shared-photos',
          AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
          // The first makes no packs, so the one killed below is known to be the pack's maker.
          ...(i === 0 ? { WINGCHECK_EXPORT_WORKER: 'off' } : {}),
        };
        envs.push(env);
        servers.push(spawnServer(env));
        bases.push(`http://127.0.0.1:${port}`);
      }
      for (const run of servers) expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      const [one = '', other = ''] = bases;
      for (const base of bases) {
        expect(HealthResponse.parse(await (await fetch(`${base}/api/health`)).json())).toMatchObject({ status: 'ok', db: 'postgres', blobs: 's3' });
      }

      // A tablet syncs through the first: its photo in a batch, then the check that shows it.
      const tablet = await signInOverHttp(one, 'dg.demo');
      const photo = Buffer.concat([PHOTO, Buffer.from(`two servers ${Math.random()}`)]);
      const stored = await fetch(`${one}/api/blobs/batch`, {
        method: 'POST',
        headers: { 'cookie': tablet.cookie, [CSRF_HEADER]: tablet.csrf, 'content-type': PHOTO_BATCH_TYPE },
        body: Buffer.concat([photoFrameHeader(sha(photo), photo.length), photo]),
      });
      expect(stored.status).toBe(200);
      expect(StoredBlobs.parse(await stored.json()).stored).toEqual([{ sha256: sha(photo), size: photo.length, created: true }]);
      const check = checkMutation(refs, 'tablet-two-servers', 1, {
        photos: [{ sha256: sha(photo), mime: 'image/jpeg', size: photo.length, width: 1200, height: 1600, itemId: null }],
      });
      const pushed = await fetch(`${one}/api/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cookie': tablet.cookie, [CSRF_HEADER]: tablet.csrf },
        body: JSON.stringify({ clientId: 'tablet-two-servers', protocol: PROTOCOL_VERSION, mutations: [check] }),
      });
      expect(PushResponse.parse(await pushed.json()).results.map((r) => r.status)).toEqual(['applied']);

      // The head of residence, through the second: the photo byte for byte, and a pack with it in.
      const head = await signInOverHttp(other, 'hor.demo');
      const got = await fetch(`${other}/api/blobs/${sha(photo)}`, { headers: { cookie: head.cookie } });
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(photo)).toBe(true);
      const today = new Date().toISOString().slice(0, 10);
      const pack = await fetch(`${other}/api/exports/evidence.pdf?actionId=${refs.actionId}&from=2026-11-01&to=${today}`, {
        headers: { cookie: head.cookie },
      });
      expect(pack.status).toBe(200);
      const pdf = Buffer.from(await pack.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // The photo is drawn in the pack (an image object), read from the object store by this server.
      expect(pdf.includes('/Subtype /Image')).toBe(true);

      // A pack of the whole plan, queued through the second, which starts making it and is killed
      // part-way: the store is frozen first, so the worker waits on the pack's first photo.
      s3.freeze();
      const asked = await fetch(`${other}/api/exports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cookie': head.cookie, [CSRF_HEADER]: head.csrf },
        body: JSON.stringify({ format: 'pdf', planId: refs.planId, from: '2026-01-01', to: today }),
      });
      expect(asked.status).toBe(202);
      const { id } = ExportJob.parse(await asked.json());
      const jobRow = async () =>
        (await watcher.query<{ state: string; worker: string | null; attempts: number }>('SELECT state, worker, attempts FROM export_jobs WHERE id = $1', [id]))[0];
      await expect.poll(async () => (await jobRow())?.state, { timeout: 30_000, interval: 25 }).toBe('running');
      const maker = servers[1];
      expect((await jobRow())?.worker).toContain(`:${maker?.pid ?? ''}:`);
      await maker?.stop('SIGKILL');
      s3.thaw();
      expect(await jobRow()).toMatchObject({ state: 'running', attempts: 1 });

      const restarted = spawnServer(envs[1] ?? {});
      servers.push(restarted);
      expect(await restarted.ready, restarted.stderr()).toEqual({ running: true, code: null });
      // Its lease runs out, the restarted server takes the job again and finishes it.
      const readJob = async () => ExportJob.parse(await (await fetch(`${one}/api/exports/${id}`, { headers: { cookie: head.cookie } })).json());
      await expect.poll(async () => (await readJob()).state, { timeout: 120_000, interval: 250 }).toBe('ready');
      expect((await jobRow())?.attempts).toBe(2);
      const made = await readJob();
      expect(made.progress.done).toBe(made.progress.total);
      expect(made.progress.done).toBeGreaterThan(100);
      // Downloaded through the server that did not make it: the pack is in the shared bucket.
      const file = await fetch(`${one}/api/exports/${id}/file`, { headers: { cookie: head.cookie } });
      expect(file.status).toBe(200);
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.length).toBe(made.size);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.includes('/Subtype /Image')).toBe(true);
    } finally {
      await watcher.close();
      await Promise.all(servers.map((run) => run.stop()));
      await s3.stop();
      await database.drop();
      await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    }
  });
});
