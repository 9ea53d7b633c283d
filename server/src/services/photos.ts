import { jpegDimensions, sniffImage } from '../../../src/shared/photos.ts';
import type { BlobStore } from '../blobs.ts';
import type { Queryable } from '../db/client.ts';

/** The bytes are not a JPEG, PNG or WebP photo. */
export class UnsupportedPhotoError extends Error {
  override name = 'UnsupportedPhotoError';
}

const STORED_KINDS = ['jpeg', 'png', 'webp'];

/**
 * Stores a photo's bytes under their SHA-256 and records that the establishment has them, so its
 * evidence may name them: what `PUT /api/blobs/:sha256` does, and the demo's history too.
 * Idempotent: `created` is false when the establishment already had them. Throws
 * UnsupportedPhotoError for other kinds of file, and the store's BlobHashMismatchError, storing
 * nothing, when the bytes do not hash to `sha256`.
 */
export async function storePhoto(
  db: Queryable,
  blobs: BlobStore,
  input: { establishmentId: string; uploadedBy: string; sha256: string; bytes: Buffer; now: Date },
): Promise<{ created: boolean; mime: string }> {
  const { bytes, sha256 } = input;
  const kind = sniffImage(bytes.subarray(0, 64));
  if (!STORED_KINDS.includes(kind)) throw new UnsupportedPhotoError('Only JPEG, PNG and WebP photos are stored.');
  // The store hashes the bytes before writing them: hashing here too would cost a second pass over every photo.
  await blobs.put(sha256, bytes);
  const mime = `image/${kind}`;
  // Read from the bytes, so a check's photo reference can be held to the file (size, width, height).
  const dimensions = kind === 'jpeg' ? jpegDimensions(bytes) : null;
  const inserted = await db.query(
    `INSERT INTO photos (establishment_id, sha256, mime, size, width, height, uploaded_by, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (establishment_id, sha256) DO NOTHING RETURNING sha256`,
    [
      input.establishmentId, sha256, mime, bytes.length,
      dimensions?.width ?? null, dimensions?.height ?? null, input.uploadedBy, input.now,
    ],
  );
  return { created: inserted.length > 0, mime };
}

/** The type of a photo this establishment holds, or null: another establishment's photo is not there for it. */
export async function photoMimeIn(db: Queryable, establishmentId: string, sha256: string): Promise<string | null> {
  const [photo] = await db.query<{ mime: string }>('SELECT mime FROM photos WHERE establishment_id = $1 AND sha256 = $2', [establishmentId, sha256]);
  return photo?.mime ?? null;
}

/**
 * Removes stored bytes that nothing holds any more. Content-addressed: the same bytes may be a
 * photo of several establishments, or (however unlikely) a ready evidence pack, so they go only
 * when no photo row and no ready pack names them.
 */
export async function deleteUnheldBlob(db: Queryable, blobs: BlobStore, sha256: string): Promise<void> {
  const [held] = await db.query(
    'SELECT 1 FROM photos WHERE sha256 = $1 UNION ALL SELECT 1 FROM export_jobs WHERE file_sha256 = $1 AND state = \'ready\' LIMIT 1',
    [sha256],
  );
  if (!held) await blobs.delete(sha256);
}
