/**
 * One sync: upload the photos the next mutations need, push the mutations, settle the outbox,
 * repeat while anything waits; then pull what changed. Storage and network are interfaces, so
 * the same loop runs in the page, in the service worker and against an in-memory server in tests.
 */
import type { Change, PullResponse, PushRequest, PushResponse } from '../shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../shared/mutations.ts';
import { nextBatch, photosToUpload, settle, type OutboxItem } from './engine.ts';

/** A request that failed: status 0 when there was no answer at all. */
export class TransportError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Photo uploads sent at once: enough to keep a link busy, few enough for a cheap tablet's memory. */
export const UPLOADS_IN_FLIGHT = 3;

export interface SyncTransport {
  uploadBlob(sha256: string, bytes: ArrayBuffer, mime: string): Promise<void>;
  push(request: PushRequest): Promise<PushResponse>;
  pull(cursor: string): Promise<PullResponse>;
}

export interface SyncStore {
  clientId(): Promise<string>;
  /** Waiting mutations, oldest first. */
  waiting(limit: number): Promise<OutboxItem[]>;
  photo(sha256: string): Promise<{ bytes: ArrayBuffer; mime: string } | null>;
  uploaded(): Promise<Set<string>>;
  markUploaded(sha256: string): Promise<void>;
  /** Removes applied mutations and keeps rejected ones for a person, in one transaction. */
  settle(done: readonly string[], rejected: readonly { id: string; reason: string }[]): Promise<void>;
  pullCursor(): Promise<string>;
  /** Stores pulled changes and the new cursor together, so a crash never skips or repeats one. */
  applyChanges(changes: readonly Change[], cursor: string): Promise<void>;
}

export interface SyncProgress {
  phase: 'uploading' | 'pushing' | 'pulling';
  /** Photo bytes sent so far in this sync, and the bytes of the photos it knows it must send. */
  bytesSent: number;
  bytesTotal: number;
  sent: number;
}

export type SyncOutcome
  = | { kind: 'done'; sent: number; rejected: number; pulled: number; referenceChanged: boolean }
  /** Nothing more can be done now: no network, the server is failing, or something must wait. */
    | { kind: 'retry-later'; sent: number; reason: string }
    | { kind: 'signed-out' }
    | { kind: 'update-required' };

function failure(error: unknown): SyncOutcome {
  if (error instanceof TransportError) {
    if (error.status === 401) return { kind: 'signed-out' };
    if (error.status === 426) return { kind: 'update-required' };
    return { kind: 'retry-later', sent: 0, reason: error.message };
  }
  throw error;
}

export async function runSync(
  store: SyncStore,
  transport: SyncTransport,
  onProgress: (p: SyncProgress) => void = () => undefined,
): Promise<SyncOutcome> {
  const clientId = await store.clientId();
  const progress: SyncProgress = { phase: 'uploading', bytesSent: 0, bytesTotal: 0, sent: 0 };
  let rejected = 0;
  try {
    for (;;) {
      const batch = nextBatch(await store.waiting(100));
      if (batch.length === 0) break;
      // Photos before the mutations that name them: the server answers retry otherwise.
      const uploaded = await store.uploaded();
      const missing = photosToUpload(batch, uploaded);
      const photos = [];
      for (const sha of missing) {
        const photo = await store.photo(sha);
        if (photo) photos.push({ sha, ...photo });
      }
      progress.phase = 'uploading';
      progress.bytesTotal += photos.reduce((n, p) => n + p.bytes.byteLength, 0);
      onProgress({ ...progress });
      // A few uploads in flight at once: the next one's bytes travel while the server stores the last.
      const queue = [...photos];
      const uploader = async () => {
        for (let photo = queue.shift(); photo; photo = queue.shift()) {
          await transport.uploadBlob(photo.sha, photo.bytes, photo.mime);
          await store.markUploaded(photo.sha);
          progress.bytesSent += photo.bytes.byteLength;
          onProgress({ ...progress });
        }
      };
      await Promise.all(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, queue.length) }, uploader));
      progress.phase = 'pushing';
      onProgress({ ...progress });
      const response = await transport.push({
        clientId,
        protocol: PROTOCOL_VERSION,
        mutations: batch.map(({ id, seq, type, payload, createdAt }) => ({ id, clientId, seq, type, payload, createdAt })),
      });
      const settlement = settle(batch, response.results);
      await store.settle(settlement.done, settlement.rejected);
      progress.sent += settlement.done.length;
      rejected += settlement.rejected.length;
      onProgress({ ...progress });
      if (settlement.retry) {
        const reason = response.results.find((r) => r.status === 'retry')?.reason ?? 'The server asked to try again later.';
        return { kind: 'retry-later', sent: progress.sent, reason };
      }
    }
    progress.phase = 'pulling';
    onProgress({ ...progress });
    let cursor = await store.pullCursor();
    let pulled = 0;
    let referenceChanged = false;
    for (;;) {
      const page = await transport.pull(cursor);
      await store.applyChanges(page.changes, page.cursor);
      pulled += page.changes.length;
      referenceChanged ||= page.changes.some((c) => c.entity === 'reference');
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    return { kind: 'done', sent: progress.sent, rejected, pulled, referenceChanged };
  } catch (error) {
    const outcome = failure(error);
    return outcome.kind === 'retry-later' ? { ...outcome, sent: progress.sent } : outcome;
  }
}
