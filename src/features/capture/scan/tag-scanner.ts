/**
 * Reads a QR code from the camera: the browser's own BarcodeDetector where it has one that knows
 * QR codes (Android, ChromeOS, macOS), else jsQR in a worker. Loaded only when someone taps "Scan
 * the location tag", so none of it weighs on opening a check; both are this app's own files (no
 * CDN), so scanning works offline.
 */
import type { QrFound, QrFrame } from './qr.worker.ts';

/** Frames looked at per second: enough to catch a tag held still, little enough for a cheap tablet. */
const FRAME_MS = 200;
/** Frames are scaled down to at most this width before decoding: a tag at arm's length is still hundreds of pixels across. */
const MAX_WIDTH = 800;

export interface Scanning {
  stop(): void;
}

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

/** The Shape Detection API's class, where the browser has it (not yet in TypeScript's DOM types). */
interface DetectorClass {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

/** The platform's QR detector, if it has one. */
async function nativeDetector(): Promise<Detector | null> {
  const Barcode = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Barcode) return null;
  try {
    return (await Barcode.getSupportedFormats()).includes('qr_code') ? new Barcode({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** jsQR in a worker, one frame at a time. */
function workerDetector(): Detector & { close(): void } {
  const worker = new Worker(new URL('./qr.worker.ts', import.meta.url), { type: 'module', name: 'wingcheck-qr' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let next = 0;
  return {
    detect: (source) =>
      new Promise((resolve) => {
        const video = source as HTMLVideoElement;
        const scale = Math.min(1, MAX_WIDTH / Math.max(1, video.videoWidth));
        canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
        canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
        if (!context) {
          resolve([]);
          return;
        }
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const id = (next += 1);
        const answered = (event: MessageEvent<QrFound>) => {
          if (event.data.id !== id) return;
          worker.removeEventListener('message', answered);
          resolve(event.data.text === null ? [] : [{ rawValue: event.data.text }]);
        };
        worker.addEventListener('message', answered);
        const frame: QrFrame = { id, pixels: image.data, width: image.width, height: image.height };
        worker.postMessage(frame, [image.data.buffer]);
      }),
    close: () => {
      worker.terminate();
    },
  };
}

/**
 * Shows the back camera in `video` and calls `onFound` with the text of the first QR code seen,
 * then stops. Rejects if the camera cannot be had (no camera, permission refused).
 */
export async function scanQr(video: HTMLVideoElement, onFound: (text: string) => void): Promise<Scanning> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const native = await nativeDetector();
  const fallback = native ? null : workerDetector();
  const detector: Detector = native ?? (fallback as Detector);
  let stopped = false;
  // A function, not the flag itself: stop() sets it while look() awaits a frame, which the compiler's narrowing does not follow.
  const isStopped = () => stopped;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    fallback?.close();
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const look = async () => {
    if (isStopped()) return;
    const found = video.readyState >= 2 ? await detector.detect(video).catch(() => []) : [];
    if (isStopped()) return;
    const text = found[0]?.rawValue;
    if (text) {
      stop();
      onFound(text);
      return;
    }
    timer = setTimeout(() => void look(), FRAME_MS);
  };
  void look();
  return { stop };
}
