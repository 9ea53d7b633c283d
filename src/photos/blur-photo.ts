/**
 * Blurs areas of a stored photo on the page: decode the JPEG, blur the boxes' pixels
 * (redact.ts), write a new JPEG at the app's quality and hash it. Loaded only when someone
 * chooses to blur a photo. A canvas-written JPEG carries no metadata of the original.
 */
import { PHOTO_JPEG_QUALITY } from '../shared/photos.ts';
import { blurAreas, type RedactionBox } from './redact.ts';
import { sha256Hex } from './shrink.ts';

export interface BlurredPhoto {
  bytes: ArrayBuffer;
  sha256: string;
  size: number;
  width: number;
  height: number;
}

async function decode(bytes: ArrayBuffer, mime: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const image = new Image();
  image.src = url;
  try {
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The photo with each box blurred beyond reading. Throws if the browser cannot draw or write it. */
export async function blurPhoto(
  photo: { bytes: ArrayBuffer; mime: string },
  boxes: readonly RedactionBox[],
): Promise<BlurredPhoto> {
  const image = await decode(photo.bytes, photo.mime);
  const width = image.naturalWidth;
  const height = image.naturalHeight;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  try {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser gave no 2D canvas to blur the photo on');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    blurAreas(pixels.data, width, height, boxes);
    context.putImageData(pixels, 0, 0);
    const blob = await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((b) => {
        if (b) resolve(b);
        else reject(new Error('the blurred photo could not be written as a JPEG'));
      }, 'image/jpeg', PHOTO_JPEG_QUALITY);
    });
    const bytes = await blob.arrayBuffer();
    return { bytes, sha256: await sha256Hex(bytes), size: bytes.byteLength, width, height };
  } finally {
    canvas.width = 0;
    canvas.height = 0;
    image.removeAttribute('src');
  }
}
