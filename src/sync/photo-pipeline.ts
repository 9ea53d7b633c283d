/**
 * A sync's photos as one steady stream: every push asks for its own photos, and those of the pushes
 * after it, and all of them queue in the device's order behind one set of requests in flight. A
 * push waits only for its own photos; the requests never wait for a push, so the link stays busy
 * from the first photo to the last (no pause between pushes, no half-empty request at the end of
 * each push's photos).
 *
 * Protocol 2 asks the server which photos it lacks and sends those in batches by bytes; a batch
 * refused as a whole goes again one photo per request, to find the photo at fault. A server that
 * does not take batches is sent one photo per request. A failure that says nothing about a photo
 * (no network, the server unavailable) stops the stream: every photo not yet sent answers with it.
 */
import { frameBytes, joinsBatch, splitByServer } from './engine.ts';
import type { PhotoUpload, SyncStore, SyncTransport } from './run.ts';
import { refusal } from './transport-error.ts';

export interface PhotoPipeline {
  /**
   * Sends these photos, each once per sync however often it is asked for: resolves once every one
   * is sent, known to the server or not on the device, with those the server refused and why.
   * Rejects with the failure that stopped the stream.
   */
  send(sha256s: readonly string[]): Promise<Map<string, string>>;
  /** Sends nothing more: resolves once every request in flight has ended. */
  stop(): Promise<void>;
}

export interface PipelineEvents {
  /** A photo was read from the device's store to be sent. */
  read(bytes: number): void;
  /** These photos reached the server. */
  sent(bytes: number): void;
}

interface Pending {
  promise: Promise<string | null>;
  /** null: sent (or the server has it, or it is not on the device); a string: refused, with why. */
  resolve(reason: string | null): void;
  reject(error: unknown): void;
  settled: boolean;
}

function pending(): Pending {
  let resolve!: (reason: string | null) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<string | null>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // A photo asked for ahead of its push may fail with the stream before anyone awaits it.
  promise.catch(() => undefined);
  const entry: Pending = {
    promise,
    settled: false,
    resolve: (reason) => {
      entry.settled = true;
      resolve(reason);
    },
    reject: (error) => {
      entry.settled = true;
      reject(error);
    },
  };
  return entry;
}

/** Ended by stop(): what was still queued is not sent in this sync. */
class Stopped extends Error {}

