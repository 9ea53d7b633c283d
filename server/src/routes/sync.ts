import { PROTOCOL_VERSION } from '../../../src/shared/mutations.ts';
import { BlobHashMismatchError } from '../blobs.ts';
import { handlers } from '../endpoint-handlers.ts';
import { HttpError, notFound } from '../http-errors.ts';
import { photoMimeIn, storePhoto, UnsupportedPhotoError } from '../services/photos.ts';
import { applyPush, pullChanges } from '../services/sync.ts';

/** Oldest protocol this server still understands; older clients are told to update (426). */
const MIN_PROTOCOL = 1;

/** The photo types a PUT /api/blobs/:sha256 takes as raw bytes. */
export const BLOB_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** A pushed batch's size limit: each mutation's payload is bounded on its own (applyPush). */
export const MAX_PUSH_BYTES = 5 * 1024 * 1024;

/** Sync: photos by hash, then the queued mutations; changes since a cursor back. */
export const syncHandlers = handlers({
  // Photos first, by hash: idempotent, so a retried or repeated upload is harmless.
  'blobs.put': async ({ params, body: bytes }, { deps, auth, reply }) => {
    const { establishmentId, userId } = auth();
    const { sha256 } = params;
    if (!(bytes instanceof Buffer) || bytes.length === 0) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the photo’s bytes as image/jpeg, image/png or image/webp.');
    }
    let stored: { created: boolean };
    try {
      const now = deps.clock.now();
      stored = await storePhoto(deps.db, deps.blobs, { establishmentId, uploadedBy: userId, sha256, bytes, now });
    } catch (error) {
      if (error instanceof UnsupportedPhotoError) throw new HttpError(415, 'unsupported_media_type', error.message);
      if (error instanceof BlobHashMismatchError) {
        throw new HttpError(400, 'hash_mismatch', 'The photo’s bytes do not match its SHA-256: it was damaged on the way.');
      }
      throw error;
    }
    return reply.code(stored.created ? 201 : 200).send({ sha256, size: bytes.length });
  },

  'blobs.get': async ({ params }, { deps, auth, reply }) => {
    const { sha256 } = params;
    const mime = await photoMimeIn(deps.db, auth().establishmentId, sha256);
    const stream = mime ? await deps.blobs.get(sha256) : null;
    if (!mime || !stream) throw notFound('Photo');
    // Content-addressed: the same URL always has the same bytes.
    return reply.header('content-type', mime).header('cache-control', 'private, max-age=31536000, immutable').send(stream);
  },

  'sync.push': async ({ body }, { deps, auth, request }) => {
    const { protocol } = body;
    if (protocol < MIN_PROTOCOL) {
      throw new HttpError(426, 'upgrade_required', 'This version of Wingcheck is too old to send evidence. Update the app, then it will send.');
    }
    if (protocol > PROTOCOL_VERSION) throw new HttpError(400, 'unsupported_protocol', 'The app is newer than this server understands.');
    const results = await applyPush(deps.db, auth(), body, deps.clock.now(), (error, mutationId) => {
      request.log.error({ err: error, mutationId }, 'a pushed change could not be stored');
    });
    return { results };
  },

  'sync.pull': ({ query }, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    const { cursor, limit } = query;
    return pullChanges(deps.db, auth().establishmentId, cursor, limit);
  },
});
