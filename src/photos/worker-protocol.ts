/** The messages between the page (process.ts) and the photo worker (photo.worker.ts). */
import type { ShrunkPhoto } from './shrink.ts';

/** Page → worker: one photo to process. A Blob is passed by reference, not copied. */
export interface PhotoJob {
  readonly id: number;
  readonly file: Blob;
  readonly fileName: string;
}

/** Sent once the worker's code has loaded, so a worker that never starts can be told from a slow one. */
export interface PhotoWorkerReady {
  readonly type: 'ready';
}

export interface PhotoJobDone {
  readonly type: 'result';
  readonly id: number;
  readonly ok: true;
  /** Its `bytes` are transferred, not copied. */
  readonly photo: ShrunkPhoto;
}

export interface PhotoJobFailed {
  readonly type: 'result';
  readonly id: number;
  readonly ok: false;
  readonly message: string;
  /** True when the file is at fault (a PhotoError: the message is for staff); false for a fault of the worker itself. */
  readonly isPhotoError: boolean;
}

/** Worker → page. */
export type PhotoWorkerReply = PhotoWorkerReady | PhotoJobDone | PhotoJobFailed;