/** `lanes`: requests in flight at once. */
export function photoPipeline(store: SyncStore, transport: SyncTransport, lanes: number, events: PipelineEvents): PhotoPipeline {
  const photos = new Map<string, Pending>();
  /** Photos to send, in the order asked for, once the server said it lacks them. */
  const queue: string[] = [];
  /** Read from the store but not fitting the last batch: it starts the next. */
  let carried: PhotoUpload | null = null;
  /** Protocol 2's batches, until the server shows it does not take them (an older server). */
  let batched = transport.missingBlobs !== undefined && transport.uploadBlobs !== undefined;
  let stopped: unknown = null;
  /** Asking the server what it lacks, one request at a time so the queue keeps the order asked for. */
  let admitting: Promise<void> = Promise.resolve();
  let admissions = 0;
  /** Batches are filled one at a time, so they keep the device's order. */
  let filling: Promise<unknown> = Promise.resolve();
  const running = new Set<Promise<void>>();

  const settle = (sha256: string, reason: string | null) => photos.get(sha256)?.resolve(reason);
  /** Stops the stream: every photo not yet settled answers `error`. */
  const fail = (error: unknown) => {
    stopped ??= error;
    queue.length = 0;
    carried = null;
    for (const entry of photos.values()) if (!entry.settled) entry.reject(stopped);
  };

  const markSent = async (batch: readonly PhotoUpload[]) => {
    await store.markUploaded(batch.map((p) => p.sha256));
    for (const photo of batch) settle(photo.sha256, null);
    events.sent(batch.reduce((n, p) => n + p.bytes.byteLength, 0));
  };

  /** Asks the server which of these it lacks (protocol 2) and queues those. */
  const admit = async (fresh: readonly string[]) => {
    if (stopped) return;
    let toSend = fresh;
    if (batched && transport.missingBlobs) {
      try {
        const { send, has } = splitByServer(fresh, await transport.missingBlobs(fresh));
        if (has.length > 0) await store.markUploaded(has);
        for (const sha256 of has) settle(sha256, null);
        toSend = send;
      } catch (error) {
        if (!refusal(error)) throw error;
        // A server without protocol 2's photo requests: one per photo, as before.
        batched = false;
      }
    }
    if (stopped) return;
    queue.push(...toSend);
    startLanes();
  };

  /** The next photo to send, read from the device's store; photos no longer on the device are passed over. */
  const nextPhoto = async (): Promise<PhotoUpload | null> => {
    for (;;) {
      const sha256 = queue.shift();
      if (sha256 === undefined) {
        // More are on their way into the queue: the batch waits for them rather than going half-empty.
        if (admissions > 0 && !stopped) {
          await admitting;
          continue;
        }
        return null;
      }
      const photo = await store.photo(sha256);
      if (!photo) {
        settle(sha256, null);
        continue;
      }
      events.read(photo.bytes.byteLength);
      return { sha256, ...photo };
    }
  };

  /** The next request's photos: a batch by bytes, or one photo for a server that takes only those. */
  const fill = async (): Promise<PhotoUpload[]> => {
    if (stopped) return [];
    const batch: PhotoUpload[] = carried ? [carried] : [];
    let bytes = carried ? frameBytes(carried.bytes.byteLength) : 0;
    carried = null;
    while (!(batch.length > 0 && !batched)) {
      const photo = await nextPhoto();
      if (!photo) break;
      if (!joinsBatch({ count: batch.length, bytes }, photo.bytes.byteLength)) {
        carried = photo;
        break;
      }
      batch.push(photo);
      bytes += frameBytes(photo.bytes.byteLength);
    }
    return batch;
  };
  const nextBatch = (): Promise<PhotoUpload[]> => {
    const batch = filling.then(fill);
    filling = batch.catch(() => undefined);
    return batch;
  };

  /** One photo per request: the photos the server refuses are settled with why. */
  const sendOneByOne = async (batch: readonly PhotoUpload[]) => {
    for (const photo of batch) {
      try {
        await transport.uploadBlob(photo.sha256, photo.bytes, photo.mime);
      } catch (error) {
        if (!refusal(error)) throw error;
        settle(photo.sha256, error.message);
        continue;
      }
      await markSent([photo]);
    }
  };

  const upload = async (batch: readonly PhotoUpload[]) => {
    if (!batched || !transport.uploadBlobs) {
      await sendOneByOne(batch);
      return;
    }
    try {
      await transport.uploadBlobs(batch);
    } catch (error) {
      if (!refusal(error)) throw error;
      await sendOneByOne(batch);
      return;
    }
    await markSent(batch);
  };

  const lane = async () => {
    for (let batch = await nextBatch(); batch.length > 0 && !stopped; batch = await nextBatch()) await upload(batch);
  };
  function startLanes() {
    while (running.size < lanes && (queue.length > 0 || carried) && !stopped) {
      const run: Promise<void> = lane()
        .catch(fail)
        .finally(() => {
          running.delete(run);
          // Photos queued while this lane was finishing its last batch.
          startLanes();
        });
      running.add(run);
    }
  }

  return {
    async send(sha256s) {
      const fresh: string[] = [];
      for (const sha256 of sha256s) {
        if (photos.has(sha256)) continue;
        const entry = pending();
        photos.set(sha256, entry);
        if (stopped) entry.reject(stopped);
        else fresh.push(sha256);
      }
      if (fresh.length > 0) {
        admissions += 1;
        admitting = admitting
          .then(() => admit(fresh))
          .catch(fail)
          .finally(() => {
            admissions -= 1;
          });
      }
      const refused = new Map<string, string>();
      for (const sha256 of sha256s) {
        const reason = await photos.get(sha256)?.promise;
        if (reason) refused.set(sha256, reason);
      }
      return refused;
    },
    async stop() {
      fail(new Stopped('The sync ended.'));
      await admitting;
      while (running.size > 0) await Promise.all(running);
    },
  };
}
