import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  judgeFailures,
  MAX_ATTEMPTS,
  nextBatch,
  PHOTO_BATCH_BYTES,
  PHOTO_BATCH_COUNT,
  frameBytes,
  joinsBatch,
  photosToUpload,
  planRound,
  settle,
  splitByServer,
  type OutboxItem,
} from '../../src/sync/engine.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_PHOTOS, PHOTO_FRAME_HEADER_BYTES } from '../../src/shared/api/sync.ts';
import { runSync, TransportError, type SyncTransport } from '../../src/sync/run.ts';
import { FaultyNetwork, MemoryDevice, MemoryServer, type Fault } from './support/memory-sync.ts';

const item = (seq: number, photos: string[] = [], needs: string[] = [], attempts = 0): OutboxItem => ({
  seq,
  id: `m${seq}`,
  clientId: 'd',
  type: 'check.submit',
  payload: {},
  createdAt: '',
  protocol: 1,
  photos,
  entityId: `e${seq}`,
  needs,
  attempts,
});

describe('sync decisions', () => {
  it('sends the oldest first and uploads each missing photo once', () => {
    const batch = nextBatch([item(3), item(1, ['a', 'b']), item(2, ['b', 'c'])], 2);
    expect(batch.map((m) => m.seq)).toEqual([1, 2]);
    expect(photosToUpload(batch, new Set(['c']))).toEqual(['a', 'b']);
  });

  it('groups photos into batches by bytes, in order, within what the server takes', () => {
    expect(PHOTO_BATCH_BYTES).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(PHOTO_BATCH_COUNT).toBeLessThanOrEqual(MAX_BATCH_PHOTOS);
    expect(frameBytes(10)).toBe(10 + PHOTO_FRAME_HEADER_BYTES);
    /** Batches as the runner fills them, photo by photo. */
    const group = (sizes: readonly number[], maxBytes?: number) => {
      const batches: number[][] = [];
      let bytes = 0;
      for (const size of sizes) {
        const current = batches.at(-1);
        if (current && joinsBatch({ count: current.length, bytes }, size, maxBytes)) current.push(size);
        else {
          batches.push([size]);
          bytes = 0;
        }
        bytes += frameBytes(size);
      }
      return batches;
    };
    const mb = 1024 * 1024;
    const inMb = group([5, 5, 3, 20, 1, 1].map((n) => n * mb), 12 * mb).map((b) => b.map((n) => n / mb));
    expect(inMb).toEqual([[5, 5], [3], [20], [1, 1]]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 * mb }), { maxLength: 300 }), (sizes) => {
        const batches = group(sizes);
        // Every photo once, in order; each batch within the limits unless one photo alone is over.
        expect(batches.flat()).toEqual(sizes);
        for (const batch of batches) {
          expect(batch.length).toBeLessThanOrEqual(PHOTO_BATCH_COUNT);
          if (batch.length > 1) expect(batch.reduce((n, size) => n + frameBytes(size), 0)).toBeLessThanOrEqual(PHOTO_BATCH_BYTES);
        }
      }),
    );
  });

  it('sends only the photos the server lacks, in the device’s order', () => {
    expect(splitByServer(['a', 'b', 'c', 'd'], ['d', 'b'])).toEqual({ send: ['b', 'd'], has: ['a', 'c'] });
  });

  it('settles applied and duplicate as done, keeps rejected for a person, and stops at the first retry', () => {
    const batch = [item(1), item(2), item(3), item(4)];
    const s = settle(batch, [
      { id: 'm2', status: 'rejected', reason: 'bad unit' },
      { id: 'm1', status: 'duplicate' },
      { id: 'm3', status: 'retry' },
      { id: 'm4', status: 'applied' },
    ]);
    expect(s).toEqual({ done: ['m1'], rejected: [{ id: 'm2', reason: 'bad unit' }], retry: true, stuck: { item: batch[2], reason: 'The server gave no answer for it.' } });
    // A result missing from the answer is not taken as sent.
    expect(settle(batch.slice(0, 2), [{ id: 'm1', status: 'applied' }])).toMatchObject({ done: ['m1'], rejected: [], retry: true, stuck: { item: batch[1] } });
  });

  it('lets later changes overtake one that cannot be sent, except those that need it', () => {
    // m3 corrects m2's check (e2); m4 corrects m3's.
    const waiting = [item(1), item(2), item(3, [], ['e2']), item(4, [], ['e3']), item(5)];
    expect(planRound(waiting, new Set(), new Set(['m2'])).sendable.map((m) => m.id)).toEqual(['m1', 'm5']);
    // A change set aside earlier holds back what needs it, which is set aside beside it.
    const round = planRound(waiting.slice(2), new Set(['e2']), new Set());
    expect(round.sendable.map((m) => m.id)).toEqual(['m5']);
    expect(round.setAside.map((s) => s.id)).toEqual(['m3', 'm4']);
  });

  it(`counts a change's failed syncs and sets it aside, with what needs it, on the ${MAX_ATTEMPTS}th`, () => {
    const waiting = [item(1, [], [], MAX_ATTEMPTS - 1), item(2, [], ['e1']), item(3, [], [], 0), item(4)];
    const judged = judgeFailures(new Map([['m1', 'The server answered 500'], ['m3', 'no answer']]), waiting);
    expect(judged.attempts).toEqual(['m3']);
    expect(judged.setAside.map((s) => s.id)).toEqual(['m1', 'm2']);
    expect(judged.setAside[0]?.reason).toContain('The server answered 500');
  });

  it('backs off exponentially with jitter, within bounds', () => {
    const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), unit, (attempt, r) => {
        const delay = backoffDelay(attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(BACKOFF_BASE_MS / 2);
        expect(delay).toBeLessThanOrEqual(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }),
    );
    expect(backoffDelay(1, () => 0.999)).toBeGreaterThan(backoffDelay(1, () => 0));
  });

  describe('a person who must choose a new password first', () => {
    it('leaves every change waiting, counted against none, and sends them all once it is chosen', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      for (let i = 0; i < 5; i += 1) device.submit({ checkId: `check-${i}`, photos: [`p${i}`] });
      let passwordChosen = false;
      const network = new FaultyNetwork(server, []);
      const waiting: SyncTransport = {
        uploadBlob: (sha, bytes) => (passwordChosen ? network.uploadBlob(sha, bytes) : Promise.reject(new TransportError(403, 'Choose a new password', 'password_change_required'))),
        push: (request) => (passwordChosen ? network.push(request) : Promise.reject(new TransportError(403, 'Choose a new password', 'password_change_required'))),
        pull: (cursor) => network.pull(cursor),
      };
      for (let i = 0; i < MAX_ATTEMPTS + 1; i += 1) expect((await runSync(device, waiting)).kind).toBe('retry-later');
      expect(device.outbox).toHaveLength(5);
      expect(device.setAside.size).toBe(0);
      expect(server.checks.size).toBe(0);

      passwordChosen = true;
      expect((await runSync(device, waiting)).kind).toBe('done');
      expect(server.checks.size).toBe(5);
      expect(device.outbox).toHaveLength(0);
    });
  });

  describe('photos in batches', () => {
    it('sends a sync’s photos in a few requests, and after a cut sends only what did not arrive', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      for (let i = 0; i < 40; i += 1) device.submit({ checkId: `check-${i}`, photos: [`p${i}`] });
      server.uploadBlob('p3', new ArrayBuffer(10));
      // The first photo batch is cut half-way.
      const network = new FaultyNetwork(server, ['ok', 'cut']);
      expect((await runSync(device, network)).kind).toBe('retry-later');
      const cutBatch = network.photoRequests[0] ?? [];
      expect(cutBatch).not.toContain('p3');
      const kept = cutBatch.slice(0, Math.floor(cutBatch.length / 2));
      expect(kept.every((sha) => server.blobs.has(sha))).toBe(true);

      network.photoRequests.length = 0;
      expect((await runSync(device, network)).kind).toBe('done');
      expect(server.checks.size).toBe(40);
      // Only what the cut lost went again, in one request.
      expect(network.photoRequests).toEqual([cutBatch.slice(kept.length)]);
    });

    it('fills every photo request but the last across pushes, in the device’s order, each photo once', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      // 0, 1 or 2 photos a check: the photos of a push of 100 checks never fill whole requests.
      const photosOf = (i: number) => Array.from({ length: i % 3 }, (_, k) => `p${i}-${k}`);
      const checks = 350;
      for (let i = 0; i < checks; i += 1) device.submit({ checkId: `check-${i}`, photos: photosOf(i) });
      const network = new FaultyNetwork(server, []);
      expect((await runSync(device, network)).kind).toBe('done');
      expect(server.checks.size).toBe(checks);
      const all = Array.from({ length: checks }, (_, i) => photosOf(i)).flat();
      expect(network.photoRequests.flat()).toEqual(all);
      const sizes = network.photoRequests.map((request) => request.length);
      expect(sizes.slice(0, -1).every((n) => n === PHOTO_BATCH_COUNT)).toBe(true);
      expect(sizes).toHaveLength(Math.ceil(all.length / PHOTO_BATCH_COUNT));
    });

    it('finds the photo a batch was refused for by sending that batch one by one; the rest still go', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      for (let i = 0; i < 5; i += 1) device.submit({ checkId: `check-${i}`, photos: [`p${i}`] });
      const network = new FaultyNetwork(server, []);
      const refusing: SyncTransport = {
        uploadBlob: (sha, bytes) => (sha === 'p2' ? Promise.reject(new TransportError(415, 'Only JPEG, PNG and WebP photos are stored.')) : network.uploadBlob(sha, bytes)),
        missingBlobs: (shas) => network.missingBlobs(shas),
        uploadBlobs: (photos) => (photos.some((p) => p.sha256 === 'p2') ? Promise.reject(new TransportError(415, 'Photo 3 of the batch')) : network.uploadBlobs(photos)),
        push: (request) => network.push(request),
        pull: (cursor) => network.pull(cursor),
      };
      const outcome = await runSync(device, refusing);
      expect(outcome).toMatchObject({ kind: 'retry-later' });
      expect([...server.checks.keys()].sort()).toEqual(['check-0', 'check-1', 'check-3', 'check-4']);
      expect(device.outbox.map((m) => m.entityId)).toEqual(['check-2']);
    });

    it('sends one photo per request to a server that does not take batches', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      for (let i = 0; i < 3; i += 1) device.submit({ checkId: `check-${i}`, photos: [`p${i}`] });
      const network = new FaultyNetwork(server, []);
      const older: SyncTransport = {
        uploadBlob: (sha, bytes) => network.uploadBlob(sha, bytes),
        missingBlobs: () => Promise.reject(new TransportError(404, 'Not found.')),
        uploadBlobs: () => Promise.reject(new Error('never called')),
        push: (request) => network.push(request),
        pull: (cursor) => network.pull(cursor),
      };
      expect((await runSync(device, older)).kind).toBe('done');
      expect(network.photoRequests).toEqual([['p0'], ['p1'], ['p2']]);
      expect(server.checks.size).toBe(3);
    });

    it('keeps every change queued, counted against none, when the server asks for an update (426)', async () => {
      const device = new MemoryDevice('d');
      for (let i = 0; i < 3; i += 1) device.submit({ checkId: `check-${i}`, photos: [`p${i}`] });
      const update = () => Promise.reject(new TransportError(426, 'Update the app.'));
      const newer: SyncTransport = { uploadBlob: update, missingBlobs: update, uploadBlobs: update, push: update, pull: update };
      expect(await runSync(device, newer)).toEqual({ kind: 'update-required' });
      expect(device.outbox.map((m) => [m.entityId, m.attempts])).toEqual([['check-0', 0], ['check-1', 0], ['check-2', 0]]);
      expect(device.setAside.size).toBe(0);
    });
  });

  describe('a change the server cannot take', () => {
    it('never stops the changes behind it, and is set aside with its data after repeated failures', async () => {
      const server = new MemoryServer();
      const device = new MemoryDevice('d');
      device.submit({ checkId: 'before', photos: ['p1'] });
      device.submit({ checkId: 'poison', photos: [], poison: true });
      for (let i = 0; i < 30; i += 1) device.submit({ checkId: `after-${i}`, photos: [`p${i % 3}`] });
      const network = new FaultyNetwork(server, []);

      const first = await runSync(device, network);
      // Everything but the poisoned change arrived in the first sync; it stays queued for another try.
      expect(first.kind).toBe('retry-later');
      expect(server.checks.size).toBe(31);
      expect(server.checks.has('poison')).toBe(false);
      expect(device.outbox.map((m) => m.entityId)).toEqual(['poison']);
      expect(device.setAside.size).toBe(0);

      const outcomes = [first];
      for (let i = 1; i < MAX_ATTEMPTS; i += 1) outcomes.push(await runSync(device, network));
      // After the last try it is kept for a person, with its data, and sync is done.
      expect(outcomes.at(-1)?.kind).toBe('done');
      expect([...device.setAside.values()].map(({ item: m }) => m.payload)).toEqual([{ checkId: 'poison', photos: [], poison: true }]);
      expect((await runSync(device, network)).kind).toBe('done');
      expect(server.checks.size).toBe(31);
    });
  });
});

