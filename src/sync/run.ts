/**
 * One sync: upload the photos the next mutations need, push the mutations, settle the outbox,
 * repeat while anything waits; then pull what changed. Storage and network are interfaces, so
 * the same loop runs in the page, in the service worker and against an in-memory server in tests.
 *
 * No change blocks the ones behind it: a batch the server refuses or fails as a whole is sent
 * again one change at a time; a change that fails on its own is left for the next sync while the
 * rest go on, and after MAX_ATTEMPTS such syncs it is set aside for a person (Needs attention,
 * its data kept), with whatever needs it. Failures that say nothing about one change (no
 * network, the server unavailable, signed out) stop the sync and count against nothing.
 */
import type { Change, PullResponse, PushRequest, PushResponse } from '../shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../shared/mutations.ts';
import { BATCH_SIZE, judgeFailures, photosToUpload, planRound, settle, type OutboxItem, type SetAside } from './engine.ts';
import { photoPipeline } from './photo-pipeline.ts';
import { refusal, TransportError } from './transport-error.ts';

export { TransportError } from './transport-error.ts';

/** Changes that fail on their own in one sync, at most: then the sync stops and tries again later. */
export const MAX_FAILURES_PER_SYNC = 10;
/** Failures in a row after which the sync asks the server whether it is working (a pull) before going on. */
export const FAILURES_BEFORE_HEALTH_CHECK = 3;

/**
 * Photo requests sent at once: protocol 2's batches (engine.ts PHOTO_BATCH_BYTES each), or single
 * photos to a server that takes only those. A third keeps one batch streaming while the other two
 * wait on the server: on their session lookup behind a push's transaction (PGlite runs one at a
 * time) or on their last photos' fsync (bench:sync, scratch runs alternated: 2.52 s mean against
 * 2.75 s with two). Each batch is its photos' bytes once more while it is sent: 36 MB at most.
 */
export const UPLOADS_IN_FLIGHT = 3;
/**
 * The batches after this one whose photos are queued while it is pushed: with two, the queue of
 * photos never runs dry between pushes, so every request but the last is full.
 */
const PHOTOS_AHEAD = 2;

/** A photo to send, with its bytes. */
export interface PhotoUpload {
  sha256: string;
  bytes: ArrayBuffer;
  mime: string;
}

export interface SyncTransport {
  /** Protocol 1: one photo per request (and protocol 2's way to find the photo a batch was refused for). */
  uploadBlob(sha256: string, bytes: ArrayBuffer, mime: string): Promise<void>;
  /** Protocol 2: which of these photos the server lacks. Without it (and uploadBlobs), photos go one per request. */
  missingBlobs?(sha256s: readonly string[]): Promise<string[]>;
  /** Protocol 2: many photos in one request; refused as a whole (a TransportError) if any of them is. */
  uploadBlobs?(photos: readonly PhotoUpload[]): Promise<void>;
  push(request: PushRequest): Promise<PushResponse>;
  pull(cursor: string): Promise<PullResponse>;
}

export interface SyncStore {
  clientId(): Promise<string>;
  /** Waiting mutations, oldest first. */
  waiting(limit: number): Promise<OutboxItem[]>;
  /** The entities carried by changes set aside for a person: a change that needs one is set aside too. */
  heldEntities(): Promise<Set<string>>;
  photo(sha256: string): Promise<{ bytes: ArrayBuffer; mime: string } | null>;
  uploaded(): Promise<Set<string>>;
  /** The server has these photos: they are never sent again (unless it says it lacks one, forgetUploaded). */
  markUploaded(sha256s: readonly string[]): Promise<void>;
  /** The server lacks photos this device thought it had sent: send them again next time. */
  forgetUploaded(sha256s: readonly string[]): Promise<void>;
  /** Removes applied mutations and keeps rejected ones for a person, in one transaction. */
  settle(done: readonly string[], rejected: readonly { id: string; reason: string }[]): Promise<void>;
  /** Counts one more failed sync for each of `attempts`; sets `setAside` aside for a person, with its reason (state `failed`). */
  recordFailures(attempts: readonly string[], setAside: readonly SetAside[]): Promise<void>;
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
  let setAside = 0;
  // Halved to one after a batch fails as a whole (to find the change at fault), doubled back after each success.
  let size = BATCH_SIZE;
  // Room for the two batches after this one, whose photos go while this one is pushed.
  let limit = (1 + PHOTOS_AHEAD) * BATCH_SIZE;
  /** Changes that failed on their own in this sync, with why: not sent again in it. */
  const failures = new Map<string, string>();
  let failedInARow = 0;
  let cursor = await store.pullCursor();
  let pulled = 0;
  let referenceChanged = false;

