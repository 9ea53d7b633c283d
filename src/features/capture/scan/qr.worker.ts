/// <reference lib="webworker" />
/**
 * Finds a QR code in a camera frame, off the page's thread: where the browser has no
 * BarcodeDetector (Chromium on Linux and Windows, Firefox, Safari), this is how a tag is read.
 */
import jsQR from 'jsqr';

export interface QrFrame {
  readonly id: number;
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

export interface QrFound {
  readonly id: number;
  readonly text: string | null;
}

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<QrFrame>) => {
  const { id, pixels, width, height } = event.data;
  const code = jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' });
  const answer: QrFound = { id, text: code?.data ?? null };
  self.postMessage(answer);
};
