/**
 * Protocol 2's photos: many in one request (`POST /api/blobs/batch`, frames of SHA-256, length and
 * bytes: src/shared/api/sync.ts), each streamed to the blob store as it arrives and checked as a
 * single upload is (its hash, JPEG/PNG/WebP by its bytes, its size); and which of a list of hashes
 * this establishment still lacks (`POST /api/blobs/missing`), so a device sends only those.
 *
 * A batch cut or refused part-way keeps every photo stored before the cut: the device asks again
 * and sends the rest. Every malformed body is a 4xx naming the frame, never a 500.
 */
import { MAX_STORED_PHOTO_BYTES } from '../../../src/shared/mutations.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_PHOTOS, PHOTO_FRAME_HEADER_BYTES } from '../../../src/shared/api/sync.ts';
import { jpegDimensions, PHOTO_HEAD_BYTES, sniffImage } from '../../../src/shared/photos.ts';
import { BlobHashMismatchError, type BlobStore } from '../blobs.ts';
import type { Queryable } from '../db/client.ts';
import { HttpError } from '../http-errors.ts';

/** The bytes a JPEG's width and height are looked for in: the device's own JPEGs have them in the first kilobyte. */
const DIMENSIONS_HEAD_BYTES = 128 * 1024;
/** Photos whose bytes have all arrived and are being synced to disk at once, at most. */
const STORING_AT_ONCE = 16;

/** One photo of a batch, as its frame announced it; `body` yields its bytes as they arrive. */
export interface PhotoFrame {
  index: number;
  sha256: string;
  size: number;
  body: AsyncIterable<Buffer>;
}

const refused = (status: number, code: string, index: number, detail: string) =>
  new HttpError(status, code, `Photo ${index + 1} of the batch: ${detail}`, {}, [{ path: String(index), message: detail }]);

