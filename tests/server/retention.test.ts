import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../server/src/services/retention.ts';
import { AuditRow, AuditVerifyResponse, RetentionSettings } from '../../src/shared/api/admin.ts';
import { PullResponse, PushResponse } from '../../src/shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import { jpegDimensions } from '../../src/shared/photos.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

/**
 * Retention: with a period set, the purge removes evidence older than it, with its reviews and the
 * photos nothing else names, records each removal in the audit chain (which still verifies), and
 * never touches evidence of an action still open, nor a check a kept correction replaces.
 */
describe(`retention on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  let dg: Session;
  let refs: EvidenceRefs;
  let openAction = '';
  let closedAction = '';
  const ids: Record<string, string> = {};
  let seq = 1;

  const photo = (label: string) => {
    const bytes = Buffer.concat([PHOTO, Buffer.from(label)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dims = jpegDimensions(bytes);
    if (!dims) throw new Error('the fixture is not a JPEG');
    return { bytes, ref: { sha256, mime: 'image/jpeg' as const, size: bytes.length, ...dims, itemId: null } };
  };
  const only = photo('only this old check');
  const shared = photo('an old and a recent check');

  type Extra = Parameters<typeof checkMutation>[3];
  const push = async (name: string, submittedAt: string, actionIds: string[], extra: Extra = {}) => {
    const mutation = checkMutation(refs, 'tablet-dg', seq++, { submittedAt, actionIds, ...extra });
    const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-dg', protocol: PROTOCOL_VERSION, mutations: [mutation] });
    expect(PushResponse.parse(res.json()).results.map((r) => r.status), res.body).toEqual(['applied']);
    ids[name] = mutation.payload.checkId;
  };
  const stored = async () => new Set((await t.db.query<{ id: string }>('SELECT id::text AS id FROM checks')).map((r) => r.id));
  const verify = async () => AuditVerifyResponse.parse((await call(t.app, admin, 'GET', '/api/audit/verify')).json());
  const settings = async () => RetentionSettings.parse((await call(t.app, admin, 'GET', '/api/retention')).json());

  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
    const actions = await t.db.query<{ id: string }>(
      `SELECT a.id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
       WHERE p.establishment_id = $1 ORDER BY r.position, a.position LIMIT 2`,
      [world.demoId],
    );
    openAction = actions[0]?.id ?? '';
    closedAction = actions[1]?.id ?? '';
    await t.db.query("UPDATE actions SET status = 'in-progress' WHERE id = $1", [openAction]);
    await t.db.query("UPDATE actions SET status = 'complete' WHERE id = $1", [closedAction]);
    for (const { bytes, ref } of [only, shared]) {
      expect((await call(t.app, dg, 'PUT', `/api/blobs/${ref.sha256}`, bytes, { headers: { 'content-type': 'image/jpeg' } })).statusCode).toBe(201);
    }
    // Now is 2026-11-23; three years keeps what was submitted since 2023-11-23.
    await push('oldOpen', '2020-01-10T09:00:00.000Z', [openAction]);
    await push('oldClosed', '2020-01-11T09:00:00.000Z', [closedAction], { photos: [only.ref] });
    await push('oldOpenAndClosed', '2020-01-12T09:00:00.000Z', [openAction, closedAction]);
    await push('recentClosed', '2026-11-01T09:00:00.000Z', [closedAction], { photos: [shared.ref] });
    await push('oldCorrected', '2020-01-13T09:00:00.000Z', [closedAction]);
    await push('recentCorrection', '2026-11-02T09:00:00.000Z', [closedAction], { supersedes: ids.oldCorrected ?? null });
    await push('oldSharedPhoto', '2020-01-14T09:00:00.000Z', [closedAction], { photos: [shared.ref] });
    await push('oldUnlinked', '2019-06-01T09:00:00.000Z', []);
    const hor = await signIn(t.app, 'hor.demo');
    expect((await call(t.app, hor, 'POST', `/api/checks/${ids.oldClosed ?? ''}/reviews`, { decision: 'accepted' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps everything until an admin sets a period, and refuses a period that is not whole years from 1 to 100', async () => {
    expect(await settings()).toEqual({ retentionYears: null, expiring: 0, before: null, lastPurge: null });
    expect(await purgeExpired(t.db, t.blobs, t.clock.now())).toEqual([]);
    for (const retentionYears of [0, 101, 2.5, '3']) {
      expect((await call(t.app, admin, 'PUT', '/api/retention', { retentionYears })).statusCode).toBe(400);
    }
    expect((await call(t.app, admin, 'PUT', '/api/retention', {})).statusCode).toBe(400);
    expect((await call(t.app, dg, 'PUT', '/api/retention', { retentionYears: 3 })).statusCode).toBe(403);
  });

  it('removes expired evidence of closed actions with its reviews and unshared photos, audited, and the chain still verifies', async () => {
    const set = await call(t.app, admin, 'PUT', '/api/retention', { retentionYears: 3 });
    expect(set.statusCode).toBe(200);
    expect(RetentionSettings.parse(set.json())).toMatchObject({ retentionYears: 3, expiring: 3, before: '2023-11-23T09:30:00.000Z' });

    const before = await stored();
    const [result] = await purgeExpired(t.db, t.blobs, t.clock.now());
    expect(result).toEqual({ establishmentId: world.demoId, before: '2023-11-23T09:30:00.000Z', checks: 3, reviews: 1, photos: 1 });

    const gone = [ids.oldClosed, ids.oldSharedPhoto, ids.oldUnlinked];
    const after = await stored();
    expect([...before].filter((id) => !after.has(id)).sort()).toEqual([...gone].sort());
    // Open actions' evidence, recent evidence, and an old check a recent correction replaces all stay.
    for (const kept of ['oldOpen', 'oldOpenAndClosed', 'recentClosed', 'oldCorrected', 'recentCorrection']) {
      expect(after.has(ids[kept] ?? '')).toBe(true);
    }
    expect(await t.db.query('SELECT 1 FROM reviews WHERE check_id = $1', [ids.oldClosed ?? ''])).toEqual([]);

    // The photo only the removed check named is gone, bytes and all; the shared one stays.
    expect(await t.blobs.has(only.ref.sha256)).toBe(false);
    expect(await t.blobs.has(shared.ref.sha256)).toBe(true);
    expect((await call(t.app, dg, 'GET', `/api/blobs/${only.ref.sha256}`)).statusCode).toBe(404);
    expect((await call(t.app, dg, 'GET', `/api/blobs/${shared.ref.sha256}`)).statusCode).toBe(200);

    const audit = AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=10')).json());
    expect(audit.filter((r) => r.action === 'check.purge').map((r) => r.entityId).sort()).toEqual([...gone].sort());
    expect(audit[0]).toMatchObject({
      action: 'retention.purge',
      actor: null,
      details: { before: '2023-11-23T09:30:00.000Z', retentionYears: 3, checks: 3, reviews: 1, photos: 1 },
    });
    expect(await verify()).toMatchObject({ ok: true });
    expect(await settings()).toMatchObject({ expiring: 0, lastPurge: { checks: 3, reviews: 1, photos: 1 } });

    // Devices pulling from the start are no longer sent what went.
    const pulled = PullResponse.parse((await call(t.app, dg, 'GET', '/api/sync/pull?cursor=0&limit=1000')).json());
    const pulledIds = new Set(pulled.changes.map((c) => c.id));
    for (const id of gone) expect(pulledIds.has(id ?? '')).toBe(false);
    expect(pulledIds.has(ids.oldOpen ?? '')).toBe(true);
  });

  it('removes nothing twice, and a deletion the purge did not make is still reported', async () => {
    const seqBefore = AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=1')).json())[0]?.seq;
    expect(await purgeExpired(t.db, t.blobs, t.clock.now())).toEqual([
      { establishmentId: world.demoId, before: '2023-11-23T09:30:00.000Z', checks: 0, reviews: 0, photos: 0 },
    ]);
    expect(AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=1')).json())[0]?.seq).toBe(seqBefore);

    const victim = ids.recentClosed ?? '';
    const photos = await t.db.query<Record<string, unknown>>('SELECT * FROM check_photos WHERE check_id = $1', [victim]);
    const links = await t.db.query<Record<string, unknown>>('SELECT * FROM check_actions WHERE check_id = $1', [victim]);
    const [row] = await t.db.query<Record<string, unknown>>('SELECT * FROM checks WHERE id = $1', [victim]);
    await t.db.query('DELETE FROM check_photos WHERE check_id = $1', [victim]);
    await t.db.query('DELETE FROM check_actions WHERE check_id = $1', [victim]);
    await t.db.query('DELETE FROM checks WHERE id = $1', [victim]);
    expect(await verify()).toMatchObject({ ok: false, reason: `evidence in the audit log was deleted: ${victim}` });
    // Put back as it was, for the tests after this one.
    const insert = async (table: string, values: Record<string, unknown>) => {
      const columns = Object.keys(values);
      const params = Object.values(values).map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v));
      await t.db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, params as never);
    };
    if (row) await insert('checks', row);
    for (const p of photos) await insert('check_photos', p);
    for (const l of links) await insert('check_actions', l);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('stops removing anything once the period is cleared', async () => {
    expect((await call(t.app, admin, 'PUT', '/api/retention', { retentionYears: null })).statusCode).toBe(200);
    await t.db.query("UPDATE actions SET status = 'complete' WHERE id = $1", [openAction]);
    expect(await purgeExpired(t.db, t.blobs, t.clock.now())).toEqual([]);
    expect((await stored()).has(ids.oldOpen ?? '')).toBe(true);
    const audit = AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=5')).json());
    expect(audit.find((r) => r.action === 'establishment.set-retention')).toMatchObject({ actor: 'admin.demo', details: { from: 3, to: null } });
  });
});
