// Evidence packs as queued jobs (issue 20): asked for, made by a worker into the blob store,
// downloaded, taken again when a worker stops answering, and expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPath, ExportJob, type ExportJobInput } from '../../src/shared/api/export.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import { claimJob, expirePacks, startExportWorker, type ExportWorker } from '../../server/src/services/export/worker.ts';
import { PACK_LIFETIME_DAYS } from '../../server/src/services/export/jobs.ts';
import type { BlobStore } from '../../server/src/blobs.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const DAY_MS = 24 * 60 * 60_000;

describe(`evidence packs as queued jobs on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let hor: Session;
  let dg: Session;
  let other: Session;
  let checkIds: string[];
  const errors: string[] = [];
  const workers: ExportWorker[] = [];

  const startWorker = () => {
    const worker = startExportWorker({
      db: t.db,
      blobs: t.blobs,
      clock: t.clock,
      log: {
        info: () => undefined,
        error: (_error, message) => {
          errors.push(message);
        },
      },
    });
    workers.push(worker);
    return worker;
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  };
  const ask = async (session: Session, body: ExportJobInput) => {
    const res = await call(t.app, session, 'POST', '/api/exports', body);
    expect(res.statusCode, res.body).toBe(202);
    return ExportJob.parse(res.json());
  };
  const job = async (id: string) => ExportJob.parse((await call(t.app, hor, 'GET', `/api/exports/${id}`)).json());
  const whenSettled = async (id: string) => {
    await expect.poll(async () => (await job(id)).state, { timeout: 30_000, interval: 50 }).toMatch(/ready|failed/);
    return job(id);
  };

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    hor = await signIn(t.app, 'hor.demo');
    dg = await signIn(t.app, 'dg.demo');
    other = await signIn(t.app, 'admin.other');
    const refs = await evidenceRefs(t.db, world.demoId);
    expect((await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } })).statusCode).toBe(201);
    const photo = { sha256: PHOTO_SHA, mime: 'image/jpeg' as const, size: PHOTO.length, width: 1200, height: 1600, itemId: null };
    const mutations = Array.from({ length: 5 }, (_, i) =>
      checkMutation(refs, 'tablet-jobs', i + 1, { submittedAt: `2026-11-1${i}T10:00:00.000Z`, photos: i === 0 ? [photo] : [] }));
    checkIds = mutations.map((m) => m.payload.checkId);
    const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-jobs', protocol: PROTOCOL_VERSION, mutations });
    expect(PushResponse.parse(res.json()).results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
  });
  afterAll(async () => {
    await stopWorkers();
    await t.close();
  });

  it('refuses those who may not ask, other establishments’ scopes and unclear requests, queuing nothing', async () => {
    const plan = { format: 'pdf' as const, planId: world.demoPlanId, ...NOVEMBER };
    expect((await call(t.app, dg, 'POST', '/api/exports', plan)).statusCode).toBe(403);
    expect((await call(t.app, null, 'POST', '/api/exports', plan)).statusCode).toBe(401);
    const theirs = await call(t.app, other, 'POST', '/api/exports', plan);
    expect(theirs.statusCode).toBe(403);
    expect(theirs.json<{ message: string }>().message).toBe('That plan belongs to another establishment.');
    for (const body of [{ ...plan, format: 'docx' }, { format: 'pdf', ...NOVEMBER }, { ...plan, from: '2026-12-01' }, { ...plan, extra: 1 }]) {
      expect((await call(t.app, hor, 'POST', '/api/exports', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const [queued] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM export_jobs');
    expect(queued?.n).toBe(0);
  });

  it('queues a pack at once, makes it in the worker with progress, and sends the same bytes a download in the request would', async () => {
    const asked = await ask(hor, { format: 'csv', planId: world.demoPlanId, ...NOVEMBER });
    expect(asked).toMatchObject({ state: 'queued', title: 'The whole plan', requestedBy: hor.info.user.displayName, progress: { done: 0, total: null } });
    expect(asked.fileName).toBe('evidence-plan-2026-11-01-2026-11-30.csv');
    // On the establishment's audit record: who asked for which pack.
    const [audited] = await t.db.query<{ actor_id: string; details: unknown }>(
      "SELECT actor_id, details FROM audit_log WHERE action = 'export.request' AND entity_id = $1",
      [asked.id],
    );
    expect(audited).toEqual({
      actor_id: hor.info.user.id,
      details: { format: 'csv', scope: { kind: 'plan', id: world.demoPlanId }, from: NOVEMBER.from, to: NOVEMBER.to },
    });
    // Not ready, so no file; another establishment cannot even see it.
    expect((await call(t.app, hor, 'GET', `/api/exports/${asked.id}/file`)).statusCode).toBe(409);
    expect((await call(t.app, other, 'GET', `/api/exports/${asked.id}`)).statusCode).toBe(404);
    expect((await call(t.app, other, 'GET', `/api/exports/${asked.id}/file`)).statusCode).toBe(404);
    expect(ExportJob.array().parse((await call(t.app, other, 'GET', '/api/exports')).json())).toEqual([]);

    startWorker();
    const made = await whenSettled(asked.id);
    expect(made).toMatchObject({ state: 'ready', progress: { done: 5, total: 5 }, error: null });
    expect(made.expiresAt).toBe(new Date(t.clock.now().getTime() + PACK_LIFETIME_DAYS * DAY_MS).toISOString());
    const file = await call(t.app, hor, 'GET', `/api/exports/${asked.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="evidence-plan-2026-11-01-2026-11-30.csv"');
    expect(Number(file.headers['content-length'])).toBe(made.size);
    for (const id of checkIds) expect(file.body).toContain(id);
    const direct = await call(t.app, hor, 'GET', exportPath('csv', { scope: { kind: 'plan', id: world.demoPlanId }, ...NOVEMBER }));
    expect(file.body).toBe(direct.body);

    t.clock.advance(1000);
    const pdf = await whenSettled((await ask(hor, { format: 'pdf', actionId: (await evidenceRefs(t.db, world.demoId)).actionId, ...NOVEMBER })).id);
    expect(pdf.state).toBe('ready');
    const bytes = (await call(t.app, hor, 'GET', `/api/exports/${pdf.id}/file`)).rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.includes('/Subtype /Image')).toBe(true);
    const listed = ExportJob.array().parse((await call(t.app, hor, 'GET', '/api/exports')).json());
    expect(listed.map((j) => j.id)).toEqual([pdf.id, asked.id]);
    expect(errors).toEqual([]);
  });

  it('takes again a job whose worker stopped renewing its lease, and fails one tried too often', async () => {
    await stopWorkers();
    const asked = await ask(hor, { format: 'csv', planId: world.demoPlanId, ...NOVEMBER });
    // A worker claims it and dies: its lease stands until it runs out.
    expect((await claimJob(t.db, 'a-worker-that-died'))?.id).toBe(asked.id);
    startWorker();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await job(asked.id)).state).toBe('running');
    await t.db.query("UPDATE export_jobs SET lease_until = now() - interval '1 second' WHERE id = $1", [asked.id]);
    const made = await whenSettled(asked.id);
    expect(made.state).toBe('ready');
    const [row] = await t.db.query<{ attempts: number }>('SELECT attempts FROM export_jobs WHERE id = $1', [asked.id]);
    expect(row?.attempts).toBe(2);

    await stopWorkers();
    const doomed = await ask(hor, { format: 'csv', planId: world.demoPlanId, ...NOVEMBER });
    await t.db.query("UPDATE export_jobs SET attempts = 3, state = 'running', lease_until = now() - interval '1 second' WHERE id = $1", [doomed.id]);
    startWorker();
    const failed = await whenSettled(doomed.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('stopped each time');
    expect((await call(t.app, hor, 'GET', `/api/exports/${doomed.id}/file`)).statusCode).toBe(410);
  });

  it('puts a pack being made back in the queue when its worker is stopped, for the next worker to make', async () => {
    await stopWorkers();
    // A store whose reads wait until the test lets them go: the worker is held on the pack's photo.
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const gated: BlobStore = Object.assign(Object.create(t.blobs) as BlobStore, {
      get: async (sha256: string) => {
        await held;
        return t.blobs.get(sha256);
      },
    });
    const quiet = { info: () => undefined, error: () => undefined };
    const worker = startExportWorker({ db: t.db, blobs: gated, clock: t.clock, log: quiet });
    const asked = await ask(hor, { format: 'pdf', planId: world.demoPlanId, ...NOVEMBER });
    worker.wake();
    await expect.poll(async () => (await job(asked.id)).state).toBe('running');
    const stopped = worker.stop();
    letGo();
    await stopped;
    const [row] = await t.db.query<{ state: string; attempts: number; worker: string | null }>(
      'SELECT state, attempts, worker FROM export_jobs WHERE id = $1',
      [asked.id],
    );
    expect(row).toEqual({ state: 'queued', attempts: 0, worker: null });
    startWorker();
    expect((await whenSettled(asked.id)).state).toBe('ready');
  });

  it('makes no pack for someone who may no longer have it', async () => {
    await stopWorkers();
    const asked = await ask(hor, { format: 'csv', planId: world.demoPlanId, ...NOVEMBER });
    await t.db.query("UPDATE memberships SET role = 'unit-manager' WHERE user_id = $1 AND role = 'head-of-residence'", [hor.info.user.id]);
    try {
      startWorker();
      await expect.poll(async () => (await t.db.query<{ state: string }>('SELECT state FROM export_jobs WHERE id = $1', [asked.id]))[0]?.state).toBe('failed');
      const [row] = await t.db.query<{ error: string; file_sha256: string | null }>('SELECT error, file_sha256 FROM export_jobs WHERE id = $1', [asked.id]);
      expect(row).toEqual({ error: 'the person who asked for it no longer reviews evidence here', file_sha256: null });
    } finally {
      await t.db.query("UPDATE memberships SET role = 'head-of-residence' WHERE user_id = $1 AND role = 'unit-manager'", [hor.info.user.id]);
    }
  });

  it('fails at once, without trying again, a pack whose scope has gone since it was asked for', async () => {
    await stopWorkers();
    const asked = await ask(hor, { format: 'csv', planId: world.demoPlanId, ...NOVEMBER });
    await t.db.query('UPDATE export_jobs SET scope_id = $2 WHERE id = $1', [asked.id, newId()]);
    startWorker();
    const failed = await whenSettled(asked.id);
    expect(failed).toMatchObject({ state: 'failed', error: 'what it covers is no longer there' });
    const [row] = await t.db.query<{ attempts: number }>('SELECT attempts FROM export_jobs WHERE id = $1', [asked.id]);
    expect(row?.attempts).toBe(1);
  });

  it('expires ready packs after their time and removes their files', async () => {
    await stopWorkers();
    const ready = await t.db.query<{ id: string; file_sha256: string }>("SELECT id, file_sha256 FROM export_jobs WHERE state = 'ready'");
    expect(ready.length).toBeGreaterThan(0);
    for (const { file_sha256: sha } of ready) expect(await t.blobs.has(sha)).toBe(true);
    const daysOn = (days: number) => new Date(t.clock.now().getTime() + days * DAY_MS);
    expect(await expirePacks(t.db, t.blobs, daysOn(PACK_LIFETIME_DAYS - 1))).toBe(0);
    expect(await expirePacks(t.db, t.blobs, daysOn(PACK_LIFETIME_DAYS + 1))).toBe(ready.length);
    for (const { id, file_sha256: sha } of ready) {
      expect(await t.blobs.has(sha)).toBe(false);
      expect((await job(id)).state).toBe('expired');
      const res = await call(t.app, hor, 'GET', `/api/exports/${id}/file`);
      expect(res.statusCode).toBe(410);
      expect(res.json<{ message: string }>().message).toBe('This pack has expired. Ask for it again.');
    }
    // The photo the packs showed is evidence, not a pack: it stays.
    expect(await t.blobs.has(PHOTO_SHA)).toBe(true);
  });
});