  const pullPage = async (): Promise<boolean> => {
    const page = await transport.pull(cursor);
    await store.applyChanges(page.changes, page.cursor);
    pulled += page.changes.length;
    referenceChanged ||= page.changes.some((c) => c.entity === 'reference');
    cursor = page.cursor;
    return page.hasMore;
  };
  /** A change failed on its own: left for the next sync. False: this sync has seen enough failures, stop sending. */
  const failed = async (item: OutboxItem, reason: string): Promise<boolean> => {
    failures.set(item.id, reason);
    failedInARow += 1;
    if (failures.size >= MAX_FAILURES_PER_SYNC) return false;
    // Several in a row may be the server failing everything: go on only if it answers (else this throws).
    if (failedInARow >= FAILURES_BEFORE_HEALTH_CHECK) {
      await pullPage();
      failedInARow = 0;
    }
    return true;
  };

  const photos = photoPipeline(store, transport, UPLOADS_IN_FLIGHT, {
    read: (bytes) => {
      progress.bytesTotal += bytes;
      onProgress({ ...progress });
    },
    sent: (bytes) => {
      progress.bytesSent += bytes;
      onProgress({ ...progress });
    },
  });

  try {
    for (;;) {
      const waiting = await store.waiting(limit);
      const round = planRound(waiting, await store.heldEntities(), new Set(failures.keys()));
      if (round.setAside.length > 0) {
        await store.recordFailures([], round.setAside);
        setAside += round.setAside.length;
        continue;
      }
      if (round.sendable.length === 0 && waiting.length === limit) {
        // Everything loaded waits behind a failure: look further.
        limit *= 2;
        continue;
      }
      const batch = round.sendable.slice(0, size);
      if (batch.length === 0) break;

      // Photos before the mutations that name them: the server answers retry otherwise. The next
      // batches' photos queue behind these, and travel while this batch is pushed.
      const uploaded = await store.uploaded();
      progress.phase = 'uploading';
      onProgress({ ...progress });
      const ours = photos.send(photosToUpload(batch, uploaded));
      const following = round.sendable.slice(batch.length, batch.length + PHOTOS_AHEAD * size);
      // Whatever goes wrong with them is met again, and handled, in their own turn.
      photos.send(photosToUpload(following, uploaded)).catch(() => undefined);
      /** Photos the server refused, with why. */
      const badPhotos = await ours;
      const photoless = batch.find((item) => item.photos.some((sha) => badPhotos.has(sha)));
      if (photoless) {
        const sha = photoless.photos.find((p) => badPhotos.has(p)) ?? '';
        if (!(await failed(photoless, `A photo of it could not be sent: ${badPhotos.get(sha) ?? ''}`))) break;
        continue;
      }

      progress.phase = 'pushing';
      onProgress({ ...progress });
      let response: PushResponse;
      try {
        response = await transport.push({
          clientId,
          protocol: PROTOCOL_VERSION,
          mutations: batch.map(({ id, seq, type, payload, createdAt }) => ({ id, clientId, seq, type, payload, createdAt })),
        });
      } catch (error) {
        if (!refusal(error)) throw error;
        if (batch.length > 1) {
          // Refused or failed as a whole: send them one at a time to find the change at fault.
          size = 1;
          continue;
        }
        const [alone] = batch;
        if (alone && !(await failed(alone, `The server answered ${error.status}: ${error.message}`))) break;
        continue;
      }
      const settlement = settle(batch, response.results);
      await store.settle(settlement.done, settlement.rejected);
      progress.sent += settlement.done.length;
      rejected += settlement.rejected.length;
      onProgress({ ...progress });
      if (settlement.done.length + settlement.rejected.length > 0) failedInARow = 0;
      if (settlement.stuck) {
        // Answered retry (or not at all): left for the next sync, and what is behind it goes on. If
        // the server lacks a photo this device thought it had sent, it goes again then.
        const { item, reason } = settlement.stuck;
        await store.forgetUploaded(item.photos);
        if (!(await failed(item, reason))) break;
        continue;
      }
      size = Math.min(BATCH_SIZE, size * 2);
    }

    await photos.stop();
    progress.phase = 'pulling';
    onProgress({ ...progress });
    while (await pullPage());
    // The server answered: whatever failed on its own this time counts against that change.
    if (failures.size > 0) {
      const judged = judgeFailures(failures, await store.waiting(Math.max(limit, 10_000)));
      await store.recordFailures(judged.attempts, judged.setAside);
      setAside += judged.setAside.length;
      // Some wait for another try, or the sync stopped before all was tried: the backoff timer brings it back.
      if (judged.attempts.length > 0 || failures.size >= MAX_FAILURES_PER_SYNC) return stopped(failures, progress);
    }
    return { kind: 'done', sent: progress.sent, rejected: rejected + setAside, pulled, referenceChanged };
  } catch (error) {
    // Nothing of this sync goes on after it ends: another may start as soon as the lock is let go.
    await photos.stop();
    const outcome = failure(error);
    return outcome.kind === 'retry-later' ? { ...outcome, sent: progress.sent } : outcome;
  }
}

/** Changes are left for the next sync: say so, with the first one's reason. */
function stopped(failures: ReadonlyMap<string, string>, progress: SyncProgress): SyncOutcome {
  const count = failures.size;
  const [first] = failures.values();
  return {
    kind: 'retry-later',
    sent: progress.sent,
    reason: `${count === 1 ? '1 change was' : `${count} changes were`} not sent (${first ?? 'no reason given'}); the rest went on.`,
  };
}
