import { z } from 'zod';
import { PHOTO_BATCH_TYPE, PROTOCOL_HEADER } from '../../../src/shared/api/sync.ts';
import { OLDEST_PROTOCOL, PROTOCOL_VERSION } from '../../../src/shared/protocol.ts';
import { BlobHashMismatchError } from '../blobs.ts';
import { handlers } from '../endpoint-handlers.ts';
import { HttpError, notFound } from '../http-errors.ts';
import { missingPhotos, storePhotoBatch } from '../services/photo-batches.ts';
import { photoMimeIn, storePhoto, UnsupportedPhotoError } from '../services/photos.ts';
import { applyPush, pullChanges } from '../services/sync.ts';

/** The photo types a PUT /api/blobs/:sha256 takes as raw bytes. */
export const BLOB_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** What `POST /api/blobs/batch` takes: frames, read as they arrive (never buffered whole). */
export const BATCH_TYPES = [PHOTO_BATCH_TYPE];

/**
 * A protocol this server does not speak is 426 whichever side is newer: the app is served by this
 * server, so updating it (taking the version the server serves) is always the cure, and the
 * device keeps its outbox until then (src/sync/run.ts: a 426 counts against no change).
 */
function checkProtocol(protocol: number): void {
  if (protocol >= OLDEST_PROTOCOL && protocol <= PROTOCOL_VERSION) return;
  const message = protocol < OLDEST_PROTOCOL
    ? 'This version of Wingcheck is too old to send evidence. Update the app, then it will send.'
    : `This version of Wingcheck sends in a newer way (protocol ${protocol}) than this server takes (${OLDEST_PROTOCOL} to ${PROTOCOL_VERSION}). `
      + 'Update the app (reload it to take the server’s version), then it will send. Nothing waiting is lost.';
  throw new HttpError(426, 'upgrade_required', message);
}

/** The protocol a photo request says it speaks (`x-wingcheck-protocol`), if it says. */
const ProtocolHeader = z.union([z.undefined(), z.string().regex(/^\d{1,6}$/).transform(Number)]);

/** The protocol a request says it speaks, refused (426) if this server does not; undefined if it does not say. */
function checkProtocolHeader(value: unknown): number | undefined {
  const parsed = ProtocolHeader.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', `${PROTOCOL_HEADER}: must be a protocol number.`);
  if (parsed.data !== undefined) checkProtocol(parsed.data);
  return parsed.data;
}
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

  // Protocol 2: which of these photos the establishment lacks, then those in batches.
  'blobs.missing': async ({ body }, { deps, auth, request }) => {
    checkProtocolHeader(request.headers[PROTOCOL_HEADER]);
    return { missing: await missingPhotos(deps.db, auth().establishmentId, body.sha256s) };
  },

  'blobs.putMany': async ({ body }, { deps, auth, request }) => {
    const { establishmentId, userId } = auth();
    checkProtocolHeader(request.headers[PROTOCOL_HEADER]);
    // The route's parser hands the request's stream on unread (routes/index.ts, stream: true).
    if (!isStream(body)) throw new HttpError(415, 'unsupported_media_type', `Send the photos as ${PHOTO_BATCH_TYPE}.`);
    return storePhotoBatch(deps.db, deps.blobs, { establishmentId, uploadedBy: userId, now: deps.clock.now(), body });
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
    checkProtocol(body.protocol);
    const results = await applyPush(deps.db, auth(), body, deps.clock.now(), (error, mutationId) => {
      request.log.error({ err: error, mutationId }, 'a pushed change could not be stored');
    });
    return { results };
  },

  'sync.pull': ({ query }, { deps, auth, reply, request }) => {
    void reply.header('cache-control', 'no-store');
    const { cursor, limit } = query;
    // An app from before protocol 3 says none: it is sent only the changes it can read.
    const protocol = checkProtocolHeader(request.headers[PROTOCOL_HEADER]) ?? 2;
    return pullChanges(deps.db, auth().establishmentId, cursor, limit, protocol);
  },
});

function isStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}
