import { z } from 'zod';
import { PhotoRef } from '../mutations.ts';
import { GapExplanation } from './gaps.ts';
import { Answer } from '../templates/schema.ts';
import { Instant, SafeText } from '../text.ts';

/** A device's id as it sends it (getClientId makes a UUID; older builds may differ). */
const ClientId = SafeText(100).min(1, 'is required');

/**
 * The sync wire protocol (docs/sync-protocol.md). The request's own fields are checked as it
 * arrives; each mutation (its envelope here, then its type and payload) is checked one by one on
 * the server, so one bad mutation is rejected alone rather than failing its whole batch.
 */
export const PushedMutation = z.object({
  id: z.uuid(),
  clientId: ClientId,
  seq: z.number().int().nonnegative(),
  type: SafeText(100),
  payload: z.unknown(),
  createdAt: Instant(),
});
export type PushedMutation = z.infer<typeof PushedMutation>;

export const MAX_PUSH_MUTATIONS = 100;

/** As the server parses it: the mutations are checked one at a time (PushedMutation), so each answers for itself. */
export const PushRequest = z.strictObject({
  clientId: ClientId,
  protocol: z.number().int().nonnegative(),
  mutations: z.array(z.unknown()).max(MAX_PUSH_MUTATIONS),
});
/** As a device sends it. */
export type PushRequest = Omit<z.infer<typeof PushRequest>, 'mutations'> & { mutations: PushedMutation[] };

export const PushStatus = z.enum(['applied', 'duplicate', 'rejected', 'retry']);
export type PushStatus = z.infer<typeof PushStatus>;

export const PushResult = z.object({ id: z.string(), status: PushStatus, reason: z.string().optional() });
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({ results: z.array(PushResult) });
export type PushResponse = z.infer<typeof PushResponse>;

/** How presence was recorded on a check, as the server verified it: at a location tag (its place), or why not. */
export const CheckPresence = z.discriminatedUnion('method', [
  z.object({ method: z.literal('tag'), place: z.string().nullable(), sheet: z.number().int(), scannedAt: z.string() }),
  z.object({ method: z.literal('none'), reason: z.string() }),
]);
export type CheckPresence = z.infer<typeof CheckPresence>;

/** Evidence as the server holds it, for other devices and for review. */
export const ServerCheck = z.object({
  id: z.uuid(),
  kind: z.enum(['check', 'note']),
  templateVersionId: z.uuid().nullable(),
  scheduleId: z.uuid().nullable(),
  dueOn: z.string().nullable(),
  unitId: z.uuid().nullable(),
  landing: z.string().nullable(),
  authorId: z.uuid(),
  authorName: z.string(),
  actionIds: z.array(z.uuid()),
  answers: z.array(Answer),
  note: z.string(),
  photos: z.array(PhotoRef),
  startedAt: z.string(),
  submittedAt: z.string(),
  receivedAt: z.string(),
  supersedes: z.uuid().nullable(),
  /** Null: not recorded (a note, or a check from an app before location tags). */
  presence: CheckPresence.nullable().default(null),
});
export type ServerCheck = z.infer<typeof ServerCheck>;

/** Reference data a device re-fetches as a whole when told it changed. */
export const ReferenceKind = z.enum(['units', 'plans', 'templates', 'schedules']);
export type ReferenceKind = z.infer<typeof ReferenceKind>;

/** A review decision, as the submitter's device receives it. */
export const ReviewChange = z.object({
  id: z.uuid(),
  checkId: z.uuid(),
  decision: z.enum(['accepted', 'returned']),
  reason: z.string().nullable(),
  reviewerName: z.string(),
  reviewedAt: z.string(),
});

export const Change = z.discriminatedUnion('entity', [
  z.object({ seq: z.string(), entity: z.literal('check'), id: z.uuid(), data: ServerCheck }),
  z.object({ seq: z.string(), entity: z.literal('review'), id: z.uuid(), data: ReviewChange }),
  z.object({ seq: z.string(), entity: z.literal('reference'), id: ReferenceKind }),
  /** Protocol 3: an explanation of a missed check, or a decision on one. */
  z.object({ seq: z.string(), entity: z.literal('gap'), id: z.uuid(), data: GapExplanation }),
]);
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({ changes: z.array(Change), cursor: z.string(), hasMore: z.boolean() });
export type PullResponse = z.infer<typeof PullResponse>;

/** A cursor is the last seq a device holds, as decimal digits; "0" (or none) is the beginning. */
export const PullQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^(0|[1-9]\d{0,17})$/, 'must be a cursor this server gave out')
    .default('0'),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Sent with protocol 2's photo requests; the server answers 426 to a protocol it does not know. */
export const PROTOCOL_HEADER = 'x-wingcheck-protocol';

/** A photo's address: its SHA-256 in lower-case hex. */
export const BlobParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex') });

/** `PUT /api/blobs/:sha256`: the photo is stored (201) or was already (200). */
export const StoredBlob = z.object({ sha256: z.string(), size: z.number().int().nonnegative() });

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');

/** Hashes asked about at once (`POST /api/blobs/missing`): a push's worth of photos, with room. */
export const MAX_MISSING_QUERY = 1000;

/** Protocol 2, before sending photos: which of these does the server lack for this establishment? */
export const MissingBlobsRequest = z.strictObject({ sha256s: z.array(Sha256).max(MAX_MISSING_QUERY) });
/** The hashes asked about that this establishment has not uploaded, in the order asked, each once. */
export const MissingBlobsResponse = z.object({ missing: z.array(z.string()) });

/**
 * Protocol 2: many photos in one `POST /api/blobs/batch` body of this type, one frame after
 * another, each its SHA-256 (32 bytes), its length (4 bytes, unsigned, big-endian) and its bytes.
 * The lengths come first, so the server refuses an oversize photo before reading it, and a
 * frame's bytes are never searched for a boundary (docs/sync-protocol.md).
 */
export const PHOTO_BATCH_TYPE = 'application/vnd.wingcheck.photo-batch';
export const PHOTO_FRAME_HEADER_BYTES = 36;
/** At most this many photos in one batch, and this many bytes of frames. */
export const MAX_BATCH_PHOTOS = 100;
export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/** A frame's header: the photo's SHA-256 (hex, as everywhere else) as 32 bytes, then its length. */
export function photoFrameHeader(sha256: string, size: number): Uint8Array<ArrayBuffer> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError(`not a SHA-256 in lower-case hex: ${sha256}`);
  const header = new Uint8Array(PHOTO_FRAME_HEADER_BYTES);
  for (let i = 0; i < 32; i += 1) header[i] = Number.parseInt(sha256.slice(i * 2, i * 2 + 2), 16);
  new DataView(header.buffer).setUint32(32, size);
  return header;
}

/** `POST /api/blobs/batch`: each photo of the batch, stored now (`created`) or already this establishment's. */
export const StoredBlobs = z.object({ stored: z.array(StoredBlob.extend({ created: z.boolean() })) });
