import { readFileSync } from 'node:fs';
import type { PhotoRef } from '../../../src/shared/mutations.ts';
import { sha256Hex } from '../blobs.ts';

/**
 * The demo history's photos: small JPEGs shipped in fixtures/demo-photos (re-encoded from the e2e
 * test images: coloured squares, no people), read once per seed. No dependency of the project can
 * encode a JPEG, so they are files rather than drawn at seed time.
 */
export interface DemoPhoto {
  bytes: Buffer;
  sha256: string;
  width: number;
  height: number;
}

const DIR = new URL('../../../fixtures/demo-photos/', import.meta.url);

export const DEMO_PHOTO_FILES = {
  hotTrolley: 'hot-trolley.jpg',
  serveryCounter: 'servery-counter.jpg',
  serveryCloseUp: 'servery-close-up.jpg',
} as const;

export type DemoPhotoName = keyof typeof DEMO_PHOTO_FILES;

/** Width and height from a JPEG's start-of-frame segment; throws if it has none. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0xffd8) throw new Error('not a JPEG');
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error('a JPEG segment does not start with a marker');
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  throw new Error('a JPEG without a frame header');
}

export function loadDemoPhotos(): Record<DemoPhotoName, DemoPhoto> {
  const load = (file: string): DemoPhoto => {
    const bytes = readFileSync(new URL(file, DIR));
    return { bytes, sha256: sha256Hex(bytes), ...jpegSize(bytes) };
  };
  return {
    hotTrolley: load(DEMO_PHOTO_FILES.hotTrolley),
    serveryCounter: load(DEMO_PHOTO_FILES.serveryCounter),
    serveryCloseUp: load(DEMO_PHOTO_FILES.serveryCloseUp),
  };
}

/** How a check or note names a photo. */
export function photoRef(photo: DemoPhoto, itemId: string | null): PhotoRef {
  return { sha256: photo.sha256, mime: 'image/jpeg', size: photo.bytes.length, width: photo.width, height: photo.height, itemId };
}
