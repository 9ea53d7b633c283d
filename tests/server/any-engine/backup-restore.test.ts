// Backing up the embedded install while a tablet pushes checks, and restoring it: the restored
// server's audit chain verifies, and its checks and photos are the source's. Then the refusals: a
// folder in use, an unfinished or damaged backup, a data folder that is not empty. (Embedded
// database only, so only the server-pglite suite runs this folder.)
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse, ServerCheck } from '../../../src/shared/api/sync.ts';
import { newId } from '../../../src/shared/ids.ts';
import { jpegDimensions } from '../../../src/shared/photos.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/protocol.ts';
import { freePort } from '../../support/ports.ts';
import { PHOTO } from '../support/evidence.ts';
import { spawnServer, type ServerRun } from '../support/spawn-server.ts';
import { client, wingcheckIn } from '../support/wingcheck-cli.ts';

const DEMO_PASSWORD = 'backup test password';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Running {
  run: ServerRun;
  base: string;
}

async function startServer(dataDir: string): Promise<Running> {
  const port = await freePort();
  const run = spawnServer({ PORT: String(port), WINGCHECK_DATA_DIR: dataDir, WINGCHECK_DEMO_PASSWORD: DEMO_PASSWORD });
  expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
  return { run, base: `http://127.0.0.1:${port}` };
}

