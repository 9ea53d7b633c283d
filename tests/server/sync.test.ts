import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse, PushResponse, ServerCheck } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/mutations.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const PHOTO_REF = { sha256: PHOTO_SHA, mime: 'image/jpeg' as const, size: PHOTO.length, width: 1200, height: 1600, itemId: null };

describe(`sync on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let dg: Session;
  let refs: EvidenceRefs;
  const clientId = 'tablet-1';
  beforeAll(async () => {
    ({ t, world } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (session: Session, sha: string, bytes: Buffer, type = 'image/jpeg') =>
    call(t.app, session, 'PUT', `/api/blobs/${sha}`, bytes, { headers: { 'content-type': type } });
  const push = async (session: Session, mutations: unknown[], protocol = PROTOCOL_VERSION) => {
    const res = await call(t.app, session, 'POST', '/api/sync/push', { clientId, protocol, mutations });
    expect(res.statusCode, res.body).toBe(200);
    return PushResponse.parse(res.json()).results;
  };
  const pullAll = async (session: Session, from = '0', limit = 500, protocol?: number) => {
    const changes: PullResponse['changes'] = [];
    let cursor = from;
    const headers: Record<string, string> = protocol === undefined ? {} : { 'x-wingcheck-protocol': String(protocol) };
    for (;;) {
      const res = await call(t.app, session, 'GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, undefined, { headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = PullResponse.parse(res.json());
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor };
    }
  };

  it('stores a photo once under its hash, refuses damaged bytes and non-images, and shows it only to its establishment', async () => {
    expect((await upload(dg, PHOTO_SHA, PHOTO)).statusCode).toBe(201);
    expect((await upload(dg, PHOTO_SHA, PHOTO)).statusCode).toBe(200);
    const damaged = Buffer.from(PHOTO);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 10) ^ 0xff, damaged.length - 10);
    const wrong = await upload(dg, PHOTO_SHA, damaged);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ error: string }>().error).toBe('hash_mismatch');
    const text = Buffer.from('not a photo at all');
    const { createHash } = await import('node:crypto');
    const notImage = await upload(dg, createHash('sha256').update(text).digest('hex'), text);
    expect(notImage.statusCode).toBe(415);
    const tooBig = await upload(dg, 'a'.repeat(64), Buffer.alloc(9 * 1024 * 1024, 1));
    expect(tooBig.statusCode).toBe(413);

    const got = await call(t.app, dg, 'GET', `/api/blobs/${PHOTO_SHA}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PHOTO)).toBe(true);
    const other = await signIn(t.app, 'admin.other');
    expect((await call(t.app, other, 'GET', `/api/blobs/${PHOTO_SHA}`)).statusCode).toBe(404);
  });

  it('applies a check once: a repeat is a duplicate, the same id with other content is rejected', async () => {
    const mutation = checkMutation(refs, clientId, 1, { photos: [PHOTO_REF] });
    expect(await push(dg, [mutation])).toEqual([{ id: mutation.id, status: 'applied' }]);
    expect(await push(dg, [mutation])).toEqual([{ id: mutation.id, status: 'duplicate' }]);
    const altered = { ...mutation, payload: { ...mutation.payload, landing: '2s' } };
    const [result] = await push(dg, [altered]);
    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain('A different change was already sent with this id');
    const [row] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM checks WHERE id = $1', [mutation.payload.checkId]);
    expect(row?.count).toBe(1);
  });

  it('answers retry for a check naming a photo not uploaded yet, and for everything after it in the batch', async () => {
    const missing = 'b'.repeat(64);
    const first = checkMutation(refs, clientId, 2, { photos: [{ ...PHOTO_REF, sha256: missing }] });
    const second = checkMutation(refs, clientId, 3);
    const results = await push(dg, [first, second]);
    expect(results.map((r) => r.status)).toEqual(['retry', 'retry']);
    // Nothing was recorded: once the photo is there, the same mutations apply.
    const [none] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM applied_mutations WHERE id = $1', [first.id]);
    expect(none?.count).toBe(0);
    const withPhoto = { ...first, payload: { ...first.payload, photos: [PHOTO_REF] } };
    expect((await push(dg, [withPhoto, second])).map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('rejects, with a reason and never a 500, unknown types, incomplete answers and other establishments’ units', async () => {
    const [elsewhereUnit] = await t.db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1', [world.elsewhereId]);
    const unknown = { ...checkMutation(refs, clientId, 4), type: 'check.delete' };
    const incomplete = checkMutation(refs, clientId, 5, { answers: [] });
    const foreign = checkMutation(refs, clientId, 6, { unitId: elsewhereUnit?.id ?? '' });
    const results = await push(dg, [unknown, incomplete, foreign]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results[0]?.reason).toContain('Unknown kind of change “check.delete”');
    expect(results[1]?.reason).toContain('The answers are incomplete');
    expect(results[2]?.reason).toContain('unit is not one of your establishment’s');
    // A rejection is remembered: sending it again gets the same answer.
    expect((await push(dg, [incomplete]))[0]).toEqual(results[1]);
  });

  it('refuses an outdated client with 426 and a malformed cursor with 400', async () => {
    const old = await call(t.app, dg, 'POST', '/api/sync/push', { clientId, protocol: 0, mutations: [] });
    expect(old.statusCode).toBe(426);
    expect(old.json<{ message: string }>().message).toContain('Update the app');
    const res = await call(t.app, dg, 'GET', '/api/sync/pull?cursor=abc');
    expect(res.statusCode).toBe(400);
    expect((await call(t.app, dg, 'GET', '/api/sync/pull?cursor=-1')).statusCode).toBe(400);
  });

  it('pulls every check of the establishment in order, in pages, with who made it and its photos', async () => {
    const so = await signIn(t.app, 'so.demo');
    const { changes, cursor } = await pullAll(so, '0', 2);
    const checks = changes.filter((c) => c.entity === 'check').map((c) => ServerCheck.parse(c.data));
    expect(checks).toHaveLength(3);
    expect(checks[0]).toMatchObject({ authorName: 'Dana Governor (demo)', actionIds: [refs.actionId], photos: [PHOTO_REF] });
    const seqs = changes.map((c) => BigInt(c.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect((await pullAll(so, cursor)).changes).toEqual([]);
    const other = await signIn(t.app, 'admin.other');
    expect((await pullAll(other)).changes.filter((c) => c.entity === 'check')).toEqual([]);
  });

  it('keeps a photo blurred on the device marked redacted, and one not blurred unmarked', async () => {
    const redacted = checkMutation(refs, clientId, 40, { photos: [{ ...PHOTO_REF, redacted: true }] });
    const plain = checkMutation(refs, clientId, 41, { photos: [PHOTO_REF] });
    expect((await push(dg, [redacted, plain])).map((r) => r.status)).toEqual(['applied', 'applied']);
    const photosOf = (changes: PullResponse['changes'], id: string) =>
      changes.flatMap((c) => (c.entity === 'check' && c.id === id ? [ServerCheck.parse(c.data).photos] : []));
    const { changes } = await pullAll(dg, '0', 500, PROTOCOL_VERSION);
    expect(photosOf(changes, redacted.payload.checkId)).toEqual([[{ ...PHOTO_REF, redacted: true }]]);
    expect(photosOf(changes, plain.payload.checkId)).toEqual([[{ ...PHOTO_REF, redacted: false }]]);
    // An app from before protocol 4 would refuse a key it does not know: it gets the references as they were.
    const older = (await pullAll(dg, '0', 500, 3)).changes;
    expect(photosOf(older, redacted.payload.checkId)).toEqual([[PHOTO_REF]]);
    // Only `true` means redacted: anything else is refused, not taken as a claim.
    const odd = checkMutation(refs, clientId, 42, { photos: [{ ...PHOTO_REF, redacted: 'yes' } as unknown as typeof PHOTO_REF] });
    const [answer] = await push(dg, [odd]);
    expect(answer).toMatchObject({ status: 'rejected' });
  });

  it('refuses a stale action-status change, saying what the action is now; only the head of residence sets status', async () => {
    const hor = await signIn(t.app, 'hor.demo');
    const change = (status: string, baseVersion: number, reason?: string) => ({
      id: newId(),
      clientId,
      seq: 100,
      type: 'action.set-status',
      payload: { actionId: refs.actionId, status, baseVersion, ...(reason ? { reason } : {}) },
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect((await push(hor, [change('in-progress', 1)]))[0]?.status).toBe('applied');
    const [stale] = await push(hor, [change('evidence-submitted', 1)]);
    expect(stale?.status).toBe('rejected');
    expect(stale?.reason).toContain('it is now “In progress” (version 2)');
    const [notHor] = await push(dg, [change('complete', 2, 'Done')]);
    expect(notHor?.reason).toContain('Only the head of residence');
    expect((await push(hor, [change('complete', 2)]))[0]?.reason).toContain('only when evidence for it has been accepted');
    expect((await push(hor, [change('complete', 2, 'Servery checks embedded for three months.')]))[0]?.status).toBe('applied');
    const [action] = await t.db.query<{ status: string; version: number }>('SELECT status, version FROM actions WHERE id = $1', [refs.actionId]);
    expect(action).toEqual({ status: 'complete', version: 3 });
  });

  it('tells devices to fetch reference data again when an admin changes it', async () => {
    const admin = await signIn(t.app, 'admin.demo');
    const before = await pullAll(admin);
    await call(t.app, admin, 'PATCH', `/api/units/${world.demoUnitId}`, { landings: ['1s', '2s'] });
    const after = await pullAll(admin, before.cursor);
    expect(after.changes.map((c) => [c.entity, c.id])).toEqual([['reference', 'units']]);
  });

  it('rejects evidence linked to an action not of its establishment, correcting a check it does not have, or reusing a check id', async () => {
    const recorded = checkMutation(refs, clientId, 7);
    expect((await push(dg, [recorded]))[0]?.status).toBe('applied');
    const foreignAction = checkMutation(refs, clientId, 8, { actionIds: [refs.actionId, newId()] });
    const unknownOriginal = checkMutation(refs, clientId, 9, { supersedes: newId() });
    const reused = checkMutation(refs, clientId, 10, { checkId: recorded.payload.checkId });
    const results = await push(dg, [foreignAction, unknownOriginal, reused]);
    expect(results.map((r) => r.reason)).toEqual([
      'An action it is linked to is not one of your establishment’s.',
      'It corrects a check the server does not have.',
      `Evidence ${recorded.payload.checkId} was already recorded by another change.`,
    ]);
  });
});
