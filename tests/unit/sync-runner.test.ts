// The sync runner over an in-memory device, network and channel: one sync at a time, what every
// page is told, and what a session that ended does.
import { describe, expect, it } from 'vitest';
import { TransportError, type SyncOutcome, type SyncTransport } from '../../src/sync/run.ts';
import { createSyncRunner, type SyncLocks, type SyncMessage, type SyncRunnerDeps } from '../../src/sync/runner.ts';
import { FaultyNetwork, MemoryDevice, MemoryServer } from './support/memory-sync.ts';

/** One lock per name, as navigator.locks gives with ifAvailable: a second request gets null. */
function memoryLocks(): SyncLocks & { held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

function setUp(overrides: Partial<SyncRunnerDeps> = {}) {
  const server = new MemoryServer();
  const device = new MemoryDevice('d');
  const messages: SyncMessage[] = [];
  const recorded: { at: string; outcome: SyncOutcome }[] = [];
  let ended = 0;
  const deps: SyncRunnerDeps = {
    store: device,
    transport: new FaultyNetwork(server, []),
    post: (message) => messages.push(message),
    signedIn: () => Promise.resolve(true),
    sessionEnded: () => {
      ended += 1;
      return Promise.resolve();
    },
    record: (at, outcome) => {
      recorded.push({ at, outcome });
      return Promise.resolve();
    },
    locks: memoryLocks(),
    lockName: 'sync',
    now: () => new Date('2026-12-03T10:00:00Z'),
    ...overrides,
  };
  return { server, device, messages, recorded, ended: () => ended, runner: createSyncRunner(deps) };
}

describe('the sync runner', () => {
  it('sends what waits, records the outcome and tells every page its progress and result', async () => {
    const { server, device, messages, recorded, runner } = setUp();
    device.submit({ checkId: 'c1', photos: ['p1'] });
    const outcome = await runner.syncNow();
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(server.checks.size).toBe(1);
    expect(recorded).toEqual([{ at: '2026-12-03T10:00:00.000Z', outcome }]);
    expect(messages.filter((m) => m.type === 'progress').length).toBeGreaterThan(0);
    expect(messages.at(-1)).toEqual({ type: 'finished', outcome, at: '2026-12-03T10:00:00.000Z' });
  });

  it('answers busy to a second sync while one runs, here or under the lock elsewhere', async () => {
    const locks = memoryLocks();
    const { device, runner } = setUp({ locks });
    device.submit({ checkId: 'c1', photos: [] });
    const first = runner.syncNow();
    expect(await runner.syncNow()).toBe('busy');
    await first;
    // Another tab or the service worker holds the lock: this one does not sync alongside.
    locks.held.add('sync');
    expect(await runner.syncNow()).toBe('busy');
    locks.held.delete('sync');
    expect(await runner.syncNow()).toMatchObject({ kind: 'done' });
  });

  it('sends nothing without a session, and marks a session the server ended', async () => {
    const signedOut = setUp({ signedIn: () => Promise.resolve(false) });
    signedOut.device.submit({ checkId: 'c1', photos: [] });
    expect(await signedOut.runner.syncNow()).toEqual({ kind: 'signed-out' });
    expect(signedOut.server.checks.size).toBe(0);
    expect(signedOut.recorded).toEqual([]);

    const refused: SyncTransport = {
      uploadBlob: () => Promise.reject(new TransportError(401, 'Sign in')),
      push: () => Promise.reject(new TransportError(401, 'Sign in')),
      pull: () => Promise.reject(new TransportError(401, 'Sign in')),
    };
    const ended = setUp({ transport: refused });
    ended.device.submit({ checkId: 'c1', photos: [] });
    expect(await ended.runner.syncNow()).toEqual({ kind: 'signed-out' });
    expect(ended.ended()).toBe(1);
    expect(ended.device.outbox).toHaveLength(1);
  });

  it('runs without Web Locks where a browser lacks them', async () => {
    const { device, runner } = setUp({ locks: undefined });
    device.submit({ checkId: 'c1', photos: [] });
    expect(await runner.syncNow()).toMatchObject({ kind: 'done' });
  });
});
