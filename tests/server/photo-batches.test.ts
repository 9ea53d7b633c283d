// Protocol 2's photos in batches: each frame checked as a single upload is, a malformed body a 4xx
// with the error body (never a 500), a batch cut part-way keeping what arrived; and a version-1
// device still syncing the old way.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.ts';
import {
  MAX_BATCH_PHOTOS,
  MissingBlobsResponse,
  PHOTO_BATCH_TYPE,
  photoFrameHeader,
  PROTOCOL_HEADER,
  PullResponse,
  PushResponse,
  StoredBlobs,
} from '../../src/shared/api/sync.ts';
import { MAX_STORED_PHOTO_BYTES } from '../../src/shared/mutations.ts';
import { PROTOCOL_VERSION } from '../../src/shared/protocol.ts';
import { CSRF_HEADER } from '../../src/shared/roles.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, type EvidenceRefs } from './support/evidence.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A distinct JPEG each time: the fixture with bytes after its end, which every reader ignores. */
let made = 0;
function photo(): Buffer {
  made += 1;
  return Buffer.concat([PHOTO, Buffer.from(`variant ${made} ${Math.random()}`)]);
}

const frame = (bytes: Buffer, hash = sha(bytes), size = bytes.length) => Buffer.concat([photoFrameHeader(hash, size), bytes]);

