import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash } from '../../server/src/audit.ts';
import { chainEvidenceStoredBefore, EVIDENCE_CHAIN_MIGRATION } from '../../server/src/evidence-chain.ts';
import { AuditCheckpoint, AuditRow, AuditVerifyResponse } from '../../src/shared/api/admin.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

/**
 * Evidence in the tamper-evident chain: a stored check, note or review changed, deleted or slipped
 * in is reported, and a checkpoint kept outside the database catches a cut tail and a rewritten log.
 */
describe(`evidence in the audit chain on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  let dg: Session;
  let hor: Session;
  let refs: EvidenceRefs;
  let withPhoto = '';
  let plain = '';
  let seq = 10;

  const verify = async (query = '') => AuditVerifyResponse.parse((await call(t.app, admin, 'GET', `/api/audit/verify${query}`)).json());
  const push = async (...mutations: ReturnType<typeof checkMutation>[]) => {
    const res = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-dg', protocol: PROTOCOL_VERSION, mutations });
    expect(PushResponse.parse(res.json()).results.map((r) => r.status), res.body).toEqual(mutations.map(() => 'applied'));
  };

  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    hor = await signIn(t.app, 'hor.demo');
    refs = await evidenceRefs(t.db, world.demoId);
    await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } });
    const photo = { sha256: PHOTO_SHA, mime: 'image/jpeg' as const, size: PHOTO.length, width: 1200, height: 1600, itemId: null };
    const first = checkMutation(refs, 'tablet-dg', seq++, { photos: [photo] });
    const second = checkMutation(refs, 'tablet-dg', seq++);
    await push(first, second);
    withPhoto = first.payload.checkId;
    plain = second.payload.checkId;
    expect((await call(t.app, hor, 'POST', `/api/checks/${plain}/reviews`, { decision: 'returned', reason: 'Say which landing.' })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('puts each check in the chain with its record’s hash as it arrives, and verifies it', async () => {
    const rows = AuditRow.array().parse((await call(t.app, admin, 'GET', '/api/audit?limit=10')).json());
    const entry = rows.find((r) => r.entityId === withPhoto && r.action === 'evidence.submit');
    expect(entry).toMatchObject({ actor: 'dg.demo', entityType: 'check', deviceId: 'tablet-dg' });
    expect(entry?.details.hash).toMatch(/^[0-9a-f]{64}$/);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, checkpoint: null });
    // The demo's own history is stored through the same path, so all of it is matched too.
    if (result.ok) expect(result.evidence.checks).toBeGreaterThan(2);
  });

  it('reports a stored check whose answers, photo references or links were changed, and holds again when put back', async () => {
    const [before] = await t.db.query<{ answers: unknown }>('SELECT answers FROM checks WHERE id = $1', [plain]);
    await t.db.query('UPDATE checks SET answers = \'[]\'::jsonb WHERE id = $1', [plain]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: null, reason: `evidence was changed after it was recorded: ${plain}` });
    await t.db.query('UPDATE checks SET answers = $2 WHERE id = $1', [plain, JSON.stringify(before?.answers)]);
    expect(await verify()).toMatchObject({ ok: true });

    await t.db.query('UPDATE check_photos SET item_id = $2 WHERE check_id = $1', [withPhoto, 'servery-clean']);
    expect(await verify()).toMatchObject({ ok: false, reason: `evidence was changed after it was recorded: ${withPhoto}` });
    await t.db.query('UPDATE check_photos SET item_id = NULL WHERE check_id = $1', [withPhoto]);

    await t.db.query('DELETE FROM check_actions WHERE check_id = $1', [withPhoto]);
    expect(await verify()).toMatchObject({ ok: false, reason: `evidence was changed after it was recorded: ${withPhoto}` });
    await t.db.query('INSERT INTO check_actions (check_id, action_id) VALUES ($1, $2)', [withPhoto, refs.actionId]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('reports a review decision changed after it was made', async () => {
    await t.db.query('UPDATE reviews SET decision = \'accepted\', reason = NULL WHERE check_id = $1', [plain]);
    expect((await verify()).ok).toBe(false);
    const changed = /^a review decision was changed after it was recorded/;
    expect(await verify()).toMatchObject({ reason: expect.stringMatching(changed) as unknown });
    await t.db.query('UPDATE reviews SET decision = \'returned\', reason = \'Say which landing.\' WHERE check_id = $1', [plain]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('reports a check slipped in without its audit row, and one deleted', async () => {
    const forged = checkMutation(refs, 'tablet-dg', seq++);
    await push(forged);
    const id = forged.payload.checkId;
    // As if it had been written straight into the database: its chain entry taken away by rewriting the log is
    // the next test's business; here the row simply never had one.
    const [entry] = await t.db.query<{ seq: string }>(
      "SELECT seq::text AS seq FROM audit_log WHERE entity_id = $1 AND action = 'evidence.submit'", [id],
    );
    await t.db.query("UPDATE audit_log SET entity_id = 'gone' WHERE establishment_id = $1 AND seq = $2", [world.demoId, entry?.seq ?? '0']);
    // That edit itself breaks the chain at its row: verification says so first.
    expect(await verify()).toMatchObject({ ok: false, brokenAt: Number(entry?.seq), reason: 'the row was changed after it was written' });
    await t.db.query('UPDATE audit_log SET entity_id = $3 WHERE establishment_id = $1 AND seq = $2', [world.demoId, entry?.seq ?? '0', id]);
    expect(await verify()).toMatchObject({ ok: true });

    await t.db.query('DELETE FROM check_actions WHERE check_id = $1', [id]);
    await t.db.query('DELETE FROM checks WHERE id = $1', [id]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: null, reason: `evidence in the audit log was deleted: ${id}` });
  });

  it('chains evidence stored before the chain covered it once, at start, and never evidence slipped in after', async () => {
    const fresh = await startWorld();
    try {
      const { t: t2, world: w2, admin: admin2 } = fresh;
      const r2 = await evidenceRefs(t2.db, w2.demoId);
      const [author] = await t2.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'dg.demo'");
      const insert = (id: string, receivedAt: string) =>
        t2.db.query(
          `INSERT INTO checks (id, establishment_id, kind, template_version_id, unit_id, author_id, device_id, answers,
             started_at, submitted_at, received_at, day)
           VALUES ($1, $2, 'check', $3, $4, $5, 'old-tablet', '[]', $6, $6, $6, '2020-01-01')`,
          [id, w2.demoId, r2.templateVersionId, r2.unitId, author?.id ?? '', receivedAt],
        );
      const older = newId();
      const later = newId();
      await insert(older, '2020-01-01T09:00:00.000Z');
      const verify2 = async () => AuditVerifyResponse.parse((await call(t2.app, admin2, 'GET', '/api/audit/verify')).json());
      expect(await verify2()).toMatchObject({ ok: false, reason: `evidence is stored that never entered the audit log: ${older}` });
      expect(await chainEvidenceStoredBefore(t2.db)).toBe(1);
      expect(await chainEvidenceStoredBefore(t2.db)).toBe(0);
      expect(await verify2()).toMatchObject({ ok: true });
      const [migrated] = await t2.db.query<{ at: Date }>('SELECT applied_at AS at FROM schema_migrations WHERE version = $1', [
        EVIDENCE_CHAIN_MIGRATION,
      ]);
      await insert(later, new Date((migrated?.at.getTime() ?? 0) + 60_000).toISOString());
      expect(await chainEvidenceStoredBefore(t2.db)).toBe(0);
      expect(await verify2()).toMatchObject({ ok: false, reason: `evidence is stored that never entered the audit log: ${later}` });
    } finally {
      await fresh.t.close();
    }
  });

  describe('with a checkpoint kept outside the database', () => {
    let other: Session;
    let checkpoint: AuditCheckpoint;
    const verifyOther = async (query = '') =>
      AuditVerifyResponse.parse((await call(t.app, other, 'GET', `/api/audit/verify${query}`)).json());
    const against = (c: AuditCheckpoint) => `?seq=${c.seq}&hash=${c.hash}`;

    beforeAll(async () => {
      // The other establishment's chain, untouched by the tests above.
      other = await signIn(t.app, 'admin.other');
      for (const name of ['North', 'South', 'East']) {
        expect((await call(t.app, other, 'POST', '/api/units', { name: `${name} Wing`, landings: [] })).statusCode).toBe(201);
      }
      const res = await call(t.app, other, 'GET', '/api/audit/checkpoint');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="wingcheck-audit-checkpoint-\d{4}-\d\d-\d\d-\d+\.json"$/);
      checkpoint = AuditCheckpoint.parse(res.json());
      expect(checkpoint).toMatchObject({ establishment: 'HMP Elsewhere', hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
      const { seq: at, hash } = checkpoint;
      expect(await verifyOther(against(checkpoint))).toMatchObject({ ok: true, checkpoint: { seq: at, hash } });
    });

    it('catches the tail of the log cut and the stored head rewound, which the chain alone cannot', async () => {
      const keep = checkpoint.seq - 2;
      const [kept] = await t.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE establishment_id = $1 AND seq = $2', [world.elsewhereId, keep]);
      await t.db.query('DELETE FROM audit_log WHERE establishment_id = $1 AND seq > $2', [world.elsewhereId, keep]);
      await t.db.query('UPDATE establishments SET audit_seq = $2, audit_head = $3 WHERE id = $1', [world.elsewhereId, keep, kept?.hash ?? '']);
      expect(await verifyOther()).toMatchObject({ ok: true });
      expect(await verifyOther(against(checkpoint))).toMatchObject({
        ok: false,
        brokenAt: keep + 1,
        reason: `the log ends at entry ${keep}, before the checkpoint’s entry ${checkpoint.seq}: entries were removed from its end`,
      });
    });

    it('catches a log rewritten from an entry on, every hash recomputed', async () => {
      const now = AuditCheckpoint.parse((await call(t.app, other, 'GET', '/api/audit/checkpoint')).json());
      expect(await verifyOther(against(now))).toMatchObject({ ok: true });
      const rows = await t.db.query<{
        seq: string; at: Date; actor_id: string | null; action: string; entity_type: string; entity_id: string | null;
        device_id: string | null; details: Record<string, unknown>; prev_hash: string;
      }>('SELECT seq::text AS seq, at, actor_id, action, entity_type, entity_id, device_id, details, prev_hash FROM audit_log WHERE establishment_id = $1 ORDER BY seq', [
        world.elsewhereId,
      ]);
      let prevHash = '';
      for (const row of rows) {
        const seqNo = Number(row.seq);
        const details = seqNo === 1 ? { ...row.details, rewritten: true } : row.details;
        const hash = auditHash({
          establishmentId: world.elsewhereId, seq: seqNo, at: row.at, actorId: row.actor_id, action: row.action,
          entityType: row.entity_type, entityId: row.entity_id, deviceId: row.device_id, details, prevHash,
        });
        await t.db.query('UPDATE audit_log SET details = $3, prev_hash = $4, hash = $5 WHERE establishment_id = $1 AND seq = $2', [
          world.elsewhereId, seqNo, JSON.stringify(details), prevHash, hash,
        ]);
        prevHash = hash;
      }
      await t.db.query('UPDATE establishments SET audit_head = $2 WHERE id = $1', [world.elsewhereId, prevHash]);
      expect(await verifyOther()).toMatchObject({ ok: true });
      expect(await verifyOther(against(now))).toMatchObject({
        ok: false,
        brokenAt: now.seq,
        reason: 'the log was rewritten: this entry is not the one the checkpoint recorded',
      });
    });

    it('refuses a checkpoint that is half given or not a hash, with the field named', async () => {
      const half = await call(t.app, other, 'GET', '/api/audit/verify?seq=3');
      expect(half.statusCode).toBe(400);
      const bad = await call(t.app, other, 'GET', '/api/audit/verify?seq=3&hash=nothex');
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ message: string }>().message).toMatch(/hash/);
      expect((await call(t.app, hor, 'GET', '/api/audit/checkpoint')).statusCode).toBe(403);
    });
  });
});
