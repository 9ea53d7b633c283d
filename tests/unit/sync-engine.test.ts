import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  judgeFailures,
  MAX_ATTEMPTS,
  nextBatch,
  photosToUpload,
  planRound,
  settle,
  type OutboxItem,
} from '../../src/sync/engine.ts';
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

const FAULTS: Fault[] = ['ok', 'drop-request', 'drop-response', 'duplicate', 'delay', 'server-error'];

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
