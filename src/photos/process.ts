/**
 * The page's way in to the photo pipeline: processPhoto(file) gives the JPEG Wingcheck stores,
 * or rejects with a PhotoError whose message can be shown to staff as it is.
 *
 * Photos go one at a time, whoever asks, so a cheap tablet never holds two decoded 12 MP images
 * (48 MB each) at once. The work runs in one long-lived worker, started on first use; where the
 * browser has no Worker, OffscreenCanvas or createImageBitmap, or the worker cannot start, it runs
 * on the page instead, through the same pipeline (shrink.ts).
 */
import { PhotoError, photoTookTooLongMessage } from '../shared/photos.ts';
import { elementGraphics } from './graphics.ts';
import { shrinkPhoto, type ShrunkPhoto } from './shrink.ts';
import type { PhotoJob, PhotoWorkerReply } from './worker-protocol.ts';

export { PhotoError } from '../shared/photos.ts';

export interface ProcessedPhoto {
  /** The JPEG to store. */
  bytes: ArrayBuffer;
  mime: 'image/jpeg';
  /** Bytes in `bytes`. */
  size: number;
  width: number;
  height: number;
  /** SHA-256 of `bytes`, lower-case hex: the photo's id in the blob store. */
  sha256: string;
  /** The source had transparent areas, which are white in the JPEG. */
  hadTransparency: boolean;
  /** The chosen file's name, for messages and the record of where the photo came from. */
  sourceName: string;
  /** Time spent processing this photo, not counting the wait behind earlier ones. */
  durationMs: number;
}

export interface ProcessPhotoOptions {
  /** false processes on the page, as browsers without workers do; by default a worker is used where the browser has one. */
  readonly useWorker?: boolean;
}

/** Name of the performance.measure entry recorded for each photo, worked or refused; `detail` says which. */
export const PHOTO_MEASURE_NAME = 'wingcheck:photo';

export interface PhotoMeasureDetail {
  readonly ok: boolean;
  readonly via: 'worker' | 'page';
  readonly inputBytes: number;
  readonly outputBytes?: number;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Longest a photo may take in the worker. A worker the system kills for memory reports nothing,
 * and without a limit the person would wait for ever; a 12 MP photo takes a second or two.
 */
const WORKER_TIMEOUT_MS = 120_000;

function browserCanUseWorker(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof createImageBitmap !== 'undefined';
}

/** What the worker client says when the page must do the work itself. */
const RUN_ON_PAGE = Symbol('run on page');

interface PendingJob {
  readonly id: number;
  readonly fileName: string;
  readonly settle: (outcome: ShrunkPhoto | typeof RUN_ON_PAGE | Error) => void;
}

/** The one photo worker, and the single job it is working on. */
class PhotoWorkerClient {
  private worker: Worker | undefined;
  private ready = false;
  /** Set for good once the worker cannot start or fails for a reason that is not the file's. */
  private unusable = !browserCanUseWorker();
  private pending: PendingJob | undefined;
  private nextId = 1;

  get usable(): boolean {
    return !this.unusable;
  }

