import { readFileSync } from 'node:fs';
import type { PhotoRef } from '../../../src/shared/mutations.ts';
import { jpegDimensions } from '../../../src/shared/photos.ts';
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
  const size = jpegDimensions(bytes);
  if (!size) throw new Error('a JPEG without a frame header');
  return size;
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
