import { describe, expect, it } from 'vitest';
import {
  checkPhotoInput,
  checkPhotoSize,
  fitWithin,
  isTruncatedJpeg,
  MAX_PHOTO_INPUT_BYTES,
  MAX_PHOTO_SIDE,
  PhotoError,
  sniffImage,
} from '../../src/shared/photos.ts';

// Small JPEGs built by hand: only their structure matters to these functions, not their pixels.

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];
const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

/** A marker segment: FF, marker, a two-byte length that counts itself, then the payload. */
function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** Scan data as an encoder writes it: 0xFF stuffed as FF 00, and a restart marker in the middle. */
const SCAN_DATA = [0x12, 0xff, 0x00, 0x34, 0x56, 0xff, 0xd0, 0x78, 0x9a, 0xff, 0x00, 0xbc];
const JFIF = segment(0xe0, [...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const DQT = segment(0xdb, [0, ...new Array<number>(64).fill(1)]);
const SOF0 = segment(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]);
const DHT = segment(0xc4, [0, ...new Array<number>(16).fill(0)]);
const SOS = segment(0xda, [1, 1, 0, 0, 63, 0]);

/** A complete baseline JPEG: SOI, headers, one scan, EOI. */
function jpeg(...body: number[][]): Uint8Array {
  return Uint8Array.from([...SOI, ...body.flat(), ...EOI]);
}

const COMPLETE = jpeg(JFIF, DQT, SOF0, DHT, SOS, SCAN_DATA);

/** APP1 "Exif" carrying a whole thumbnail JPEG, with its own SOS and EOI, as cameras write it. */
const EXIF_WITH_THUMBNAIL = segment(0xe1, [...ascii('Exif'), 0, 0, ...ascii('MM'), 0, 42, 0, 0, 0, 8, ...COMPLETE]);

function cut(bytes: Uint8Array, keep: number): Uint8Array {
  return bytes.slice(0, keep);
}

describe('sniffImage', () => {
  const ftyp = (major: string, ...compatible: string[]): Uint8Array => {
    const size = 16 + 4 * compatible.length;
    return Uint8Array.from([0, 0, 0, size, ...ascii('ftyp'), ...ascii(major), 0, 0, 0, 0, ...compatible.flatMap(ascii)]);
  };

  it.each([
    ['jpeg', COMPLETE],
    ['png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...ascii('IHDR')])],
    ['gif', Uint8Array.from(ascii('GIF89a\x10\x00\x10\x00'))],
    ['gif', Uint8Array.from(ascii('GIF87a\x10\x00\x10\x00'))],
    ['webp', Uint8Array.from([...ascii('RIFF'), 0x24, 0, 0, 0, ...ascii('WEBPVP8 ')])],
    ['bmp', Uint8Array.from([...ascii('BM'), 0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0])],
    ['heic', ftyp('heic', 'mif1', 'heic')],
    ['heic', ftyp('heix', 'mif1')],
    ['heic', ftyp('mif1', 'heic', 'miaf')],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('mif1', 'avif', 'miaf')],
  ] as const)('%s', (kind, head) => {
    expect(sniffImage(head)).toBe(kind);
  });

  it.each([
    ['nothing', new Uint8Array(0)],
    ['text', new TextEncoder().encode('Wing B servery check, notes')],
    ['text that starts "BM"', new TextEncoder().encode('BMS report for the week ending')],
    ['an MP4 video', ftyp('isom', 'iso2', 'mp41')],
    ['a PDF', new TextEncoder().encode('%PDF-1.7')],
    ['a JPEG signature cut to two bytes', Uint8Array.from(SOI)],
  ])('%s is unknown', (_label, head) => {
    expect(sniffImage(head)).toBe('unknown');
  });
});

describe('isTruncatedJpeg', () => {
  it('passes a complete JPEG, with byte stuffing and restart markers in its scan data', () => {
    expect(isTruncatedJpeg(COMPLETE)).toBe(false);
  });

  it('passes a progressive JPEG: several scans, tables between them', () => {
    expect(isTruncatedJpeg(jpeg(JFIF, DQT, SOF0, DHT, SOS, SCAN_DATA, DHT, SOS, SCAN_DATA, SOS, SCAN_DATA))).toBe(false);
  });

  it('finds a JPEG cut short in its scan data, in its headers, or before any scan', () => {
    const scanStart = COMPLETE.length - EOI.length - SCAN_DATA.length;
    expect(isTruncatedJpeg(cut(COMPLETE, COMPLETE.length - 2))).toBe(true);
    expect(isTruncatedJpeg(cut(COMPLETE, scanStart + 4))).toBe(true);
    expect(isTruncatedJpeg(cut(COMPLETE, 30))).toBe(true);
    expect(isTruncatedJpeg(cut(COMPLETE, 2))).toBe(true);
    expect(isTruncatedJpeg(new Uint8Array(0))).toBe(true);
  });

  it('passes a JPEG whose EXIF thumbnail comes first, and finds it when only the main image is cut short', () => {
    const withThumbnail = jpeg(EXIF_WITH_THUMBNAIL, DQT, SOF0, DHT, SOS, SCAN_DATA, SCAN_DATA);
    expect(isTruncatedJpeg(withThumbnail)).toBe(false);
    // The thumbnail's SOS and EOI are in the file, but the main image has no EOI.
    expect(isTruncatedJpeg(cut(withThumbnail, withThumbnail.length - 8))).toBe(true);
  });

  it('ignores data after the EOI, even when it holds FF D9 and FF DA by chance (a motion photo\'s video)', () => {
    const trailer = [...ascii('MotionPhoto_Data'), 0x00, 0xff, 0xd9, 0x11, 0xff, 0xda, 0x22, 0x33];
    expect(isTruncatedJpeg(Uint8Array.from([...COMPLETE, ...trailer]))).toBe(false);
    expect(isTruncatedJpeg(Uint8Array.from([...COMPLETE, 0, 0, 0, 0]))).toBe(false);
  });

  it('tolerates fill bytes before a marker', () => {
    expect(isTruncatedJpeg(jpeg(JFIF, [0xff, 0xff], DQT, SOF0, DHT, SOS, SCAN_DATA))).toBe(false);
  });

  it('counts headers with no scan before the EOI as incomplete', () => {
    expect(isTruncatedJpeg(jpeg(JFIF, DQT, SOF0))).toBe(true);
  });

  it('checks a 12 MB photo quickly', () => {
    const scanBytes = 12 * 1024 * 1024;
    const big = new Uint8Array(scanBytes + 200);
    const head = [...SOI, ...JFIF, ...DQT, ...SOF0, ...DHT, ...SOS];
    big.set(head);
    // Scan-like data: every value but 0xFF, with a stuffed FF 00 every 256 bytes.
    for (let index = head.length; index < big.length - 2; index += 1) big[index] = index % 251;
    for (let index = head.length + 100; index < big.length - 4; index += 256) big.set([0xff, 0x00], index);
    big.set(EOI, big.length - 2);
    const started = performance.now();
    expect(isTruncatedJpeg(big)).toBe(false);
    expect(isTruncatedJpeg(big.subarray(0, big.length - 2))).toBe(true);
    const elapsed = performance.now() - started;
    console.log(`isTruncatedJpeg: two passes over 12 MB in ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('fitWithin', () => {
  it.each([
    ['landscape 12 MP', 4000, 3000, 2048, 1536],
    ['portrait 12 MP', 3000, 4000, 1536, 2048],
    ['16:9', 4032, 2268, 2048, 1152],
    ['small, not enlarged', 800, 600, 800, 600],
    ['exactly the limit', 2048, 2048, 2048, 2048],
    ['just over, rounded', 2049, 1000, 2048, 1000],
    ['a sliver keeps a pixel', 100_000, 10, 2048, 1],
  ])('%s: %d×%d → %d×%d', (_label, width, height, expectedWidth, expectedHeight) => {
    expect(fitWithin(width, height, MAX_PHOTO_SIDE)).toEqual({ width: expectedWidth, height: expectedHeight });
  });

  it('refuses sizes that are not sizes', () => {
    expect(() => fitWithin(0, 100, 2048)).toThrow(RangeError);
    expect(() => fitWithin(100, Number.NaN, 2048)).toThrow(RangeError);
    expect(() => fitWithin(100, 100, 0)).toThrow(RangeError);
  });
});

describe('checkPhotoSize and checkPhotoInput', () => {
  const rejection = (check: { ok: boolean; message?: string }): string => {
    expect(check.ok).toBe(false);
    return check.message ?? '';
  };

  it('refuses a 50 MB file by its size alone, naming it and the limit', () => {
    expect(rejection(checkPhotoSize('IMG_1234.jpg', 50 * 1024 * 1024))).toBe(
      '“IMG_1234.jpg” is 50 MB. Photos up to 25 MB can be added: take the photo again with the tablet camera, or choose a smaller file.',
    );
  });

  it('never says a refused file is 25 MB', () => {
    expect(rejection(checkPhotoSize('big.jpg', MAX_PHOTO_INPUT_BYTES + 1))).toMatch(/^“big\.jpg” is 25\.1 MB\. Photos up to 25 MB/);
    expect(checkPhotoSize('limit.jpg', MAX_PHOTO_INPUT_BYTES)).toEqual({ ok: true });
  });

  it('checkPhotoInput checks the size too', () => {
    const bytes = new Uint8Array(50 * 1024 * 1024);
    bytes.set(COMPLETE);
    expect(rejection(checkPhotoInput({ fileName: 'IMG_1234.jpg', bytes }))).toMatch(/^“IMG_1234\.jpg” is 50 MB\./);
  });

  it('refuses an empty file', () => {
    expect(rejection(checkPhotoInput({ fileName: 'IMG_0007.jpg', bytes: new Uint8Array(0) }))).toBe(
      '“IMG_0007.jpg” is empty (it has no picture in it), so it cannot be used. Take the photo again.',
    );
  });

  it('refuses what is not an image, whatever its name', () => {
    const bytes = new TextEncoder().encode('Wing B servery check: all temperatures recorded.');
    expect(rejection(checkPhotoInput({ fileName: 'notes.jpg', bytes }))).toBe(
      '“notes.jpg” is not a photo Wingcheck can read (it is not a JPEG, PNG, WebP or GIF image).',
    );
  });

  it('explains HEIC and how to change the iPad camera', () => {
    const bytes = Uint8Array.from([0, 0, 0, 24, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic'), ...new Array<number>(40).fill(0)]);
    const message = rejection(checkPhotoInput({ fileName: 'IMG_0042.HEIC', bytes }));
    expect(message).toMatch(/^“IMG_0042\.HEIC” is a HEIC photo, which this browser cannot read\./);
    expect(message).toContain('“Most Compatible” (Settings › Camera › Formats)');
    expect(message).toContain('take the photo from within Wingcheck');
  });

  it('refuses AVIF and BMP by name', () => {
    const avif = Uint8Array.from([0, 0, 0, 16, ...ascii('ftypavif'), 0, 0, 0, 0]);
    expect(rejection(checkPhotoInput({ fileName: 'a.avif', bytes: avif }))).toMatch(/^“a\.avif” is an AVIF image, which Wingcheck cannot use\./);
  });

  it('refuses a JPEG that is cut short', () => {
    expect(rejection(checkPhotoInput({ fileName: 'x.jpg', bytes: cut(COMPLETE, 40) }))).toBe(
      '“x.jpg” is incomplete (the file is cut short), so it cannot be used. Take the photo again.',
    );
  });

  it('accepts a complete JPEG and a PNG, by their bytes rather than their names', () => {
    expect(checkPhotoInput({ fileName: 'photo.png', bytes: COMPLETE })).toEqual({ ok: true, kind: 'jpeg' });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(checkPhotoInput({ fileName: 'screenshot', bytes: png })).toEqual({ ok: true, kind: 'png' });
  });

  it('words a message sensibly for a file with no name', () => {
    expect(rejection(checkPhotoSize('  ', 0))).toMatch(/^The file is empty/);
  });
});

describe('PhotoError', () => {
  it('carries the file name and the message for staff', () => {
    const error = new PhotoError('x.jpg', 'message for staff');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PhotoError');
    expect(error.fileName).toBe('x.jpg');
    expect(error.message).toBe('message for staff');
  });
});
