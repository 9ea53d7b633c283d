import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditVerifyResponse } from '../../src/shared/api/admin.ts';
import { PushResponse, type PushResult } from '../../src/shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const PHOTO_REF = { sha256: PHOTO_SHA, mime: 'image/jpeg' as const, size: PHOTO.length, width: 1200, height: 1600, itemId: null };

/**
 * A push is applied in one transaction, yet each mutation is answered on its own: one refused
 * never undoes the others, a repeated id is applied once however it arrives, a photo not uploaded
 * yet stops the push there, and the audit chain and the change log stay whole.
 */
describe(`a push in one transaction on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  let dg: Session;
  let refs: EvidenceRefs;
  const clientId = 'tablet-batch';
  let seq = 0;
  const next = (overrides: Parameters<typeof checkMutation>[3] = {}) => checkMutation(refs, clientId, (seq += 1), overrides);

  beforeAll(async () => {
    ({ t, world, admin } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A push from `device` as `session`, answered 200. */
  const pushAs = async (session: Session, device: string, mutations: unknown[]): Promise<PushResult[]> => {
    const res = await call(t.app, session, 'POST', '/api/sync/push', { clientId: device, protocol: PROTOCOL_VERSION, mutations });
    expect(res.statusCode, res.body).toBe(200);
    return PushResponse.parse(res.json()).results;
  };
  const push = (mutations: unknown[]) => pushAs(dg, clientId, mutations);
  const count = async (sql: string, params: (string | string[])[]) => (await t.db.query<{ n: number }>(sql, params))[0]?.n;
  const stored = (ids: string[]) => count('SELECT count(*)::int AS n FROM checks WHERE id = ANY($1::uuid[])', [ids]);
  const recorded = (ids: string[]) => count('SELECT count(*)::int AS n FROM applied_mutations WHERE id = ANY($1::uuid[])', [ids]);
  const logged = (ids: string[]) => count("SELECT count(*)::int AS n FROM changes WHERE entity = 'check' AND entity_id = ANY($1::text[])", [ids]);

  /** The audit chain verifies and the change log is numbered 1..N with no gap. */
  const expectLogsWhole = async () => {
    const verified = AuditVerifyResponse.parse((await call(t.app, admin, 'GET', '/api/audit/verify')).json());
    expect(verified).toMatchObject({ ok: true });
    const [log] = await t.db.query<{ n: number; top: string; seq: string }>(
      `SELECT count(*)::int AS n, COALESCE(max(seq), 0)::text AS top, (SELECT change_seq::text FROM establishments WHERE id = $1) AS seq
       FROM changes WHERE establishment_id = $1`,
      [world.demoId],
    );
    expect(log).toEqual({ n: Number(log?.seq), top: log?.seq, seq: log?.seq });
  };

  it('stores the others of a batch when one in the middle is rejected', async () => {
    const first = next();
    const refused = next({ answers: [] });
    const last = next();
    const results = await push([first, refused, last]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(results[1]?.reason).toContain('The answers are incomplete');
    expect(await stored([first.payload.checkId, last.payload.checkId, refused.payload.checkId])).toBe(2);
    expect(await logged([first.payload.checkId, last.payload.checkId])).toBe(2);
    // The rejection is remembered with its reason; the applied ones answer duplicate.
    expect(await push([first, refused, last])).toEqual([
      { id: first.id, status: 'duplicate' },
      results[1],
      { id: last.id, status: 'duplicate' },
    ]);
    await expectLogsWhole();
  });

  it('applies a batch pushed twice at once exactly once: the second waits for the first and answers duplicate', async () => {
    const batch = [next(), next(), next()];
    const [a, b] = await Promise.all([push(batch), push(batch)]);
    const statuses = [...a, ...b].map((r) => r.status).sort();
    expect(statuses).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
    // Each push's answers come from one of the two, never a mix that would apply an id twice.
    for (const i of batch.keys()) expect([a[i]?.status, b[i]?.status].sort()).toEqual(['applied', 'duplicate']);
    const ids = batch.map((m) => m.payload.checkId);
    expect(await stored(ids)).toBe(3);
    expect(await logged(ids)).toBe(3);
    await expectLogsWhole();
  });

  it('answers a batch mixing duplicates, rejections, repeats and new evidence one by one, in order', async () => {
    const earlier = next();
    expect((await push([earlier]))[0]?.status).toBe('applied');
    const original = next();
    const correction = next({ supersedes: original.payload.checkId });
    const altered = { ...earlier, payload: { ...earlier.payload, landing: '2s' } };
    const reused = next({ checkId: original.payload.checkId });
    const foreign = next({ unitId: world.elsewhereId });
    const results = await push([earlier, original, altered, correction, reused, { nonsense: true }, original, foreign]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'applied', 'rejected', 'applied', 'rejected', 'rejected', 'duplicate', 'rejected']);
    expect(results.map((r) => r.reason)).toEqual([
      undefined,
      undefined,
      'A different change was already sent with this id; this one was not applied.',
      undefined,
      `Evidence ${original.payload.checkId} was already recorded by another change.`,
      expect.stringContaining('It is malformed'),
      undefined,
      'The unit is not one of your establishment’s.',
    ]);
    // The correction, made in the same push as its original, is for the same day.
    const days = await t.db.query<{ id: string; day: string }>(
      "SELECT id::text AS id, to_char(day, 'YYYY-MM-DD') AS day FROM checks WHERE id = ANY($1::uuid[])",
      [[original.payload.checkId, correction.payload.checkId]],
    );
    expect(new Set(days.map((d) => d.day)).size).toBe(1);
    expect(await stored([original.payload.checkId, correction.payload.checkId, foreign.payload.checkId])).toBe(2);
    expect(await logged([original.payload.checkId, correction.payload.checkId])).toBe(2);
    await expectLogsWhole();
  });

  it('stops at a photo not uploaded yet: what came before is stored, it and what follows answer retry and are not recorded', async () => {
    const before = next();
    const waiting = next({ photos: [PHOTO_REF] });
    const after = next();
    const results = await push([before, waiting, after, { nonsense: true }]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'retry', 'retry', 'retry']);
    expect(results[1]?.reason).toBe('a photo it names has not been uploaded yet');
    expect(await stored([before.payload.checkId, waiting.payload.checkId, after.payload.checkId])).toBe(1);
    expect(await recorded([waiting.id, after.id])).toBe(0);
    // Once the photo is there, the same batch goes: the first as a duplicate.
    expect((await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } })).statusCode).toBe(201);
    expect((await push([before, waiting, after])).map((r) => r.status)).toEqual(['duplicate', 'applied', 'applied']);
    await expectLogsWhole();
  });

  it('answers retry to a push and its copy sent among a crowd while a photo is missing, records neither, and applies it once the photo is there', async () => {
    // A photo of its own (the JPEG with bytes after its end), so no earlier test has uploaded it.
    const bytes = Buffer.concat([PHOTO, Buffer.from(`copy ${Math.random()}`)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const waiting = next({ photos: [{ ...PHOTO_REF, sha256, size: bytes.length }] });
    const after = next();
    const so = await signIn(t.app, 'so.demo');
    const crowd = (n: number) => Array.from({ length: n }, (_, i) => {
      const device = `tablet-crowd-${i}-${Math.random().toString(36).slice(2)}`;
      return { device, mutations: [checkMutation(refs, device, 1)] };
    });
    const [first, last] = [crowd(2), crowd(2)];
    // Two pushes to keep the writers busy, then the tablet's push and its copy (its first answer lost), then two
    // more: the copies wait in the queue together and, on PGlite, are written in one transaction, where the copy
    // must answer as its first does, not be told "duplicate" of what was never recorded (on PostgreSQL they were seen
    // to go one after the other, the copy looked at afresh: the same answers).
    const answers = await Promise.all([
      ...first.map((c) => pushAs(so, c.device, c.mutations)),
      push([waiting, after]),
      push([waiting, after]),
      ...last.map((c) => pushAs(so, c.device, c.mutations)),
    ]);
    for (const copy of answers.slice(2, 4)) {
      expect(copy.map((r) => r.status)).toEqual(['retry', 'retry']);
      expect(copy[0]?.reason).toBe('a photo it names has not been uploaded yet');
    }
    for (const other of [...answers.slice(0, 2), ...answers.slice(4)]) expect(other.map((r) => r.status)).toEqual(['applied']);
    expect(await recorded([waiting.id, after.id])).toBe(0);
    expect(await stored([waiting.payload.checkId, after.payload.checkId])).toBe(0);

    expect((await call(t.app, dg, 'PUT', `/api/blobs/${sha256}`, bytes, { headers: { 'content-type': 'image/jpeg' } })).statusCode).toBe(201);
    const [again, copy] = await Promise.all([push([waiting, after]), push([waiting, after])]);
    for (const i of [0, 1]) expect([again[i]?.status, copy[i]?.status].sort()).toEqual(['applied', 'duplicate']);
    expect(await stored([waiting.payload.checkId, after.payload.checkId])).toBe(2);
    await expectLogsWhole();
  });

  /** Runs `fn` while the database refuses to store a check on the landing 'refused': a fault no validation foresees. */
  const whileLandingRefused = async (fn: () => Promise<void>) => {
    await t.db.exec(`
      CREATE FUNCTION test_refuse_landing() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.landing = 'refused' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_refuse_landing BEFORE INSERT ON checks FOR EACH ROW EXECUTE FUNCTION test_refuse_landing();`);
    try {
      await fn();
    } finally {
      await t.db.exec('DROP TRIGGER test_refuse_landing ON checks; DROP FUNCTION test_refuse_landing();');
    }
  };

  /** Pushes from several tablets (two people) at once, each with its own device id and mutations. */
  const pushFromTablets = async (tablets: number, perPush: number, fault: { tablet: number; landing: string } | null = null) => {
    const so = await signIn(t.app, 'so.demo');
    const sent = Array.from({ length: tablets }, (_, i) => {
      const device = `tablet-group-${i}-${Math.random().toString(36).slice(2)}`;
      const mutations = Array.from({ length: perPush }, (_, j) =>
        checkMutation(refs, device, j + 1, fault?.tablet === i && j === 1 ? { landing: fault.landing } : {}));
      return { device, session: i % 2 === 0 ? dg : so, mutations };
    });
    const answers = await Promise.all(sent.map(({ device, session, mutations }) => pushAs(session, device, mutations)));
    return { sent, answers };
  };

  it('writes pushes arriving together in shared transactions, each stored and chained as its own tablet and person sent it', async () => {
    const { sent, answers } = await pushFromTablets(8, 3);
    for (const results of answers) expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const ids = sent.flatMap((s) => s.mutations.map((m) => m.payload.checkId));
    const rows = await t.db.query<{ id: string; device_id: string; author_id: string; tx: string }>(
      'SELECT id::text AS id, device_id, author_id::text AS author_id, xmin::text AS tx FROM checks WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows).toHaveLength(ids.length);
    // Written together: fewer transactions than pushes (rows a transaction inserts share its xmin).
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThan(sent.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const audited = await t.db.query<{ entity_id: string; actor_id: string; device_id: string }>(
      "SELECT entity_id, actor_id::text AS actor_id, device_id FROM audit_log WHERE action = 'evidence.submit' AND entity_id = ANY($1::text[])",
      [ids],
    );
    expect(audited).toHaveLength(ids.length);
    const auditOf = new Map(audited.map((a) => [a.entity_id, a]));
    for (const [i, { device, mutations }] of sent.entries()) {
      const author = world.userIds[i % 2 === 0 ? 'dg.demo' : 'so.demo'];
      for (const m of mutations) {
        expect(byId.get(m.payload.checkId)).toMatchObject({ device_id: device, author_id: author });
        expect(auditOf.get(m.payload.checkId)).toMatchObject({ device_id: device, actor_id: author });
      }
    }
    expect(await logged(ids)).toBe(ids.length);
    await expectLogsWhole();
  });

  it('a push the database fails on in a shared transaction fails no other push: each is then written alone', async () => {
    await whileLandingRefused(async () => {
      const { sent, answers } = await pushFromTablets(6, 3, { tablet: 3, landing: 'refused' });
      for (const [i, results] of answers.entries()) {
        expect(results.map((r) => r.status)).toEqual(i === 3 ? ['applied', 'rejected', 'applied'] : ['applied', 'applied', 'applied']);
      }
      expect(answers[3]?.[1]?.reason).toContain('The server failed while storing it');
      const ids = sent.flatMap((s) => s.mutations.map((m) => m.payload.checkId));
      expect(await stored(ids)).toBe(ids.length - 1);
      // Refused for a fault of the server's, it is not recorded: sent again once fixed, it is applied.
      expect(await recorded(sent.flatMap((s) => s.mutations.map((m) => m.id)))).toBe(ids.length - 1);
    });
    await expectLogsWhole();
  });

  it('refuses alone a mutation the database fails to store, and stores the rest of the batch', async () => {
    await whileLandingRefused(async () => {
      const first = next();
      const failing = next({ landing: 'refused' });
      const last = next();
      const results = await push([first, failing, last]);
      expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
      expect(results[1]?.reason).toContain('The server failed while storing it');
      expect(await stored([first.payload.checkId, failing.payload.checkId, last.payload.checkId])).toBe(2);
    });
    await expectLogsWhole();
  });
});
