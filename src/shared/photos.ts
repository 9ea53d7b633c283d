/**
 * The pure half of the photo pipeline: limits, file-type sniffing, completeness of a JPEG, target
 * size and the messages staff see when a photo cannot be used. No DOM and no Node here, so the
 * page, the photo worker and the server can all use it; src/photos does the decoding and drawing.
 */

/** Camera JPEGs are 3–12 MB; anything past this is not a tablet photo and could exhaust a cheap tablet. */
export const MAX_PHOTO_INPUT_BYTES = 25 * 1024 * 1024;
/** Longest side of a stored photo: enough to read a label on a wing, a fraction of the bytes. */
export const MAX_PHOTO_SIDE = 2048;
export const PHOTO_JPEG_QUALITY = 0.8;
/** How many leading bytes sniffImage looks at (the ISO-BMFF brand list of HEIC and AVIF needs the most). */
export const PHOTO_HEAD_BYTES = 64;

/** How review, the pack and the CSV describe a photo whose areas were blurred on the device. */
export const REDACTED_PHOTO_WORDS = 'areas blurred on the device before it was kept';

export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'heic' | 'avif' | 'bmp' | 'unknown';

/** The kinds Wingcheck accepts: every browser we support decodes them, including older iPads. */
export type AcceptedPhotoKind = 'jpeg' | 'png' | 'gif' | 'webp';

const ACCEPTED_KINDS: readonly ImageKind[] = ['jpeg', 'png', 'gif', 'webp'] satisfies AcceptedPhotoKind[];

function isAccepted(kind: ImageKind): kind is AcceptedPhotoKind {
  return ACCEPTED_KINDS.includes(kind);
}

/** Kinds that can carry transparency, which becomes white in the stored JPEG. */
export function mayHaveTransparency(kind: AcceptedPhotoKind): boolean {
  return kind !== 'jpeg';
}

/** Thrown, by the worker and the page alike, when a file cannot become a photo: `message` is for staff. */
export class PhotoError extends Error {
  override readonly name = 'PhotoError';