  /** The photo, or RUN_ON_PAGE when the worker is not available. Rejects with PhotoError for a bad file. */
  async run(file: Blob, fileName: string): Promise<ShrunkPhoto | typeof RUN_ON_PAGE> {
    const worker = this.start();
    if (!worker) return RUN_ON_PAGE;
    const id = this.nextId++;
    const outcome = await new Promise<ShrunkPhoto | typeof RUN_ON_PAGE | Error>((settle) => {
      const timer = setTimeout(() => {
        // A new worker is started for the next photo; this one may be stuck for good.
        this.stop();
        this.pending?.settle(new PhotoError(fileName, photoTookTooLongMessage(fileName)));
      }, WORKER_TIMEOUT_MS);
      this.pending = {
        id,
        fileName,
        settle: (result) => {
          clearTimeout(timer);
          this.pending = undefined;
          settle(result);
        },
      };
      const job: PhotoJob = { id, file, fileName };
      worker.postMessage(job);
    });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  private start(): Worker | undefined {
    if (this.unusable) return undefined;
    if (this.worker) return this.worker;
    try {
      // Written out in full so Vite finds it and bundles the worker as its own file.
      this.worker = new Worker(new URL('./photo.worker.ts', import.meta.url), { type: 'module', name: 'wingcheck-photos' });
    } catch (error) {
      this.giveUp('the photo worker could not be created', error);
      return undefined;
    }
    this.ready = false;
    this.worker.addEventListener('message', (event: MessageEvent<PhotoWorkerReply>) => {
      this.receive(event.data);
    });
    this.worker.addEventListener('error', (event) => {
      // Before `ready` this is the worker's script failing to load (a Content-Security-Policy, an
      // old browser); after it, the worker crashed. Either way this photo is done on the page.
      event.preventDefault();
      this.giveUp(this.ready ? 'the photo worker crashed' : 'the photo worker could not start', event);
    });
    return this.worker;
  }

  private receive(reply: PhotoWorkerReply): void {
    if (reply.type === 'ready') {
      this.ready = true;
      return;
    }
    const job = this.pending;
    if (job?.id !== reply.id) return;
    if (reply.ok) job.settle(reply.photo);
    else if (reply.isPhotoError) job.settle(new PhotoError(job.fileName, reply.message));
    // Not the file's fault (no 2D context in a worker, say): the page may well manage it.
    else this.giveUp('the photo worker failed', reply.message);
  }

  /** Stops using the worker for good; the photo in hand, if any, is done on the page. */
  private giveUp(reason: string, cause: unknown): void {
    console.warn(`Wingcheck: ${reason}; photos are now prepared on the page.`, cause);
    this.unusable = true;
    this.stop();
    this.pending?.settle(RUN_ON_PAGE);
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = false;
  }
}

const workerClient = new PhotoWorkerClient();

/** End of the queue: each photo starts when the one before has finished, worked or not. */
let queueTail: Promise<unknown> = Promise.resolve();

function recordMeasure(start: number, detail: PhotoMeasureDetail): void {
  try {
    performance.measure(PHOTO_MEASURE_NAME, { start, end: performance.now(), detail });
  } catch {
    // Older browsers lack measure options; the measurement is for benchmarks, never worth failing a photo for.
  }
}

async function processNow(file: File, useWorker: boolean): Promise<ProcessedPhoto> {
  const start = performance.now();
  let via: PhotoMeasureDetail['via'] = 'page';
  try {
    let photo: ShrunkPhoto | typeof RUN_ON_PAGE = RUN_ON_PAGE;
    if (useWorker && workerClient.usable) {
      via = 'worker';
      photo = await workerClient.run(file, file.name);
    }
    if (photo === RUN_ON_PAGE) {
      via = 'page';
      photo = await shrinkPhoto(file, file.name, elementGraphics);
    }
    const durationMs = performance.now() - start;
    const { bytes, width, height, sha256, hadTransparency } = photo;
    recordMeasure(start, { ok: true, via, inputBytes: file.size, outputBytes: bytes.byteLength, width, height });
    return { bytes, mime: 'image/jpeg', size: bytes.byteLength, width, height, sha256, hadTransparency, sourceName: file.name, durationMs };
  } catch (error) {
    recordMeasure(start, { ok: false, via, inputBytes: file.size });
    throw error;
  }
}

/**
 * The photo to store for a chosen or captured file: a JPEG at quality 0.8, longest side at most
 * 2048 px, upright, transparency on white, with its SHA-256. Rejects with PhotoError (message for
 * staff, naming the file) when the file is too big, empty, not a photo, a HEIC, cut short or
 * cannot be decoded; any other rejection is a fault of the app or the browser.
 */
export function processPhoto(file: File, options: ProcessPhotoOptions = {}): Promise<ProcessedPhoto> {
  const result = queueTail.then(() => processNow(file, options.useWorker ?? true));
  queueTail = result.catch(() => undefined);
  return result;
}