/** The request's bytes, read as the frames need them: small reads for headers, pieces as they come for photos. */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pieces: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  /** Bytes read from the request so far. */
  total = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const piece = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.pieces.push(piece);
    this.buffered += piece.length;
    this.total += piece.length;
    return true;
  }

  /** Exactly `n` bytes; null if the body ended before any of them, 'short' if it ended part-way. */
  async exactly(n: number): Promise<Buffer | null | 'short'> {
    while (this.buffered < n) if (!(await this.fill())) return this.buffered === 0 ? null : 'short';
    const [first] = this.pieces;
    if (first && first.length >= n) {
      // The usual case, a header inside one piece from the socket: no copy of the piece.
      if (first.length === n) this.pieces.shift();
      else this.pieces[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const all = Buffer.concat(this.pieces, this.buffered);
    this.pieces = all.length > n ? [all.subarray(n)] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }

  /** The next piece of at most `n` bytes as it arrived, or null at the end of the body. */
  async upTo(n: number): Promise<Buffer | null> {
    if (this.buffered === 0 && !(await this.fill())) return null;
    const [first] = this.pieces;
    if (!first) return null;
    if (first.length <= n) {
      this.pieces.shift();
      this.buffered -= first.length;
      return first;
    }
    this.pieces[0] = first.subarray(n);
    this.buffered -= n;
    return first.subarray(0, n);
  }

  /**
   * Reads and drops what is left of the body, up to `limit` bytes in all, so the answer reaches a
   * device still sending (closing on it mid-upload would look like a lost connection). False if
   * the body went past the limit.
   */
  async drain(limit: number): Promise<boolean> {
    this.pieces = [];
    this.buffered = 0;
    while (this.total <= limit) if (!(await this.fill())) return true;
    return false;
  }
}

/**
 * The frames of a batch, in order. Each frame's body must be read to its end before the next
 * frame is asked for. Throws HttpError for a malformed body: cut short (400 `truncated`), an empty
 * frame, a photo named twice (400), a photo over the size limit, too many photos or bytes (413),
 * and none at all (400 `empty_batch`).
 */
export async function* photoFrames(reader: ByteReader): AsyncGenerator<PhotoFrame, void, undefined> {
  const seen = new Set<string>();
  let declared = 0;
  for (let index = 0; ; index += 1) {
    const header = await reader.exactly(PHOTO_FRAME_HEADER_BYTES);
    if (header === null) {
      if (index === 0) throw new HttpError(400, 'empty_batch', 'The batch holds no photos.');
      return;
    }
    if (header === 'short') throw refused(400, 'truncated', index, 'the body ends inside its header: it was cut short.');
    if (index >= MAX_BATCH_PHOTOS) throw refused(413, 'too_many_photos', index, `a batch holds at most ${MAX_BATCH_PHOTOS} photos.`);
    const sha256 = header.subarray(0, 32).toString('hex');
    const size = header.readUInt32BE(32);
    if (size === 0) throw refused(400, 'empty_photo', index, 'it has no bytes.');
    if (size > MAX_STORED_PHOTO_BYTES) throw refused(413, 'too_large', index, `it is over the ${MAX_STORED_PHOTO_BYTES / 1024 / 1024} MB a photo may be.`);
    declared += PHOTO_FRAME_HEADER_BYTES + size;
    if (declared > MAX_BATCH_BYTES) throw refused(413, 'too_large', index, `the batch goes over ${MAX_BATCH_BYTES / 1024 / 1024} MB.`);
    if (seen.has(sha256)) throw refused(400, 'duplicate_photo', index, `${sha256} is already in this batch.`);
    seen.add(sha256);
    let left = size;
    const body = async function* () {
      while (left > 0) {
        const piece = await reader.upTo(left);
        if (!piece) throw refused(400, 'truncated', index, `the body ends ${left} bytes before the photo does: it was cut short.`);
        left -= piece.length;
        yield piece;
      }
    };
    yield { index, sha256, size, body: body() };
    // A frame not read to its end leaves the next header somewhere inside it: the caller stopped.
    if (left > 0) return;
  }
}

/** The bytes are not a JPEG, PNG or WebP photo. */
class NotAPhoto extends Error {}

const STORED_KINDS = new Set(['jpeg', 'png', 'webp']);

/** What a photo's first bytes say of it: its kind (checked before the rest is written) and, for a JPEG, its size in pixels. */
function inspected(body: AsyncIterable<Buffer>) {
  const head: Buffer[] = [];
  let headBytes = 0;
  const found: { mime: string; width: number | null; height: number | null } = { mime: '', width: null, height: null };
  async function* pass() {
    for await (const piece of body) {
      if (headBytes < DIMENSIONS_HEAD_BYTES) {
        head.push(piece.subarray(0, DIMENSIONS_HEAD_BYTES - headBytes));
        headBytes += piece.length;
        if (!found.mime && headBytes >= PHOTO_HEAD_BYTES) check();
      }
      yield piece;
    }
    if (!found.mime) check();
    if (found.mime === 'image/jpeg') {
      // Found in the first piece nearly always: the head is joined (copied) only when they are not.
      const dimensions = (head.length > 1 && head[0] ? jpegDimensions(head[0]) : null) ?? jpegDimensions(joined(head));
      found.width = dimensions?.width ?? null;
      found.height = dimensions?.height ?? null;
    }
  }
  function check() {
    const kind = sniffImage(joined(head).subarray(0, PHOTO_HEAD_BYTES));
    if (!STORED_KINDS.has(kind)) throw new NotAPhoto();
    found.mime = `image/${kind}`;
  }
  return { found, bytes: pass() };
}

/** The pieces as one buffer, copied only when there are several. */
const joined = (pieces: Buffer[]): Buffer => (pieces.length === 1 && pieces[0] ? pieces[0] : Buffer.concat(pieces));

interface StoredPhoto {
  index: number;
  sha256: string;
  size: number;
  mime: string;
  width: number | null;
  height: number | null;
}

/** Records that the establishment has these photos, in one statement; answers the hashes it did not have before. */
async function recordPhotos(
  db: Queryable,
  input: { establishmentId: string; uploadedBy: string; now: Date },
  photos: readonly StoredPhoto[],
): Promise<Set<string>> {
  if (photos.length === 0) return new Set();
  // One row per photo from a JSON array: the same statement on PGlite and PostgreSQL, whatever the batch's size.
  const rows = photos.map(({ sha256, mime, size, width, height }) => ({ sha256, mime, size, width, height }));
  const inserted = await db.query<{ sha256: string }>(
    `INSERT INTO photos (establishment_id, sha256, mime, size, width, height, uploaded_by, uploaded_at)
     SELECT $1, p.sha256, p.mime, p.size, p.width, p.height, $2, $3
       FROM jsonb_to_recordset($4::jsonb) AS p(sha256 text, mime text, size int, width int, height int)
     ON CONFLICT (establishment_id, sha256) DO NOTHING RETURNING sha256`,
    [input.establishmentId, input.uploadedBy, input.now, JSON.stringify(rows)],
  );
  return new Set(inserted.map((row) => row.sha256));
}

/** The answer to a batch: each photo stored, in the batch's order, and whether it is new to the establishment. */
export interface BatchResult {
  stored: { sha256: string; size: number; created: boolean }[];
}

/**
 * Stores a batch's photos as their frames arrive, a few syncing to disk while the next arrives,
 * and records them for the establishment in one statement. On a malformed or refused frame, or a
 * body cut short, the photos stored before it are recorded all the same and the error is thrown.
 */
export async function storePhotoBatch(
  db: Queryable,
  blobs: BlobStore,
  input: { establishmentId: string; uploadedBy: string; now: Date; body: AsyncIterable<Uint8Array> },
): Promise<BatchResult> {
  const reader = new ByteReader(input.body);
  const stored: StoredPhoto[] = [];
  const storing = new Set<Promise<void>>();
  /** The first thing wrong, kept while the photos already on their way finish (an object: set from callbacks). */
  const state: { failure: Error | null } = { failure: null };

  const store = (frame: PhotoFrame): { read: Promise<void>; done: Promise<void> } => {
    let bytesRead!: () => void;
    const read = new Promise<void>((resolve) => (bytesRead = resolve));
    const { found, bytes } = inspected(frame.body);
    async function* watched() {
      try {
        yield* bytes;
      } finally {
        bytesRead();
      }
    }
    const done = blobs.putStream(frame.sha256, frame.size, watched()).then(
      () => {
        stored.push({ index: frame.index, sha256: frame.sha256, size: frame.size, ...found });
      },
      (error: unknown) => {
        bytesRead();
        state.failure ??= asError(asRefusal(error, frame.index));
      },
    );
    return { read, done };
  };

  try {
    for await (const frame of photoFrames(reader)) {
      const { read, done } = store(frame);
      const tracked = done.finally(() => storing.delete(tracked));
      storing.add(tracked);
      // The next frame's bytes follow this one's: wait for them to be read (the disk sync goes on).
      await read;
      if (state.failure) break;
      if (storing.size >= STORING_AT_ONCE) await Promise.race(storing);
    }
  } catch (error) {
    state.failure ??= asError(error);
  }
  await Promise.all(storing);
  const created = await recordPhotos(db, input, stored);
  if (state.failure) {
    // Read what the device is still sending, so it hears the answer rather than a cut connection.
    const drained = await reader.drain(MAX_BATCH_BYTES * 2).catch(() => true);
    if (!drained) throw new HttpError(413, 'too_large', `A batch may be at most ${MAX_BATCH_BYTES / 1024 / 1024} MB.`);
    throw state.failure;
  }
  const inOrder = stored.sort((a, b) => a.index - b.index);
  return { stored: inOrder.map((p) => ({ sha256: p.sha256, size: p.size, created: created.has(p.sha256) })) };
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** What a failure storing one frame comes to: a 4xx naming it, or the error itself (the disk failed: a 500). */
function asRefusal(error: unknown, index: number): unknown {
  // A body cut inside this frame was already named by photoFrames.
  if (error instanceof HttpError) return error;
  if (error instanceof NotAPhoto) return refused(415, 'unsupported_media_type', index, 'only JPEG, PNG and WebP photos are stored.');
  if (error instanceof BlobHashMismatchError) {
    return refused(400, 'hash_mismatch', index, 'its bytes do not match its SHA-256: it was damaged on the way.');
  }
  return error;
}

/** Of these hashes, the ones this establishment has not uploaded, in the order given, each once. */
export async function missingPhotos(db: Queryable, establishmentId: string, sha256s: readonly string[]): Promise<string[]> {
  const asked = [...new Set(sha256s)];
  if (asked.length === 0) return [];
  const held = await db.query<{ sha256: string }>(
    'SELECT sha256 FROM photos WHERE establishment_id = $1 AND sha256 = ANY($2::text[])',
    [establishmentId, asked],
  );
  const have = new Set(held.map((row) => row.sha256));
  return asked.filter((sha) => !have.has(sha));
}
