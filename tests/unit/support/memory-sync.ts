/**
 * An in-memory Wingcheck server and device store for testing the sync engine: the same rules as
 * the real server (exactly-once by mutation id, content must match, photos before the checks that
 * name them, a gapless change log), and a network that fails in chosen ways.
 */
import type { Change, PullResponse, PushRequest, PushResponse, PushResult, ServerCheck } from '../../../src/shared/api/sync.ts';
import type { OutboxItem } from '../../../src/sync/engine.ts';
import { TransportError, type PhotoUpload, type SyncStore, type SyncTransport } from '../../../src/sync/run.ts';

export interface MemoryCheck {
  checkId: string;
  photos: string[];
  /** The server fails (500) on any push that carries it, as on content PostgreSQL cannot store. */
  poison?: boolean;
}

export class MemoryServer {
  readonly blobs = new Map<string, number>();
  readonly applied = new Map<string, { content: string; status: 'applied' | 'rejected' }>();
  readonly checks = new Map<string, MemoryCheck>();
  /** How many times each check was inserted: must end at exactly 1. */
  readonly inserts = new Map<string, number>();
  readonly log: { seq: number; checkId: string }[] = [];

  uploadBlob(sha256: string, bytes: ArrayBuffer): void {
    this.blobs.set(sha256, bytes.byteLength);
  }

  push(request: PushRequest): PushResponse {
    if (request.mutations.some((m) => (m.payload as MemoryCheck).poison)) throw new TransportError(500, 'Something went wrong on the server.');
    const results: PushResult[] = [];
    let stopped = false;
    for (const m of request.mutations) {
      if (stopped) {
        results.push({ id: m.id, status: 'retry' });
        continue;
      }
      const content = JSON.stringify({ type: m.type, payload: m.payload });
      const earlier = this.applied.get(m.id);
      if (earlier) {
        results.push(earlier.content !== content ? { id: m.id, status: 'rejected', reason: 'different content' } : { id: m.id, status: 'duplicate' });
        continue;
      }
      const payload = m.payload as MemoryCheck;
      if (payload.photos.some((sha) => !this.blobs.has(sha))) {
        results.push({ id: m.id, status: 'retry' });
        stopped = true;
        continue;
      }
      this.applied.set(m.id, { content, status: 'applied' });
      this.checks.set(payload.checkId, payload);
      this.inserts.set(payload.checkId, (this.inserts.get(payload.checkId) ?? 0) + 1);
      this.log.push({ seq: this.log.length + 1, checkId: payload.checkId });
      results.push({ id: m.id, status: 'applied' });
    }
    return { results };
  }

  pull(cursor: string, limit = 3): PullResponse {
    const after = Number(cursor);
    const rows = this.log.filter((r) => r.seq > after).slice(0, limit + 1);
    const page = rows.slice(0, limit);
    const changes: Change[] = page.map((r) => ({ seq: String(r.seq), entity: 'check', id: r.checkId, data: { id: r.checkId } as ServerCheck }));
    return { changes, cursor: String(page.at(-1)?.seq ?? after), hasMore: rows.length > limit };
  }
}

/** `cut`: the connection breaks part-way through the request: a batch of photos keeps its first half. */
export type Fault = 'ok' | 'drop-request' | 'drop-response' | 'duplicate' | 'delay' | 'server-error' | 'cut';

/** The network between one device and the server: takes the next fault from a shared schedule for each request. */
export class FaultyNetwork implements SyncTransport {
  requests = 0;
  constructor(
    private readonly server: MemoryServer,
    private readonly faults: Fault[],
  ) {}

  /** Photos sent, request by request: one array per batch (or per single upload). */
  readonly photoRequests: string[][] = [];

  private async exchange<T>(call: () => T, partly?: () => void): Promise<T> {
    this.requests += 1;
    const fault = this.faults.shift() ?? 'ok';
    if (fault === 'cut') {
      partly?.();
      throw new TransportError(0, 'the connection broke part-way');
    }
    // Let other devices' requests run first: reorders and interleaves them.
    if (fault === 'delay') for (let i = 0; i < 5; i += 1) await Promise.resolve();
    if (fault === 'drop-request') throw new TransportError(0, 'dropped before the server');
    if (fault === 'server-error') throw new TransportError(503, 'server unavailable');
    const answer = call();
    if (fault === 'duplicate') return call();
    if (fault === 'drop-response') throw new TransportError(0, 'dropped after the server applied it');
    return answer;
  }

