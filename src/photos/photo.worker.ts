/**
 * The photo worker: decodes, shrinks, encodes and hashes one photo at a time off the main thread,
 * so the page stays responsive while a 12 MP photo is handled. Loaded by process.ts.
 */
import { PhotoError } from '../shared/photos.ts';
import { offscreenGraphics } from './graphics.ts';
import { shrinkPhoto } from './shrink.ts';
import type { PhotoJob, PhotoWorkerReply } from './worker-protocol.ts';

/**
 * The part of DedicatedWorkerGlobalScope used here. The app's tsconfig has the DOM lib, where
 * `self` is a Window; the WebWorker lib cannot sit beside it (the two declare the same globals
 * differently), so `self` is described locally instead.
 */
interface PhotoWorkerScope {
  onmessage: ((event: MessageEvent<PhotoJob>) => void) | null;
  postMessage(message: PhotoWorkerReply, transfer?: Transferable[]): void;
}

const scope = self as unknown as PhotoWorkerScope;

async function handle({ id, file, fileName }: PhotoJob): Promise<void> {
  try {
    const photo = await shrinkPhoto(file, fileName, offscreenGraphics);
    // Transferred, not copied: the page gets the JPEG's memory and the worker keeps none.
    scope.postMessage({ type: 'result', id, ok: true, photo }, [photo.bytes]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'result', id, ok: false, message, isPhotoError: error instanceof PhotoError });
  }
}

scope.onmessage = (event) => {
  void handle(event.data);
};

scope.postMessage({ type: 'ready' });
