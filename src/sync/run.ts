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
import {
  BATCH_SIZE,
  frameBytes,
  joinsBatch,
  judgeFailures,
  photosToUpload,
  planRound,
  settle,
  splitByServer,
  type OutboxItem,
  type SetAside,
} from './engine.ts';

/** A request that failed: status 0 when there was no answer at all. */
export class TransportError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error code, where it gave one ("password_change_required"). */
    readonly code = '',
  ) {
    super(message);
  }
}

/** The person must choose a new password first: nothing sent is at fault, it all waits for that. */
const WAITS_FOR_PERSON = new Set(['password_change_required']);

/**
 * An answer about the request itself, not the server's availability: the server refused or
 * failed what was sent. No answer (0), unavailable or overloaded (502, 503, 504, 429), signed out
 * (401), too old (426) and a password to choose first are not: they stop the sync and count
 * against no change.
 */
function refusal(error: unknown): error is TransportError {
  if (!(error instanceof TransportError)) return false;
  return ![0, 401, 426, 429, 502, 503, 504].includes(error.status) && !WAITS_FOR_PERSON.has(error.code);
}

/** Changes that fail on their own in one sync, at most: then the sync stops and tries again later. */
export const MAX_FAILURES_PER_SYNC = 10;
/** Failures in a row after which the sync asks the server whether it is working (a pull) before going on. */
export const FAILURES_BEFORE_HEALTH_CHECK = 3;

/**
 * Photo requests sent at once: protocol 2's batches (engine.ts PHOTO_BATCH_BYTES each), or single
 * photos to a server that takes only those. Two keep the link busy while the server stores the
 * last; each batch's bytes are the tablet's own stored photos, so little memory is added.
 */
export const UPLOADS_IN_FLIGHT = 2;

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
  // Room for the batch after this one, whose photos go while this one is pushed.
  let limit = 2 * BATCH_SIZE;
  /** Changes that failed on their own in this sync, with why: not sent again in it. */
  const failures = new Map<string, string>();
  let failedInARow = 0;
  let cursor = await store.pullCursor();
  let pulled = 0;
  let referenceChanged = false;
  /** Protocol 2's batches, until the server shows it does not take them (an older server). */
  let batched = 'missingBlobs' in transport && 'uploadBlobs' in transport;

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

  const sent = async (photos: readonly PhotoUpload[]) => {
    await store.markUploaded(photos.map((p) => p.sha256));
    progress.bytesSent += photos.reduce((n, p) => n + p.bytes.byteLength, 0);
    onProgress({ ...progress });
  };
  /**
   * The photos to send, read from the device's store one at a time as the requests need them, so
   * no more than the batches in flight are held in memory; each counts toward the bytes to send.
   */
  const photoReader = (shas: readonly string[]) => {
    const queue = [...shas];
    return async (): Promise<PhotoUpload | null> => {
      for (let sha256 = queue.shift(); sha256 !== undefined; sha256 = queue.shift()) {
        const photo = await store.photo(sha256);
        if (!photo) continue;
        progress.bytesTotal += photo.bytes.byteLength;
        onProgress({ ...progress });
        return { sha256, ...photo };
      }
      return null;
    };
  };
  /** One request per photo: the photos the server refuses, with why, are left out. */
  const sendOneByOne = async (next: () => Promise<PhotoUpload | null>, refused: Map<string, string>) => {
    const uploader = async () => {
      for (let photo = await next(); photo; photo = await next()) {
        try {
          await transport.uploadBlob(photo.sha256, photo.bytes, photo.mime);
        } catch (error) {
          if (!refusal(error)) throw error;
          refused.set(photo.sha256, error.message);
          continue;
        }
        await sent([photo]);
      }
    };
    await Promise.all(Array.from({ length: UPLOADS_IN_FLIGHT }, uploader));
  };
  /**
   * Sends the photos the server may lack: protocol 2 asks it which it lacks and sends those in
   * batches (after a cut, the next sync asks again and sends only what did not arrive); a batch
   * refused as a whole goes again one photo per request, to find the photo at fault. Answers the
   * photos refused, with why. Throws when the server cannot be reached.
   */
  const sendPhotos = async (shas: readonly string[]): Promise<Map<string, string>> => {
    const refused = new Map<string, string>();
    let toSend = [...shas];
    if (toSend.length === 0) return refused;
    if (batched && transport.missingBlobs) {
      try {
        const { send, has } = splitByServer(toSend, await transport.missingBlobs(toSend));
        if (has.length > 0) await store.markUploaded(has);
        toSend = send;
      } catch (error) {
        if (!refusal(error)) throw error;
        // A server without protocol 2's photo requests: one per photo, as before.
        batched = false;
      }
    }
    const next = photoReader(toSend);
    const uploadBlobs = transport.uploadBlobs?.bind(transport);
    if (!batched || !uploadBlobs) {
      await sendOneByOne(next, refused);
      return refused;
    }
    let carried: PhotoUpload | null = null;
    /** The next batch, filled by bytes; the photo that does not fit starts the one after. */
    const fill = async (): Promise<PhotoUpload[]> => {
      const batch: PhotoUpload[] = carried ? [carried] : [];
      let bytes = carried ? frameBytes(carried.bytes.byteLength) : 0;
      carried = null;
      for (let photo = await next(); photo; photo = await next()) {
        if (!joinsBatch({ count: batch.length, bytes }, photo.bytes.byteLength)) {
          carried = photo;
          break;
        }
        batch.push(photo);
        bytes += frameBytes(photo.bytes.byteLength);
      }
      return batch;
    };
    // One batch is filled at a time, so batches keep the device's order and fill up even while another is in flight.
    let filling: Promise<unknown> = Promise.resolve();
    const nextBatch = (): Promise<PhotoUpload[]> => {
      const batch = filling.then(fill);
      filling = batch.catch(() => undefined);
      return batch;
    };
    const uploader = async () => {
      for (let batch = await nextBatch(); batch.length > 0; batch = await nextBatch()) {
        try {
          await uploadBlobs(batch);
        } catch (error) {
          if (!refusal(error)) throw error;
          const again = [...batch];
          await sendOneByOne(() => Promise.resolve(again.shift() ?? null), refused);
          continue;
        }
        await sent(batch);
      }
    };
    await Promise.all(Array.from({ length: UPLOADS_IN_FLIGHT }, uploader));
    return refused;
  };
  /** The next batch's photos, sent while this batch is pushed; whatever goes wrong is met again, and handled, in its own turn. */
  let ahead: Promise<unknown> | null = null;

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

      // Photos before the mutations that name them: the server answers retry otherwise.
      if (ahead) await ahead;
      ahead = null;
      const uploaded = await store.uploaded();
      progress.phase = 'uploading';
      onProgress({ ...progress });
      /** Photos the server refused or failed on, with why. */
      const badPhotos = await sendPhotos(photosToUpload(batch, uploaded));
      const photoless = batch.find((item) => item.photos.some((sha) => badPhotos.has(sha)));
      if (photoless) {
        const sha = photoless.photos.find((p) => badPhotos.has(p)) ?? '';
        if (!(await failed(photoless, `A photo of it could not be sent: ${badPhotos.get(sha) ?? ''}`))) break;
        continue;
      }
      const following = round.sendable.slice(batch.length, batch.length + size);
      const nowUploaded = new Set([...uploaded, ...batch.flatMap((item) => item.photos)]);
      ahead = sendPhotos(photosToUpload(following, nowUploaded)).catch(() => undefined);

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

    if (ahead) await ahead;
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
    if (ahead) await ahead;
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