  constructor(readonly fileName: string, message: string) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Sniffing
// ---------------------------------------------------------------------------------------------

function hasBytesAt(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (bytes.length < offset + expected.length) return false;
  return expected.every((byte, index) => bytes[offset + index] === byte);
}

function asciiAt(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** Big-endian, as ISO-BMFF writes box sizes. */
function uint32At(bytes: Uint8Array, offset: number): number {
  const byteAt = (index: number): number => bytes[offset + index] ?? 0;
  return byteAt(0) * 2 ** 24 + byteAt(1) * 2 ** 16 + byteAt(2) * 2 ** 8 + byteAt(3);
}

const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** Generic HEIF brands: HEIC unless the compatible brands say AVIF. */
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1']);
/** BITMAPCOREHEADER up to BITMAPV5HEADER: "BM" alone would also match text that starts with BM. */
const BMP_INFO_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

/** An ISO-BMFF file (HEIC, AVIF) starts with an `ftyp` box: size, "ftyp", major brand, version, compatible brands. */
function sniffIsoBmff(head: Uint8Array): ImageKind {
  if (asciiAt(head, 4, 4) !== 'ftyp') return 'unknown';
  const majorBrand = asciiAt(head, 8, 4);
  if (AVIF_BRANDS.has(majorBrand)) return 'avif';
  if (HEIC_BRANDS.has(majorBrand)) return 'heic';
  if (!GENERIC_HEIF_BRANDS.has(majorBrand)) return 'unknown';
  const boxEnd = Math.min(uint32At(head, 0), head.length);
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
    if (AVIF_BRANDS.has(asciiAt(head, offset, 4))) return 'avif';
  }
  return 'heic';
}

/** What kind of image the first bytes of a file (PHOTO_HEAD_BYTES is plenty) say it is; names and MIME types lie. */
export function sniffImage(head: Uint8Array): ImageKind {
  if (hasBytesAt(head, 0, JPEG_SIGNATURE)) return 'jpeg';
  if (hasBytesAt(head, 0, PNG_SIGNATURE)) return 'png';
  const gifVersion = asciiAt(head, 0, 6);
  if (gifVersion === 'GIF87a' || gifVersion === 'GIF89a') return 'gif';
  if (asciiAt(head, 0, 4) === 'RIFF' && asciiAt(head, 8, 4) === 'WEBP') return 'webp';
  if (asciiAt(head, 0, 2) === 'BM' && head.length >= 18) {
    const reserved = uint32At(head, 6);
    const infoHeaderSize = (head[14] ?? 0) | ((head[15] ?? 0) << 8) | ((head[16] ?? 0) << 16) | ((head[17] ?? 0) << 24);
    if (reserved === 0 && BMP_INFO_HEADER_SIZES.has(infoHeaderSize)) return 'bmp';
  }
  return sniffIsoBmff(head);
}

// ---------------------------------------------------------------------------------------------
// JPEG completeness
// ---------------------------------------------------------------------------------------------

const MARKER_PREFIX = 0xff;
const START_OF_IMAGE = 0xd8;
const END_OF_IMAGE = 0xd9;
const START_OF_SCAN = 0xda;
const TEMPORARY_MARKER = 0x01;

/** RST0–RST7: may sit inside scan data. */
function isRestartMarker(marker: number): boolean {
  return marker >= 0xd0 && marker <= 0xd7;
}

/** Markers that are two bytes alone, with no length field after them. */
function isStandaloneMarker(marker: number): boolean {
  return marker === START_OF_IMAGE || marker === END_OF_IMAGE || marker === TEMPORARY_MARKER || isRestartMarker(marker);
}

/**
 * Where the entropy-coded data that starts at `from` ends: the index of the 0xFF of the marker
 * after it, or -1 when the data runs to the end of the file. Inside the data a 0xFF byte is
 * followed by 0x00 (byte stuffing) or a restart marker (D0–D7); any other marker ends it.
 */
function endOfEntropyCodedData(bytes: Uint8Array, from: number): number {
  let position = from;
  for (;;) {
    // indexOf is native and fast: a 12 MB scan holds only tens of thousands of 0xFF bytes.
    const prefix = bytes.indexOf(MARKER_PREFIX, position);
    if (prefix < 0 || prefix + 1 >= bytes.length) return -1;
    const next = bytes[prefix + 1] ?? 0;
    if (next === 0x00 || isRestartMarker(next) || next === MARKER_PREFIX) {
      position = prefix + 1;
      continue;
    }
    return prefix;
  }
}

/**
 * True when a JPEG's main image is cut short: there is no EOI (FF D9) after its last scan (SOS,
 * FF DA). Browsers decode such a file without complaint and paint the missing part grey, so a
 * half-copied photo would otherwise be stored as evidence.
 *
 * It walks the file's structure rather than searching for the byte pairs: each header segment is
 * skipped by its length (so the SOS and EOI of an embedded EXIF thumbnail, inside APP1, never
 * count), scan data is searched with the native indexOf for the next marker, and the walk stops
 * at the main image's EOI, so anything appended after it (Samsung and Google "motion photos" add
 * a whole video, whose bytes contain FF D9 and FF DA by chance) is never looked at. The cost is
 * one pass over the scan data: about ten milliseconds for a 12 MB photo.
 */
export function isTruncatedJpeg(bytes: Uint8Array): boolean {
  if (!hasBytesAt(bytes, 0, [MARKER_PREFIX, START_OF_IMAGE])) return true;
  let position = 2;
  let sawScan = false;
  while (position < bytes.length) {
    // Between segments a marker is due. Skip fill bytes (FF FF …) and, as decoders do, any stray
    // bytes before it.
    const prefix = bytes.indexOf(MARKER_PREFIX, position);
    if (prefix < 0) return true;
    let markerAt = prefix + 1;
    while (bytes[markerAt] === MARKER_PREFIX) markerAt += 1;
    if (markerAt >= bytes.length) return true;
    const marker = bytes[markerAt] ?? 0;
    if (marker === END_OF_IMAGE) return !sawScan;
    // FF 00 is no marker: one more stray byte.
    if (marker === 0x00 || isStandaloneMarker(marker)) {
      position = markerAt + 1;
      continue;
    }
    if (markerAt + 2 >= bytes.length) return true;
    const segmentLength = ((bytes[markerAt + 1] ?? 0) << 8) | (bytes[markerAt + 2] ?? 0);
    const segmentEnd = markerAt + 1 + segmentLength;
    if (segmentLength < 2 || segmentEnd > bytes.length) return true;
    if (marker !== START_OF_SCAN) {
      position = segmentEnd;
      continue;
    }
    sawScan = true;
    const scanEnd = endOfEntropyCodedData(bytes, segmentEnd);
    if (scanEnd < 0) return true;
    position = scanEnd;
  }
  return true;
}

/**
 * A JPEG's width and height, from its first frame header (SOF0–SOF15, not DHT C4, JPG C8 or DAC
 * CC, which share the range), walking header segments by their lengths; null if there is none
 * before the first scan. The server holds a photo reference's dimensions to these.
 */
export function jpegDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  if (!hasBytesAt(bytes, 0, [MARKER_PREFIX, START_OF_IMAGE])) return null;
  let position = 2;
  while (position + 8 < bytes.length) {
    if (bytes[position] !== MARKER_PREFIX) return null;
    const marker = bytes[position + 1] ?? 0;
    if (marker === MARKER_PREFIX) {
      position += 1; // fill byte
      continue;
    }
    if (marker === START_OF_SCAN || marker === END_OF_IMAGE) return null;
    if (isStandaloneMarker(marker)) {
      position += 2;
      continue;
    }
    const at = (offset: number) => (((bytes[position + offset] ?? 0) << 8) | (bytes[position + offset + 1] ?? 0));
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: at(5), width: at(7) };
    }
    const length = at(2);
    if (length < 2) return null;
    position += 2 + length;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