const checkIdOf = (m: OutboxItem) => (m.payload as { checkId: string }).checkId;

const FAULTS: Fault[] = ['ok', 'drop-request', 'drop-response', 'duplicate', 'delay', 'server-error', 'cut'];

describe('sync under any network failure (property)', () => {
  it('after the network heals, the server holds every submitted check and photo exactly once, and every device converges', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Devices, each with checks naming up to three of eight photos (shared between devices: same bytes, same hash).
        fc.array(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.constantFrom(...FAULTS), { maxLength: 60 }),
        // Checks submitted while syncing is under way, between rounds.
        fc.integer({ min: 0, max: 3 }),
        async (devicesChecks, faults, lateChecks) => {
          const server = new MemoryServer();
          const schedule = [...faults];
          const devices = devicesChecks.map((checks, d) => {
            const device = new MemoryDevice(`device-${d}`);
            for (const [c, photos] of checks.entries()) device.submit({ checkId: `check-${d}-${c}`, photos: photos.map((p) => `photo-${p}`) });
            return { device, network: new FaultyNetwork(server, schedule) };
          });
          const submitted = new Set(devices.flatMap(({ device }) => device.outbox.map(checkIdOf)));
          for (let round = 0; round < 200; round += 1) {
            // All devices sync at once: their requests interleave and, with delays, overtake each other.
            const outcomes = await Promise.all(devices.map(({ device, network }) => runSync(device, network)));
            if (round < lateChecks) {
              const late = { checkId: `late-${round}`, photos: [`photo-${round}`] };
              devices[0]?.device.submit(late);
              submitted.add(late.checkId);
            }
            const settled = outcomes.every((o) => o.kind === 'done') && devices.every(({ device }) => device.outbox.length === 0);
            if (settled && schedule.length === 0 && round >= lateChecks) break;
          }
          expect(schedule).toEqual([]);
          // Healed and quiet: one more sync each, and every device has pulled what the others sent.
          const last = await Promise.all(devices.map(({ device, network }) => runSync(device, network)));
          expect(last.map((o) => o.kind)).toEqual(devices.map(() => 'done'));
          expect(new Set(server.checks.keys())).toEqual(submitted);
          for (const count of server.inserts.values()) expect(count).toBe(1);
          for (const check of server.checks.values()) for (const sha of check.photos) expect(server.blobs.has(sha)).toBe(true);
          for (const { device } of devices) {
            expect(device.outbox).toEqual([]);
            expect(device.rejected).toEqual([]);
            expect(device.pulled).toEqual(submitted);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