  uploadBlob(sha256: string, bytes: ArrayBuffer): Promise<void> {
    this.photoRequests.push([sha256]);
    return this.exchange(() => {
      this.server.uploadBlob(sha256, bytes);
    });
  }

  missingBlobs(sha256s: readonly string[]): Promise<string[]> {
    return this.exchange(() => [...new Set(sha256s)].filter((sha) => !this.server.blobs.has(sha)));
  }

  uploadBlobs(photos: readonly PhotoUpload[]): Promise<void> {
    this.photoRequests.push(photos.map((p) => p.sha256));
    const store = (some: readonly PhotoUpload[]) => {
      for (const p of some) {
        this.server.uploadBlob(p.sha256, p.bytes);
      }
    };
    const half = photos.slice(0, Math.floor(photos.length / 2));
    return this.exchange(
      () => {
        store(photos);
      },
      () => {
        store(half);
      },
    );
  }

  push(request: PushRequest): Promise<PushResponse> {
    // The server sees its own copy, as over a real wire.
    return this.exchange(() => this.server.push(structuredClone(request)));
  }

  pull(cursor: string): Promise<PullResponse> {
    return this.exchange(() => this.server.pull(cursor));
  }
}

export class MemoryDevice implements SyncStore {
  readonly outbox: OutboxItem[] = [];
  readonly rejected: { id: string; reason: string }[] = [];
  /** Set aside for a person after failing on their own (Needs attention), with their data. */
  readonly setAside = new Map<string, { item: OutboxItem; reason: string }>();
  readonly photos = new Map<string, ArrayBuffer>();
  readonly uploadedSet = new Set<string>();
  readonly pulled = new Set<string>();
  cursor = '0';
  private seq = 0;

  constructor(readonly id: string) {}

  submit(check: MemoryCheck): void {
    for (const sha of check.photos) this.photos.set(sha, new ArrayBuffer(10));
    this.seq += 1;
    this.outbox.push({
      seq: this.seq,
      id: `${this.id}-m${this.seq}`,
      clientId: this.id,
      type: 'check.submit',
      payload: check,
      createdAt: '2026-11-23T09:00:00Z',
      protocol: 1,
      photos: check.photos,
      entityId: check.checkId,
      needs: [],
      attempts: 0,
    });
  }

  clientId = () => Promise.resolve(this.id);
  waiting = (limit: number) => Promise.resolve(this.outbox.filter((m) => !this.setAside.has(m.id)).slice(0, limit));
  heldEntities = () => Promise.resolve(new Set([...this.setAside.values()].map(({ item }) => item.entityId)));
  photo = (sha: string) => {
    const bytes = this.photos.get(sha);
    return Promise.resolve(bytes ? { bytes, mime: 'image/jpeg' } : null);
  };

  uploaded = () => Promise.resolve(new Set(this.uploadedSet));
  markUploaded = (shas: readonly string[]) => {
    for (const sha of shas) this.uploadedSet.add(sha);
    return Promise.resolve();
  };

  forgetUploaded = (shas: readonly string[]) => {
    for (const sha of shas) this.uploadedSet.delete(sha);
    return Promise.resolve();
  };

  recordFailures = (attempts: readonly string[], setAside: readonly { id: string; reason: string }[]) => {
    for (const m of this.outbox) if (attempts.includes(m.id)) m.attempts += 1;
    for (const { id, reason } of setAside) {
      const item = this.outbox.find((m) => m.id === id);
      if (item) this.setAside.set(id, { item, reason });
    }
    return Promise.resolve();
  };

  settle = (done: readonly string[], rejected: readonly { id: string; reason: string }[]) => {
    const gone = new Set([...done, ...rejected.map((r) => r.id)]);
    this.rejected.push(...rejected);
    this.outbox.splice(0, this.outbox.length, ...this.outbox.filter((m) => !gone.has(m.id)));
    return Promise.resolve();
  };

  pullCursor = () => Promise.resolve(this.cursor);
  applyChanges = (changes: readonly Change[], cursor: string) => {
    for (const change of changes) if (change.entity === 'check') this.pulled.add(change.id);
    this.cursor = cursor;
    return Promise.resolve();
  };
}