/** The size to draw a `width` × `height` picture so its longest side is at most `maxSide`: same shape, never enlarged. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  for (const [label, value] of [['width', width], ['height', height], ['maxSide', maxSide]] as const) {
    if (!Number.isFinite(value) || value < 1) throw new RangeError(`${label} must be at least 1, not ${value}`);
  }
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width: Math.round(width), height: Math.round(height) };
  // The long side is set exactly, so rounding can never leave it at maxSide - 1 or + 1.
  const scale = maxSide / longest;
  const side = Math.floor(maxSide);
  return width >= height
    ? { width: side, height: Math.max(1, Math.round(height * scale)) }
    : { width: Math.max(1, Math.round(width * scale)), height: side };
}

// ---------------------------------------------------------------------------------------------
// Checks and messages
// ---------------------------------------------------------------------------------------------

export interface PhotoRejection {
  readonly ok: false;
  /** Plain English for the person who chose the file: what is wrong and what to do. */
  readonly message: string;
}

export type PhotoSizeCheck = { readonly ok: true } | PhotoRejection;
export type PhotoCheck = { readonly ok: true; readonly kind: AcceptedPhotoKind } | PhotoRejection;

const MEBIBYTE = 1024 * 1024;

/** “IMG_1234.jpg”, or “The file” when there is no name to show. */
function quoted(fileName: string): string {
  const trimmed = fileName.trim();
  return trimmed === '' ? 'The file' : `“${trimmed}”`;
}

/** 50 MB; one decimal place just over the limit, so a 25.02 MB file never reads "is 25 MB" in a refusal. */
function megabytes(bytes: number): string {
  const value = bytes / MEBIBYTE;
  const shown = Math.round(value) > MAX_PHOTO_INPUT_BYTES / MEBIBYTE ? Math.round(value) : Math.ceil(value * 10) / 10;
  return `${shown} MB`;
}

function reject(message: string): PhotoRejection {
  return { ok: false, message };
}

/** Used when the browser cannot decode a file that looked like a photo. */
export function unreadablePhotoMessage(fileName: string): string {
  return `${quoted(fileName)} could not be read as a photo (it may be damaged). Take the photo again.`;
}

/** Used when preparing a photo stalls (the tablet is short of memory, most likely). */
export function photoTookTooLongMessage(fileName: string): string {
  return `${quoted(fileName)} took too long to prepare, so it was stopped. Try again; if it happens again, restart the tablet.`;
}

const KIND_NAMES: Record<'avif' | 'bmp', string> = { avif: 'an AVIF image', bmp: 'a BMP image' };

/**
 * The checks that need only the size: run it before reading a file, so a 50 MB file is refused
 * without ever being loaded into a tablet's memory.
 */
export function checkPhotoSize(fileName: string, size: number): PhotoSizeCheck {
  if (size <= 0) return reject(`${quoted(fileName)} is empty (it has no picture in it), so it cannot be used. Take the photo again.`);
  if (size > MAX_PHOTO_INPUT_BYTES) {
    return reject(
      `${quoted(fileName)} is ${megabytes(size)}. Photos up to ${MAX_PHOTO_INPUT_BYTES / MEBIBYTE} MB can be added: take the photo again with the tablet camera, or choose a smaller file.`,
    );
  }
  return { ok: true };
}

export interface PhotoInput {
  /** The file's name as the person chose it: every message names it. */
  readonly fileName: string;
  /** The whole file. Check its size with checkPhotoSize before reading it. */
  readonly bytes: Uint8Array;
}

/**
 * Everything that can be told about a file before decoding it: its size, what it really is (from
 * its first bytes, not its name) and, for a JPEG, whether it is complete.
 */
export function checkPhotoInput({ fileName, bytes }: PhotoInput): PhotoCheck {
  const sizeCheck = checkPhotoSize(fileName, bytes.length);
  if (!sizeCheck.ok) return sizeCheck;
  const kind = sniffImage(bytes.subarray(0, PHOTO_HEAD_BYTES));
  if (kind === 'heic') {
    return reject(
      `${quoted(fileName)} is a HEIC photo, which this browser cannot read. On an iPad, set the camera to “Most Compatible” (Settings › Camera › Formats) and take the photo again, or take the photo from within Wingcheck.`,
    );
  }
  if (kind === 'avif' || kind === 'bmp') {
    return reject(
      `${quoted(fileName)} is ${KIND_NAMES[kind]}, which Wingcheck cannot use. Choose a JPEG, PNG, WebP or GIF photo, or take the photo from within Wingcheck.`,
    );
  }
  if (!isAccepted(kind)) {
    return reject(`${quoted(fileName)} is not a photo Wingcheck can read (it is not a JPEG, PNG, WebP or GIF image).`);
  }
  if (kind === 'jpeg' && isTruncatedJpeg(bytes)) {
    return reject(`${quoted(fileName)} is incomplete (the file is cut short), so it cannot be used. Take the photo again.`);
  }
  return { ok: true, kind };
}