describe(`photos in batches on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let dg: Session;
  let refs: EvidenceRefs;
  beforeAll(async () => {
    ({ t, world } = await startWorld());
    dg = await signIn(t.app, 'dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
  });
  afterAll(async () => {
    await t.close();
  });

  const batch = (session: Session, body: Buffer | Readable, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/blobs/batch',
      headers: { 'cookie': session.cookie, [CSRF_HEADER]: session.csrfToken, 'content-type': PHOTO_BATCH_TYPE, ...headers },
      payload: body,
    });
  const missing = async (session: Session, sha256s: string[]) => {
    const res = await call(t.app, session, 'POST', '/api/blobs/missing', { sha256s });
    expect(res.statusCode, res.body).toBe(200);
    return MissingBlobsResponse.parse(res.json()).missing;
  };
  /** A 4xx with the error body, naming the frame at fault where there is one. */
  const refusedWith = (res: { statusCode: number; json: () => unknown }, status: number, code: string, frameIndex?: number) => {
    expect(res.statusCode).toBe(status);
    const body = ApiError.parse(res.json());
    expect(body).toMatchObject({ error: code, code });
    if (frameIndex !== undefined) expect(body.issues).toEqual([expect.objectContaining({ path: String(frameIndex) })]);
  };

  it('stores every photo of a batch once, records it for the establishment, and answers which are new', async () => {
    const photos = [photo(), photo(), photo()];
    const hashes = photos.map(sha);
    expect(await missing(dg, [...hashes, hashes[0] ?? ''])).toEqual(hashes);
    const res = await batch(dg, Buffer.concat(photos.map((p) => frame(p))));
    expect(res.statusCode, res.body).toBe(200);
    expect(StoredBlobs.parse(res.json()).stored).toEqual(photos.map((p) => ({ sha256: sha(p), size: p.length, created: true })));
    expect(await missing(dg, hashes)).toEqual([]);
    // Each served back byte for byte, to its establishment only, as a single upload is.
    const got = await call(t.app, dg, 'GET', `/api/blobs/${hashes[1]}`);
    expect(got.rawPayload.equals(photos[1] ?? Buffer.alloc(0))).toBe(true);
    const [row] = await t.db.query<{ width: number; height: number; mime: string }>(
      'SELECT width, height, mime FROM photos WHERE establishment_id = $1 AND sha256 = $2', [world.demoId, hashes[0] ?? ''],
    );
    expect(row).toEqual({ width: 1200, height: 1600, mime: 'image/jpeg' });
    const other = await signIn(t.app, 'admin.other');
    expect((await call(t.app, other, 'GET', `/api/blobs/${hashes[0]}`)).statusCode).toBe(404);
    // Idempotent: again, nothing new; another establishment must send the bytes to hold the photo.
    const again = await batch(dg, frame(photos[0] ?? Buffer.alloc(0)));
    expect(StoredBlobs.parse(again.json()).stored).toEqual([{ sha256: hashes[0], size: photos[0]?.length, created: false }]);
    expect(await missing(other, hashes)).toEqual(hashes);
  });

  it('keeps the photos before a body cut short, and the device sends only the rest', async () => {
    const photos = [photo(), photo(), photo()];
    const whole = Buffer.concat(photos.map((p) => frame(p)));
    const cut = whole.subarray(0, whole.length - 1000);
    refusedWith(await batch(dg, cut), 400, 'truncated', 2);
    expect(await missing(dg, photos.map(sha))).toEqual([sha(photos[2] ?? Buffer.alloc(0))]);
    // Cut inside the next header.
    const next = [photo(), photo()];
    refusedWith(await batch(dg, Buffer.concat([frame(next[0] ?? Buffer.alloc(0)), frame(next[1] ?? Buffer.alloc(0)).subarray(0, 20)])), 400, 'truncated', 1);
    expect(await missing(dg, next.map(sha))).toEqual([sha(next[1] ?? Buffer.alloc(0))]);
  });

  it('keeps the photos before a connection that breaks mid-batch', async () => {
    const [first, second] = [photo(), photo()];
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const req = httpRequest(`${address}/api/blobs/batch`, {
      method: 'POST',
      headers: { 'cookie': dg.cookie, [CSRF_HEADER]: dg.csrfToken, 'content-type': PHOTO_BATCH_TYPE },
    });
    req.on('error', () => undefined);
    req.write(frame(first));
    req.write(frame(second).subarray(0, 5000));
    // The first photo is stored once its bytes are in; then the connection breaks inside the second.
    await vi.waitFor(async () => {
      expect(await t.blobs.has(sha(first))).toBe(true);
    });
    req.destroy();
    await vi.waitFor(async () => {
      expect(await missing(dg, [sha(first), sha(second)])).toEqual([sha(second)]);
    });
  });

  it('refuses a wrong hash, a non-image, an oversize photo, a photo twice, an empty batch and too many photos, keeping what came before', async () => {
    const good = photo();
    const other = photo();
    const wrong = await batch(dg, Buffer.concat([frame(good), frame(other, sha(photo()))]));
    refusedWith(wrong, 400, 'hash_mismatch', 1);
    expect(await missing(dg, [sha(good)])).toEqual([]);

    const text = Buffer.from('not a photo at all, just words');
    refusedWith(await batch(dg, frame(text)), 415, 'unsupported_media_type', 0);
    expect(await missing(dg, [sha(text)])).toEqual([sha(text)]);

    const big = photo();
    refusedWith(await batch(dg, photoFrameHeader(sha(big), MAX_STORED_PHOTO_BYTES + 1) as Buffer), 413, 'too_large', 0);
    refusedWith(await batch(dg, Buffer.from(photoFrameHeader(sha(big), 0))), 400, 'empty_photo', 0);

    const twice = photo();
    refusedWith(await batch(dg, Buffer.concat([frame(twice), frame(twice)])), 400, 'duplicate_photo', 1);
    expect(await missing(dg, [sha(twice)])).toEqual([]);

    refusedWith(await batch(dg, Buffer.alloc(0)), 400, 'empty_batch');

    const tiny = Array.from({ length: MAX_BATCH_PHOTOS + 1 }, () => photo());
    refusedWith(await batch(dg, Buffer.concat(tiny.map((p) => frame(p)))), 413, 'too_many_photos', MAX_BATCH_PHOTOS);
    expect(await missing(dg, tiny.map(sha))).toEqual([sha(tiny[MAX_BATCH_PHOTOS] ?? Buffer.alloc(0))]);
  });

  it('refuses a wrong content type, a request without CSRF token or session, and malformed hash lists', async () => {
    const one = frame(photo());
    expect((await batch(dg, one, { 'content-type': 'multipart/form-data; boundary=x' })).statusCode).toBe(415);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/blobs/batch', headers: { 'content-type': PHOTO_BATCH_TYPE }, payload: one });
    expect(anonymous.statusCode).toBe(401);
    expect((await call(t.app, dg, 'POST', '/api/blobs/missing', { sha256s: ['abc'] })).statusCode).toBe(400);
    expect((await call(t.app, dg, 'POST', '/api/blobs/missing', { sha256s: [], extra: 1 })).statusCode).toBe(400);
    expect((await call(t.app, dg, 'POST', '/api/blobs/missing', { sha256s: [] }, { csrf: false })).statusCode).toBe(403);
  });

  it('tells a device speaking a protocol the server does not know to update, 426, for photos and pushes alike', async () => {
    const newer = String(PROTOCOL_VERSION + 1);
    const photoRes = await batch(dg, frame(photo()), { [PROTOCOL_HEADER]: newer });
    refusedWith(photoRes, 426, 'upgrade_required');
    expect(photoRes.json<{ message: string }>().message).toContain('Update the app');
    const ask = await call(t.app, dg, 'POST', '/api/blobs/missing', { sha256s: [] }, { headers: { [PROTOCOL_HEADER]: '0' } });
    expect(ask.statusCode).toBe(426);
    const push = await call(t.app, dg, 'POST', '/api/sync/push', { clientId: 'tablet-new', protocol: PROTOCOL_VERSION + 1, mutations: [] });
    refusedWith(push, 426, 'upgrade_required');
    expect(push.json<{ message: string }>().message).toContain('Nothing waiting is lost');
  });

  it('a version-1 client syncs: a PUT per photo, then a protocol 1 push, then a pull', async () => {
    const so = await signIn(t.app, 'so.demo');
    const bytes = photo();
    const put = await call(t.app, so, 'PUT', `/api/blobs/${sha(bytes)}`, bytes, { headers: { 'content-type': 'image/jpeg' } });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toEqual({ sha256: sha(bytes), size: bytes.length });
    const ref = { sha256: sha(bytes), mime: 'image/jpeg' as const, size: bytes.length, width: 1200, height: 1600, itemId: null };
    const mutations = [checkMutation(refs, 'tablet-v1', 1, { photos: [ref] }), checkMutation(refs, 'tablet-v1', 2)];
    const pushed = await call(t.app, so, 'POST', '/api/sync/push', { clientId: 'tablet-v1', protocol: 1, mutations });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(PushResponse.parse(pushed.json()).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const pulled = await call(t.app, so, 'GET', '/api/sync/pull?cursor=0&limit=1000');
    const checks = PullResponse.parse(pulled.json()).changes.filter((c) => c.entity === 'check').map((c) => c.id);
    expect(checks).toEqual(expect.arrayContaining(mutations.map((m) => m.payload.checkId)));
  });
});
