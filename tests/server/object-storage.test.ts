// Photos in S3-compatible object storage (WINGCHECK_S3_*), on the suite's engine: through the API
// in-process, and as `npm start` runs the server, against a real S3 server on loopback (s3rver).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.ts';
import { HealthResponse } from '../../src/shared/api/health.ts';
import { PHOTO_BATCH_TYPE, photoFrameHeader, StoredBlobs } from '../../src/shared/api/sync.ts';
import { CSRF_HEADER } from '../../src/shared/roles.ts';
import { S3BlobStore, type S3Settings } from '../../server/src/blobs-s3.ts';
import { openPglite } from '../../server/src/db/client.ts';
import { freePort } from '../support/ports.ts';
import { S3_TEST_CREDENTIALS, startS3Server, type TestS3 } from '../support/s3-server.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { PHOTO } from './support/evidence.ts';
import { spawnServer } from './support/spawn-server.ts';
import { createTestDatabase, TEST_ENGINE } from './support/test-db.ts';
import { buildWorld, call, signIn, type Session } from './support/world.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let made = 0;
const photo = () => Buffer.concat([PHOTO, Buffer.from(`object storage ${(made += 1)} ${Math.random()}`)]);

let s3: TestS3;
let bucketNumber = 0;
const settings = (): S3Settings => {
  bucketNumber += 1;
  return { endpoint: s3.endpoint, bucket: `wingcheck-${TEST_ENGINE}-${bucketNumber}`, region: 'us-east-1', ...S3_TEST_CREDENTIALS };
};

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.stop();
});

describe(`photos in object storage on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let store: S3BlobStore;
  let dg: Session;
  beforeAll(async () => {
    store = new S3BlobStore(settings());
    await store.ensureBucket();
    t = await startTestApp({ blobs: store });
    await buildWorld(t.db);
    dg = await signIn(t.app, 'dg.demo');
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes a batch and a single upload into the bucket and serves them back byte for byte', async () => {
    const photos = [photo(), photo()];
    const body = Buffer.concat(photos.map((p) => Buffer.concat([photoFrameHeader(sha(p), p.length), p])));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/blobs/batch',
      headers: { 'cookie': dg.cookie, [CSRF_HEADER]: dg.csrfToken, 'content-type': PHOTO_BATCH_TYPE },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(StoredBlobs.parse(res.json()).stored.map((s) => s.created)).toEqual([true, true]);
    const single = photo();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/blobs/${sha(single)}`,
      headers: { 'cookie': dg.cookie, [CSRF_HEADER]: dg.csrfToken, 'content-type': 'image/jpeg' },
      payload: single,
    });
    expect(put.statusCode, put.body).toBe(201);
    for (const bytes of [...photos, single]) {
      expect(await store.has(sha(bytes))).toBe(true);
      const got = await call(t.app, dg, 'GET', `/api/blobs/${sha(bytes)}`);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(bytes)).toBe(true);
    }
  });

  it('refuses bytes that are not the photo named, keeping nothing in the bucket', async () => {
    const [bytes, named] = [photo(), photo()];
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/blobs/${sha(named)}`,
      headers: { 'cookie': dg.cookie, [CSRF_HEADER]: dg.csrfToken, 'content-type': 'image/jpeg' },
      payload: bytes,
    });
    expect(res.statusCode).toBe(400);
    expect(await store.has(sha(named))).toBe(false);
  });

  it('answers 503 (try again), never 500, when the object store does not answer, for a batch and a single upload', async () => {
    const gone = new S3BlobStore({ ...settings(), endpoint: `http://127.0.0.1:${await freePort()}` });
    const cut = await startTestApp({ blobs: gone });
    try {
      await buildWorld(cut.db);
      const so = await signIn(cut.app, 'so.demo');
      const bytes = photo();
      const headers = { cookie: so.cookie, [CSRF_HEADER]: so.csrfToken };
      const single = await cut.app.inject({ method: 'PUT', url: `/api/blobs/${sha(bytes)}`, headers: { ...headers, 'content-type': 'image/jpeg' }, payload: bytes });
      const batch = await cut.app.inject({
        method: 'POST',
        url: '/api/blobs/batch',
        headers: { ...headers, 'content-type': PHOTO_BATCH_TYPE },
        payload: Buffer.concat([photoFrameHeader(sha(bytes), bytes.length), bytes]),
      });
      for (const res of [single, batch]) {
        expect(res.statusCode, res.body).toBe(503);
        expect(ApiError.parse(res.json()).error).toBe('photo_store_unavailable');
      }
    } finally {
      await cut.close();
    }
  });

  it('says in /api/health that photos are in object storage', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(HealthResponse.parse(res.json())).toMatchObject({ status: 'ok', blobs: 's3' });
  });
});

