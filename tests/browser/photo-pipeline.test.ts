/**
 * The photo pipeline in real Chromium (Vitest browser mode): real decoders, canvas and worker.
 * Every input is drawn here with a canvas, so no binary fixtures are needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_MEASURE_NAME, PhotoError, processPhoto, type ProcessedPhoto } from '../../src/photos/process.ts';

type Colour = readonly [red: number, green: number, blue: number];

/** A deterministic pseudo-random generator (xorshift32): the same noise on every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function newCanvas(width: number, height: number): { canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D } {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context');
  return { canvas, context };
}

/** A camera-like JPEG: gradients with grain, so it compresses like a photo rather than a flat colour. */
async function noisyJpeg(width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  const { canvas, context } = newCanvas(width, height);
  const image = context.createImageData(width, height);
  const random = noise(width * 31 + height);
  for (let y = 0, index = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1, index += 4) {
      const grain = (random() - 0.5) * 90;
      image.data[index] = (x / width) * 255 + grain;
      image.data[index + 1] = (y / height) * 255 + grain;
      image.data[index + 2] = 128 + grain;
      image.data[index + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  return new Uint8Array(await blob.arrayBuffer());
}

/** Two flat halves, left and right, as a JPEG or PNG. */
async function halves(
  width: number, height: number, left: Colour, right: Colour, type: 'image/jpeg' | 'image/png',
): Promise<Uint8Array<ArrayBuffer>> {
  const { canvas, context } = newCanvas(width, height);
  context.fillStyle = `rgb(${left.join(' ')})`;
  context.fillRect(0, 0, width / 2, height);
  context.fillStyle = `rgb(${right.join(' ')})`;
  context.fillRect(width / 2, 0, width / 2, height);
  const blob = await canvas.convertToBlob({ type, quality: 0.95 });
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The JPEG with an APP1 Exif segment saying how to turn it, spliced in after SOI: a big-endian
 * TIFF header and IFD0 holding one entry, Orientation (tag 0x0112, SHORT, count 1).
 */
function withExifOrientation(jpeg: Uint8Array, orientation: number): Uint8Array<ArrayBuffer> {
  const tiff = [
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at offset 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, orientation >> 8, orientation & 0xff, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ];
  const payload = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff]; // "Exif\0\0"
  const length = payload.length + 2;
  const app1 = Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
  const result = new Uint8Array(jpeg.length + app1.length);
  result.set(jpeg.subarray(0, 2));
  result.set(app1, 2);
  result.set(jpeg.subarray(2), 2 + app1.length);
  return result;
}

function file(parts: BlobPart[], name: string, type = 'image/jpeg'): File {
  return new File(parts, name, { type });
}

/** Decodes a processed photo and reads its pixels, to see what was really stored. */
async function pixelsOf(photo: ProcessedPhoto): Promise<{ width: number; height: number; at(x: number, y: number): Colour }> {
  const bitmap = await createImageBitmap(new Blob([photo.bytes], { type: photo.mime }));
  const { width, height } = bitmap;
  const { context } = newCanvas(width, height);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height);
  return {
    width,
    height,
    at: (x, y) => {
      const index = (y * width + x) * 4;
      return [data[index] ?? -1, data[index + 1] ?? -1, data[index + 2] ?? -1];
    },
  };
}

function expectColourNear(actual: Colour, expected: Colour): void {
  actual.forEach((channel, index) => {
    expect(Math.abs(channel - (expected[index] ?? 0)), `channel ${index} of ${actual.join(',')} vs ${expected.join(',')}`).toBeLessThan(24);
  });
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function expectPhotoError(promise: Promise<unknown>, pattern: RegExp): Promise<PhotoError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(PhotoError);
  const photoError = error as PhotoError;
  expect(photoError.message).toMatch(pattern);
  return photoError;
}

const RED: Colour = [220, 30, 30];
const BLUE: Colour = [30, 30, 220];
const WHITE: Colour = [255, 255, 255];

describe('processPhoto in Chromium', () => {
  let twelveMegapixel: File;

  beforeAll(async () => {
    twelveMegapixel = file([await noisyJpeg(4000, 3000)], 'IMG_4000x3000.jpg');
    console.log(`12 MP test JPEG: ${(twelveMegapixel.size / 1024 / 1024).toFixed(1)} MB`);
  });

  it('shrinks a 12 MP camera JPEG to 2048×1536 JPEG, hashed', async () => {
    const measuresBefore = performance.getEntriesByName(PHOTO_MEASURE_NAME).length;
    const photo = await processPhoto(twelveMegapixel);
    console.log(`12 MP photo (worker): ${photo.durationMs.toFixed(0)} ms, ${(photo.size / 1024).toFixed(0)} KB out of ${(twelveMegapixel.size / 1024).toFixed(0)} KB`);

    expect(Array.from(new Uint8Array(photo.bytes, 0, 3))).toEqual([0xff, 0xd8, 0xff]);
    expect(photo.mime).toBe('image/jpeg');
    expect([photo.width, photo.height]).toEqual([2048, 1536]);
    const decoded = await pixelsOf(photo);
    expect([decoded.width, decoded.height]).toEqual([2048, 1536]);
    expect(photo.size).toBe(photo.bytes.byteLength);
    expect(photo.size).toBeGreaterThan(0);
    expect(photo.size).toBeLessThan(twelveMegapixel.size / 2);
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(photo.sha256).toBe(await sha256Hex(photo.bytes));
    expect(photo.hadTransparency).toBe(false);
    expect(photo.sourceName).toBe('IMG_4000x3000.jpg');
    expect(photo.durationMs).toBeGreaterThan(0);

    const measures = performance.getEntriesByName(PHOTO_MEASURE_NAME) as PerformanceMeasure[];
    expect(measures).toHaveLength(measuresBefore + 1);
    expect(measures.at(-1)?.detail).toMatchObject({ ok: true, via: 'worker', width: 2048, height: 1536 });
  });

  it('gives the same size on the page, without the worker (the fallback)', async () => {
    const photo = await processPhoto(twelveMegapixel, { useWorker: false });
    console.log(`12 MP photo (page fallback): ${photo.durationMs.toFixed(0)} ms, ${(photo.size / 1024).toFixed(0)} KB`);
    expect([photo.width, photo.height]).toEqual([2048, 1536]);
    expect(Array.from(new Uint8Array(photo.bytes, 0, 3))).toEqual([0xff, 0xd8, 0xff]);
    expect(photo.sha256).toBe(await sha256Hex(photo.bytes));
    const measures = performance.getEntriesByName(PHOTO_MEASURE_NAME) as PerformanceMeasure[];
    expect(measures.at(-1)?.detail).toMatchObject({ ok: true, via: 'page' });
  });

  it('keeps a portrait photo portrait, and never enlarges a small one', async () => {
    const [portrait, small] = await Promise.all([
      processPhoto(file([await noisyJpeg(1500, 3000)], 'portrait.jpg')),
      processPhoto(file([await noisyJpeg(800, 600)], 'small.jpg')),
    ]);
    // Asked for together, processed one after the other, and each answer goes to its own request.
    expect([portrait.width, portrait.height]).toEqual([1024, 2048]);
    expect([small.width, small.height]).toEqual([800, 600]);
    expect(portrait.sourceName).toBe('portrait.jpg');
    expect(small.sourceName).toBe('small.jpg');
  });

  for (const useWorker of [true, false]) {
    it(`turns a photo upright by its EXIF orientation (6: turn 90° clockwise) ${useWorker ? 'in the worker' : 'on the page'}`, async () => {
      // Stored 400×200, red on the left: shown upright it is 200×400, red at the top.
      const stored = await halves(400, 200, RED, BLUE, 'image/jpeg');
      const photo = await processPhoto(file([withExifOrientation(stored, 6)], 'rotated.jpg'), { useWorker });
      expect([photo.width, photo.height]).toEqual([200, 400]);
      const pixels = await pixelsOf(photo);
      expectColourNear(pixels.at(100, 50), RED);
      expectColourNear(pixels.at(100, 350), BLUE);
    });

    it(`puts a transparent PNG on white, and says it had transparency ${useWorker ? 'in the worker' : 'on the page'}`, async () => {
      const { canvas, context } = newCanvas(300, 200);
      context.fillStyle = `rgb(${RED.join(' ')})`;
      context.fillRect(100, 50, 100, 100);
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());

      const photo = await processPhoto(file([png], 'sign.png', 'image/png'), { useWorker });
      expect(Array.from(new Uint8Array(photo.bytes, 0, 3))).toEqual([0xff, 0xd8, 0xff]);
      expect(photo.hadTransparency).toBe(true);
      const pixels = await pixelsOf(photo);
      expectColourNear(pixels.at(5, 5), WHITE);
      expectColourNear(pixels.at(150, 100), RED);
    });
  }

  it('says an opaque PNG had no transparency', async () => {
    const png = await halves(64, 64, RED, BLUE, 'image/png');
    const photo = await processPhoto(file([png], 'opaque.png', 'image/png'));
    expect(photo.hadTransparency).toBe(false);
  });

  it('refuses a JPEG cut short, as incomplete', async () => {
    const whole = await noisyJpeg(1000, 750);
    const truncated = whole.slice(0, Math.floor(whole.length * 0.6));
    const error = await expectPhotoError(processPhoto(file([truncated], 'IMG_cut.jpg')), /^“IMG_cut\.jpg” is incomplete \(the file is cut short\)/);
    expect(error.fileName).toBe('IMG_cut.jpg');
  });

  it('refuses what is not a photo, whatever it is called', async () => {
    const text = new TextEncoder().encode('Wing B servery check: all temperatures recorded.\n'.repeat(200));
    await expectPhotoError(processPhoto(file([text], 'report.jpg')), /^“report\.jpg” is not a photo Wingcheck can read/);
  });

  it('refuses a 50 MB file before decoding it', async () => {
    const header = (await noisyJpeg(64, 64)).subarray(0, 600);
    const big = file([header, new Uint8Array(50 * 1024 * 1024 - header.length)], 'huge.jpg');
    expect(big.size).toBe(50 * 1024 * 1024);
    const started = performance.now();
    await expectPhotoError(processPhoto(big), /^“huge\.jpg” is 50 MB\. Photos up to 25 MB can be added/);
    // Refused from its size: reading and decoding 50 MB would take far longer.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('explains a file that looks like a photo but cannot be decoded', async () => {
    // JPEG structure that is complete but holds nonsense: the checks pass, the decoder refuses.
    const nonsense = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x01, 0x02, 0x03, 0xff, 0xd9]);
    await expectPhotoError(processPhoto(file([nonsense], 'odd.jpg')), /^“odd\.jpg” could not be read as a photo \(it may be damaged\)\. Take the photo again\.$/);
  });

  it('keeps working after refusals', async () => {
    const photo = await processPhoto(file([await noisyJpeg(640, 480)], 'after.jpg'));
    expect([photo.width, photo.height]).toEqual([640, 480]);
  });
});
