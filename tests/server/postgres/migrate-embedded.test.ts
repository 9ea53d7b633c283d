// npm run --silent migrate:embedded -- --to "$DATABASE_URL": a populated embedded install (the
// demo's six weeks of checks, reviews and photos) moved to PostgreSQL and object storage, then
// served from there; and refused, leaving the target empty, when the copy would not be true.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../server/src/db/client.ts';
import { freePort } from '../../support/ports.ts';
import { S3_TEST_CREDENTIALS, startS3Server, type TestS3 } from '../../support/s3-server.ts';
import { signInOverHttp, spawnServer } from '../support/spawn-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PASSWORD = 'migration demo password';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function migrateEmbedded(env: Record<string, string>, to: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'migrate:embedded', '--', '--to', to], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('moving the embedded install to PostgreSQL and object storage', () => {
  let dataDir: string;
  let s3: TestS3;
  const targets: TestDatabase[] = [];
  const s3Env = () => ({
    WINGCHECK_S3_ENDPOINT: s3.endpoint,
    WINGCHECK_S3_BUCKET: 'moved-photos',
    AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
  });

  beforeAll(async () => {
    // An embedded install with history: the demo made on its first start (checks, reviews, photos, audit).
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-embedded-'));
    const run = spawnServer({ PORT: String(await freePort()), WINGCHECK_DATA_DIR: dataDir, WINGCHECK_DEMO_PASSWORD: PASSWORD });
    expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
    await run.stop();
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.stop();
    for (const target of targets) await target.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const newTarget = async () => {
    const target = await createTestDatabase();
    if (!target.url) throw new Error('this suite needs PostgreSQL');
    targets.push(target);
    return target.url;
  };

  it('refuses a damaged photo file, keeping nothing in PostgreSQL', async () => {
    const broken = await mkdtemp(path.join(tmpdir(), 'wingcheck-embedded-broken-'));
    try {
      await cp(dataDir, broken, { recursive: true });
      const [photo] = (await allFiles(path.join(broken, 'blobs'))).filter((f) => /[0-9a-f]{64}$/.test(f));
      if (!photo) throw new Error('the demo made no photos');
      await writeFile(photo, Buffer.concat([await readFile(photo), Buffer.from('bit rot')]));
      const url = await newTarget();
      const result = await migrateEmbedded({ WINGCHECK_DATA_DIR: broken, ...s3Env() }, url);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/damaged/);
      const db = await openPostgres(url, { max: 1 });
      try {
        const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM establishments');
        expect(row?.n).toBe(0);
      } finally {
        await db.close();
      }
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('copies every row and photo, verifies them, and the servers then serve them; a second run into the same database is refused', async () => {
    const url = await newTarget();
    const result = await migrateEmbedded({ WINGCHECK_DATA_DIR: dataDir, ...s3Env() }, url);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      tables: Record<string, number>;
      photos: { count: number; bytes: number };
      verified: { establishments: number; auditRows: number; checks: number; photosInBucket: number };
    };
    const photoFiles = (await allFiles(path.join(dataDir, 'blobs'))).filter((f) => /[0-9a-f]{64}$/.test(f));
    expect(report.photos.count).toBe(photoFiles.length);
    expect(report.tables.checks).toBeGreaterThan(100);
    expect(report.tables.audit_log).toBe(report.verified.auditRows);
    expect(report.verified).toMatchObject({ establishments: report.tables.establishments });
    expect(report.verified.photosInBucket).toBeGreaterThan(0);
    expect(report.verified.checks).toBe(report.tables.checks);

    // A server on PostgreSQL and the bucket serves the moved photos to the same people, byte for byte.
    const port = await freePort();
    const folder = await mkdtemp(path.join(tmpdir(), 'wingcheck-moved-'));
    const run = spawnServer({ PORT: String(port), WINGCHECK_DATA_DIR: folder, DATABASE_URL: url, ...s3Env() });
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      const base = `http://127.0.0.1:${port}`;
      const { cookie } = await signInOverHttp(base, 'hor.demo', PASSWORD);
      const file = photoFiles[0] ?? '';
      const sha = path.basename(file);
      const got = await fetch(`${base}/api/blobs/${sha}`, { headers: { cookie } });
      expect(got.status).toBe(200);
      expect(createHash('sha256').update(Buffer.from(await got.arrayBuffer())).digest('hex')).toBe(sha);
    } finally {
      await run.stop();
      await rm(folder, { recursive: true, force: true });
    }

    const again = await migrateEmbedded({ WINGCHECK_DATA_DIR: dataDir, ...s3Env() }, url);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds/);
  });
});
