/**
 * The photo pipeline, written once: check, decode upright, scale to MAX_PHOTO_SIDE, flatten onto
 * white, encode as JPEG, hash. The photo worker runs it with OffscreenCanvas and ImageBitmap; the
 * page runs it with <canvas> and <img> where those are missing. Only `PhotoGraphics` differs.
 */
import {
  type AcceptedPhotoKind,
  checkPhotoInput,
  checkPhotoSize,
  fitWithin,
  MAX_PHOTO_SIDE,
  mayHaveTransparency,
  PHOTO_JPEG_QUALITY,
  PhotoError,
  unreadablePhotoMessage,
} from '../shared/photos.ts';

/** The drawing calls the pipeline makes; both CanvasRenderingContext2D and OffscreenCanvasRenderingContext2D have them. */
export type PhotoDrawingContext = Pick<
  CanvasRenderingContext2D,
  'drawImage' | 'fillRect' | 'getImageData' | 'fillStyle' | 'globalCompositeOperation' | 'imageSmoothingEnabled' | 'imageSmoothingQuality'
>;

/** A decoded picture, already turned upright by its EXIF orientation. */
export interface DecodedPicture {
  readonly image: CanvasImageSource;
  readonly width: number;
  readonly height: number;
  /** Frees the decoded pixels (48 MB for a 12 MP photo) as soon as they are drawn: cheap tablets have little memory. */
  release(): void;
}

/** A canvas of the output size. */
export interface PhotoSurface {
  readonly context: PhotoDrawingContext;
  encodeJpeg(quality: number): Promise<Blob>;
  /** Gives the canvas memory back at once; Safari otherwise keeps it until garbage collection, and caps the total. */
  release(): void;
}

/** How to decode and where to draw: the only part that differs between the worker and the page. */
export interface PhotoGraphics {
  /** Rejects when the file cannot be decoded. */
  decode(file: Blob): Promise<DecodedPicture>;
  createSurface(width: number, height: number): PhotoSurface;
}

export interface ShrunkPhoto {
  /** The JPEG. */
  readonly bytes: ArrayBuffer;
  readonly width: number;
  readonly height: number;
  /** SHA-256 of `bytes`, lower-case hex. */
  readonly sha256: string;
  /** Some pixel of the source was not fully opaque; it is white in the JPEG. */
  readonly hadTransparency: boolean;
}

/** Rows read per getImageData call: 2048 × 128 × 4 bytes = 1 MB at a time, never the whole image. */
const TRANSPARENCY_STRIP_ROWS = 128;
const OPAQUE = 255;

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Size first (a 50 MB file is never read), then the bytes; they are let go before decoding starts. */
async function checkFile(file: Blob, fileName: string): Promise<AcceptedPhotoKind> {
  const sizeCheck = checkPhotoSize(fileName, file.size);
  if (!sizeCheck.ok) throw new PhotoError(fileName, sizeCheck.message);
  const check = checkPhotoInput({ fileName, bytes: new Uint8Array(await file.arrayBuffer()) });
  if (!check.ok) throw new PhotoError(fileName, check.message);
  return check.kind;
}

function hasTransparentPixel(context: PhotoDrawingContext, width: number, height: number): boolean {
  for (let top = 0; top < height; top += TRANSPARENCY_STRIP_ROWS) {
    const rows = Math.min(TRANSPARENCY_STRIP_ROWS, height - top);
    const { data } = context.getImageData(0, top, width, rows);
    for (let alpha = 3; alpha < data.length; alpha += 4) {
      if (data[alpha] !== OPAQUE) return true;
    }
  }
  return false;
}

/** Paints white behind what is drawn, so transparent areas become white rather than JPEG's default black. */
function flattenOntoWhite(context: PhotoDrawingContext, width: number, height: number): void {
  context.globalCompositeOperation = 'destination-over';
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.globalCompositeOperation = 'source-over';
}

/**
 * Turns a chosen file into the photo Wingcheck stores. Rejects with PhotoError, whose message is
 * for staff, when the file is not a usable photo; any other error is a fault, not the file's.
 */
export async function shrinkPhoto(file: Blob, fileName: string, graphics: PhotoGraphics): Promise<ShrunkPhoto> {
  const kind = await checkFile(file, fileName);

  let picture: DecodedPicture;
  try {
    picture = await graphics.decode(file);
  } catch {
    throw new PhotoError(fileName, unreadablePhotoMessage(fileName));
  }

  let surface: PhotoSurface;
  const { width, height } = fitWithin(picture.width, picture.height, MAX_PHOTO_SIDE);
  try {
    surface = graphics.createSurface(width, height);
    surface.context.imageSmoothingEnabled = true;
    surface.context.imageSmoothingQuality = 'high';
    surface.context.drawImage(picture.image, 0, 0, width, height);
  } finally {
    picture.release();
  }

  try {
    // Drawn on a transparent canvas first, so transparency can be seen before it is flattened.
    const hadTransparency = mayHaveTransparency(kind) && hasTransparentPixel(surface.context, width, height);
    flattenOntoWhite(surface.context, width, height);
    const jpeg = await surface.encodeJpeg(PHOTO_JPEG_QUALITY);
    // A browser that cannot write JPEG silently writes PNG instead; storing that as image/jpeg would be a lie.
    if (jpeg.type !== 'image/jpeg') throw new Error(`the canvas wrote ${jpeg.type || 'an unknown type'}, not image/jpeg`);
    const bytes = await jpeg.arrayBuffer();
    return { bytes, width, height, sha256: await sha256Hex(bytes), hadTransparency };
  } finally {
    surface.release();
  }
}