async function signedIn(base: string, username: string) {
  const call = client(base);
  const res = await call('POST', '/api/session', { username, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return call;
}

/** Every check the server holds, as a device pulls them. */
async function pullChecks(base: string): Promise<Map<string, ServerCheck>> {
  const call = await signedIn(base, 'dg.demo');
  const checks = new Map<string, ServerCheck>();
  let cursor = '0';
  for (;;) {
    const res = await call('GET', `/api/sync/pull?cursor=${cursor}&limit=1000`);
    expect(res.status).toBe(200);
    const page = res.json as unknown as PullResponse;
    for (const change of page.changes) if (change.entity === 'check') checks.set(change.id, change.data);
    cursor = page.cursor;
    if (!page.hasMore) return checks;
  }
}

/** The SHA-256 of the photo as the server sends it. */
async function photoHash(base: string, reader: ReturnType<typeof client>, sha: string): Promise<string> {
  const res = await fetch(`${base}/api/blobs/${sha}`, { headers: reader.headers() });
  expect(res.status).toBe(200);
  return sha256(new Uint8Array(await res.arrayBuffer()));
}

describe('backup and restore of the embedded install', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wingcheck-backup-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('takes a backup while checks are pushed that restores with the audit verifying and the same checks and photos', async () => {
    const sourceDir = path.join(root, 'source');
    const source = await startServer(sourceDir);
    let restored: Running | null = null;
    try {
      // A tablet's session, and a check of the demo's to model new ones on.
      const tablet = await signedIn(source.base, 'dg.demo');
      const model = [...(await pullChecks(source.base)).values()].find((c) => c.kind === 'check' && c.templateVersionId && c.unitId);
      if (!model?.templateVersionId || !model.unitId) throw new Error('the demo has no check to model on');
      const { templateVersionId, unitId } = model;

      // Pushing, as a tablet does: each photo first, then its check; one after another until told to stop.
      const acknowledged: { checkId: string; photo: string }[] = [];
      const tap = { stop: false };
      const clientId = newId();
      const pushing: Promise<void> = (async () => {
        for (let i = 0; !tap.stop; i += 1) {
          const bytes = Buffer.concat([PHOTO, Buffer.from(`backup test photo ${i}`)]);
          const sha = sha256(bytes);
          const put = await fetch(`${source.base}/api/blobs/${sha}`, { method: 'PUT', headers: { 'content-type': 'image/jpeg', ...tablet.headers() }, body: bytes });
          expect(put.status).toBe(201);
          const checkId = newId();
          const at = new Date(Date.now() - 60_000).toISOString();
          const mutation = {
            id: newId(),
            clientId,
            seq: i + 1,
            type: 'check.submit',
            createdAt: at,
            payload: {
              checkId, templateVersionId, unitId, scheduleId: null, dueOn: null, landing: null,
              actionIds: model.actionIds, answers: model.answers,
              photos: [{ sha256: sha, mime: 'image/jpeg', size: bytes.length, ...jpegDimensions(bytes), itemId: null }],
              startedAt: at, submittedAt: at, supersedes: null,
            },
          };
          const push = await tablet('POST', '/api/sync/push', { clientId, protocol: PROTOCOL_VERSION, mutations: [mutation] });
          expect(push.json).toEqual({ results: [{ id: mutation.id, status: 'applied' }] });
          acknowledged.push({ checkId, photo: sha });
        }
      })();
      // Waits for the tablet to have pushed `count` checks, or fails with why it stopped.
      const pushed = async (count: number) => {
        while (acknowledged.length < count) await Promise.race([pushing, new Promise((resolve) => setTimeout(resolve, 20))]);
      };

      await pushed(3);
      const before = acknowledged.length;
      const backupDir = path.join(root, 'backup');
      const backup = await wingcheckIn({ WINGCHECK_DATA_DIR: sourceDir }, 'backup', '--to', backupDir);
      const during = acknowledged.length - before;
      expect(backup.code, backup.stderr).toBe(0);
      const made = JSON.parse(backup.stdout) as { backup: { photos: { count: number }; establishments: number } };
      expect(made.backup.establishments).toBe(1);
      // It was taken while the tablet went on pushing.
      expect(during).toBeGreaterThan(0);
      await pushed(before + during + 2);
      tap.stop = true;
      await pushing;

      const restoredDir = path.join(root, 'restored');
      const restore = await wingcheckIn({ WINGCHECK_DATA_DIR: restoredDir }, 'restore', '--from', backupDir);
      expect(restore.code, restore.stderr).toBe(0);
      expect(JSON.parse(restore.stdout)).toMatchObject({ restored: { audit: 'verified', establishments: 1, photos: made.backup.photos.count } });

      restored = await startServer(restoredDir);
      const admin = await signedIn(restored.base, 'admin.demo');
      const verified = await admin('GET', '/api/audit/verify');
      expect(verified.json).toMatchObject({ ok: true });

      // The restored checks are the source's, unchanged; every one acknowledged before the backup
      // began is among them, and the ones after it are not.
      const [sourceChecks, restoredChecks] = await Promise.all([pullChecks(source.base), pullChecks(restored.base)]);
      for (const [id, check] of restoredChecks) expect(check).toEqual(sourceChecks.get(id));
      for (const { checkId } of acknowledged.slice(0, before)) expect(restoredChecks.has(checkId)).toBe(true);
      for (const { checkId } of acknowledged.slice(before + during)) expect(restoredChecks.has(checkId)).toBe(false);
      expect(restoredChecks.size).toBeGreaterThanOrEqual(sourceChecks.size - acknowledged.length + before);

      // Every photo the restored evidence names is there, byte for byte.
      const reader = await signedIn(restored.base, 'dg.demo');
      const named = new Set([...restoredChecks.values()].flatMap((c) => c.photos.map((p) => p.sha256)));
      expect(named.size).toBeGreaterThanOrEqual(before);
      for (const sha of named) expect(await photoHash(restored.base, reader, sha)).toBe(sha);
    } finally {
      await restored?.run.stop();
      await source.run.stop();
    }
  }, 240_000);

  it('refuses what cannot be backed up or restored, in one line, and leaves nothing half made', async () => {
    const sourceDir = path.join(root, 'source');
    const wingcheck = (dataDir: string, ...args: string[]) => wingcheckIn({ WINGCHECK_DATA_DIR: dataDir }, ...args);
    const made = await wingcheck(sourceDir, 'create-establishment', '--name', 'HMP Example', '--admin-username', 'jo.admin', '--admin-name', 'Jo Admin');
    expect(made.code, made.stderr).toBe(0);

    // With no server running the command takes the backup itself.
    const backupDir = path.join(root, 'backup');
    const backup = await wingcheck(sourceDir, 'backup', '--to', backupDir);
    expect(backup.code, backup.stderr).toBe(0);
    const oneLine = (run: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(pattern);
    };
    oneLine(await wingcheck(sourceDir, 'backup', '--to', backupDir), /^wingcheck: .* is not empty: back up into a new or empty folder/);
    oneLine(await wingcheck(sourceDir, 'backup'), /^wingcheck: --to is required/);
    oneLine(await wingcheckIn({ WINGCHECK_DATA_DIR: sourceDir, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' }, 'backup', '--to', path.join(root, 'x')),
      /^wingcheck: backup backs up the embedded install; with DATABASE_URL/);

    // Into a data folder that already has an install: refused, the install untouched.
    oneLine(await wingcheck(sourceDir, 'restore', '--from', backupDir), /^wingcheck: .* is not empty: restore into an empty data folder/);
    // From a folder that is not a finished backup.
    const unfinished = path.join(root, 'unfinished');
    await mkdir(unfinished);
    oneLine(await wingcheck(path.join(root, 'a'), 'restore', '--from', unfinished), /is not a finished Wingcheck backup \(it has no backup\.json\)/);
    // From a damaged one: refused, and the data folder is left without a database or photos.
    const database = path.join(backupDir, 'database.tar.gz');
    const bytes = await readFile(database);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    await writeFile(database, bytes);
    const target = path.join(root, 'b');
    oneLine(await wingcheck(target, 'restore', '--from', backupDir), /the database copy does not match its manifest: the backup is damaged/);
    expect((await readdir(target)).filter((name) => name !== 'server-lock')).toEqual([]);
    // The source still works after all that.
    const listed = await wingcheck(sourceDir, 'list-establishments');
    expect(JSON.parse(listed.stdout)).toMatchObject({ establishments: [{ name: 'HMP Example' }] });
  }, 120_000);
});
