import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS, nextBatch, photosToUpload, settle, type OutboxItem } from '../../src/sync/engine.ts';
import { runSync } from '../../src/sync/run.ts';
import { FaultyNetwork, MemoryDevice, MemoryServer, type Fault } from './support/memory-sync.ts';

const item = (seq: number, photos: string[] = []): OutboxItem => ({
  seq,
  id: `m${seq}`,
  clientId: 'd',
  type: 'check.submit',
  payload: {},
  createdAt: '',
  protocol: 1,
  photos,
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
    expect(s).toEqual({ done: ['m1'], rejected: [{ id: 'm2', reason: 'bad unit' }], retry: true });
    // A result missing from the answer is not taken as sent.
    expect(settle(batch.slice(0, 2), [{ id: 'm1', status: 'applied' }])).toEqual({ done: ['m1'], rejected: [], retry: true });
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