describe(`npm start's server with WINGCHECK_S3_* on ${TEST_ENGINE}`, () => {
  it('makes the bucket, keeps photos there and says so in /api/health; 503 once the store is gone', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-s3-start-'));
    const database = await createTestDatabase();
    // A store of its own, to take away while the server runs.
    const own = await startS3Server();
    const { bucket } = settings();
    const endpoint = own.endpoint;
    const port = await freePort();
    const env = {
      PORT: String(port),
      WINGCHECK_DATA_DIR: dataDir,
      WINGCHECK_S3_ENDPOINT: endpoint,
      WINGCHECK_S3_BUCKET: bucket,
      AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    };
    const run = spawnServer(env);
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(HealthResponse.parse(await res.json())).toMatchObject({ status: 'ok', db: TEST_ENGINE, blobs: 's3' });
      const store = new S3BlobStore({ endpoint, bucket, region: 'us-east-1', ...S3_TEST_CREDENTIALS });
      await store.check();
      await run.stop();
      const photos: string[] = [];
      if (TEST_ENGINE === 'pglite') {
        // The demo's history, made on the first start of an empty embedded database, has photos: they went to the bucket.
        const db = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
        try {
          const rows = await db.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM photos');
          expect(rows.length).toBeGreaterThan(0);
          for (const { sha256 } of rows) photos.push(sha256);
        } finally {
          await db.close();
        }
      }
      for (const sha256 of photos) expect(await store.has(sha256), sha256).toBe(true);
      // Started again, then the store goes away: the server says it cannot serve, in the same shape.
      const again = spawnServer(env);
      try {
        expect(await again.ready, again.stderr()).toEqual({ running: true, code: null });
        await own.stop();
        const down = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(down.status).toBe(503);
        expect(HealthResponse.parse(await down.json())).toMatchObject({ status: 'unavailable', db: TEST_ENGINE, blobs: 's3' });
      } finally {
        await again.stop();
      }
    } finally {
      await run.stop();
      await own.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start, saying what to set, when the endpoint is set without a bucket or credentials', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-s3-bad-'));
    try {
      for (const [env, says] of [
        [{ WINGCHECK_S3_ENDPOINT: s3.endpoint }, /WINGCHECK_S3_BUCKET/],
        [{ WINGCHECK_S3_ENDPOINT: s3.endpoint, WINGCHECK_S3_BUCKET: 'photos' }, /AWS_ACCESS_KEY_ID/],
        [{ WINGCHECK_S3_ENDPOINT: 'ftp://example', WINGCHECK_S3_BUCKET: 'photos' }, /WINGCHECK_S3_ENDPOINT/],
        [{ WINGCHECK_S3_ENDPOINT: s3.endpoint, WINGCHECK_S3_BUCKET: 'Not_A_Bucket', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, /bucket name/],
      ] as const) {
        const run = spawnServer({ PORT: String(await freePort()), WINGCHECK_DATA_DIR: dataDir, ...env });
        expect(await run.ready).toEqual({ running: false, code: 1 });
        expect(run.stderr()).toMatch(says);
        expect(run.stderr()).not.toMatch(/\n\s+at /);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
