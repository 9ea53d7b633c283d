import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PullQuery, PushRequest, type PullResponse, type PushResponse } from '../../../src/shared/api/sync.ts';
import { MAX_STORED_PHOTO_BYTES, PROTOCOL_VERSION } from '../../../src/shared/mutations.ts';
import type { AppDeps } from '../app.ts';
import { authOf } from '../auth/guard.ts';
import { BlobHashMismatchError } from '../blobs.ts';
import { HttpError, notFound } from '../http-errors.ts';
import { photoMimeIn, storePhoto, UnsupportedPhotoError } from '../services/photos.ts';
import { applyPush, pullChanges } from '../services/sync.ts';
import type { ZodTypeProvider } from '../validation.ts';

/** Oldest protocol this server still understands; older clients are told to update (426). */
const MIN_PROTOCOL = 1;

const BLOB_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const BlobParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex') });

export function syncRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  void app.register((scoped, _opts, done) => {
    scoped.addContentTypeParser(BLOB_TYPES, { parseAs: 'buffer', bodyLimit: MAX_STORED_PHOTO_BYTES }, (_request, body, next) => {
      next(null, body);
    });
    const blobs = scoped.withTypeProvider<ZodTypeProvider>();
    // Photos first, by hash: idempotent, so a retried or repeated upload is harmless.
    blobs.put(
      '/api/blobs/:sha256',
      { config: { access: 'signed-in' }, bodyLimit: MAX_STORED_PHOTO_BYTES, schema: { params: BlobParams } },
      async (request, reply) => {
        const auth = authOf(request);
        const { sha256 } = request.params;
        const bytes = request.body;
        if (!(bytes instanceof Buffer) || bytes.length === 0) {
          throw new HttpError(415, 'unsupported_media_type', 'Send the photo’s bytes as image/jpeg, image/png or image/webp.');
        }
        let stored: { created: boolean };
        try {
          stored = await storePhoto(deps.db, deps.blobs, {
            establishmentId: auth.establishmentId,
            uploadedBy: auth.userId,
            sha256,
            bytes,
            now: deps.clock.now(),
          });
        } catch (error) {
          if (error instanceof UnsupportedPhotoError) throw new HttpError(415, 'unsupported_media_type', error.message);
          if (error instanceof BlobHashMismatchError) {
            throw new HttpError(400, 'hash_mismatch', 'The photo’s bytes do not match its SHA-256: it was damaged on the way.');
          }
          throw error;
        }
        return reply.code(stored.created ? 201 : 200).send({ sha256, size: bytes.length });
      },
    );
    done();
  });

  api.get('/api/blobs/:sha256', { config: { access: 'signed-in' }, schema: { params: BlobParams } }, async (request, reply) => {
    const { sha256 } = request.params;
    const mime = await photoMimeIn(deps.db, authOf(request).establishmentId, sha256);
    const stream = mime ? await deps.blobs.get(sha256) : null;
    if (!mime || !stream) throw notFound('Photo');
    // Content-addressed: the same URL always has the same bytes.
    return reply.header('content-type', mime).header('cache-control', 'private, max-age=31536000, immutable').send(stream);
  });

  api.post(
    '/api/sync/push',
    // Any depth parses: each mutation's payload is bounded on its own (applyPush), so a deep one is refused alone.
    { config: { access: 'signed-in', jsonDepth: Number.POSITIVE_INFINITY }, bodyLimit: 5 * 1024 * 1024, schema: { body: PushRequest } },
    async (request): Promise<PushResponse> => {
      const { protocol } = request.body;
      if (protocol < MIN_PROTOCOL) {
        throw new HttpError(426, 'upgrade_required', 'This version of Wingcheck is too old to send evidence. Update the app, then it will send.');
      }
      if (protocol > PROTOCOL_VERSION) throw new HttpError(400, 'unsupported_protocol', 'The app is newer than this server understands.');
      const results = await applyPush(deps.db, authOf(request), request.body, deps.clock.now(), (error, mutationId) => {
        request.log.error({ err: error, mutationId }, 'a pushed change could not be stored');
      });
      return { results };
    },
  );

  api.get('/api/sync/pull', { config: { access: 'signed-in' }, schema: { querystring: PullQuery } }, async (request, reply): Promise<PullResponse> => {
    void reply.header('cache-control', 'no-store');
    const { cursor, limit } = request.query;
    return pullChanges(deps.db, authOf(request).establishmentId, cursor, limit);
  });
}
