import { z } from 'zod';
import { PhotoRef } from '../mutations.ts';
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

/** Sent by the client; the server answers 426 to one older than it supports. */
export const PROTOCOL_HEADER = 'x-wingcheck-protocol';

/** A photo's address: its SHA-256 in lower-case hex. */
export const BlobParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex') });

/** `PUT /api/blobs/:sha256`: the photo is stored (201) or was already (200). */
export const StoredBlob = z.object({ sha256: z.string(), size: z.number().int().nonnegative() });
