import { z } from 'zod';
import { Answer, ItemId } from './templates/schema.ts';
import { GAP_REASONS } from './gap-reasons.ts';
import { Instant, LocalDate, OptionalText, Text } from './text.ts';

/**
 * The changes a device makes, as they travel from its outbox to the server. One schema, shared by
 * the page (which writes them), the service worker (which sends them) and the server (which
 * applies them). Bump PROTOCOL_VERSION (protocol.ts) for a change an older server or client
 * could misread.
 */
export { PROTOCOL_VERSION } from './protocol.ts';
// For the device's one lazy load of the schemas at submit: what failed, naming the field.
export { firstIssue } from './text.ts';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');

/** The largest photo the device stores after shrinking (2048 px JPEG): generous, and a bound. */
export const MAX_STORED_PHOTO_BYTES = 8 * 1024 * 1024;

/** A photo as a check or note refers to it: the bytes travel separately, by hash. */
export const PhotoRef = z.strictObject({
  sha256: Sha256,
  mime: z.literal('image/jpeg'),
  size: z.number().int().positive().max(MAX_STORED_PHOTO_BYTES),
  width: z.number().int().positive().max(4096),
  height: z.number().int().positive().max(4096),
  /** The item the photo shows (one that takes photos, see itemTakesPhotos); null: a photo of the check (or note) as a whole. */
  itemId: ItemId.nullable(),
  /**
   * Areas were blurred on the device before the photo was kept (faces, names, cell cards): these
   * bytes are the blurred image. Added without a protocol change: absent means not redacted.
   */
  redacted: z.boolean().optional(),
});
export type PhotoRef = z.infer<typeof PhotoRef>;

/**
 * The device's clock, claimed: a check is started before it is submitted (the server also refuses
 * a submittedAt too far ahead of its own clock, MAX_CLOCK_AHEAD_MS, and records when it received it).
 */
function startedBeforeSubmitted(payload: { startedAt: string; submittedAt: string }, ctx: z.RefinementCtx): void {
  const started = Date.parse(payload.startedAt);
  const submitted = Date.parse(payload.submittedAt);
  if (started > submitted) {
    ctx.addIssue({ code: 'custom', path: ['startedAt'], message: `(${payload.startedAt}) is after submittedAt (${payload.submittedAt}): check the tablet’s date and time` });
  }
}

/** Each item is answered once: two answers would leave the review screen and the evidence pack disagreeing. */
function eachItemOnce(answers: readonly { itemId: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [index, answer] of answers.entries()) {
    if (seen.has(answer.itemId)) ctx.addIssue({ code: 'custom', path: [index, 'itemId'], message: `answers “${answer.itemId}” a second time: each item is answered once` });
    seen.add(answer.itemId);
  }
}

/** A completed check: immutable once submitted; a correction is a new check that supersedes it. */
/** The longest tag text accepted: a token (location-tags.ts) is about 110 characters. */
export const MAX_TAG_TOKEN = 300;

/**
 * Proof of presence on a check: the text of the location tag (QR code) scanned there and when, or
 * why none was scanned. A payload without it (an app from before tags) is accepted and shown as
 * "not recorded".
 */
export const Presence = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('tag'), token: z.string().min(1, 'is required').max(MAX_TAG_TOKEN), scannedAt: Instant() }),
  z.strictObject({ method: z.literal('none'), reason: Text(300) }),
], 'must say how presence was recorded: method "tag" with the scanned token, or "none" with a reason');
export type Presence = z.infer<typeof Presence>;

export const SubmitCheckPayload = z
  .strictObject({
    checkId: z.uuid(),
    templateVersionId: z.uuid(),
    /** The schedule it was due under, and the local date it was due for; null for an ad hoc check. */
    scheduleId: z.uuid().nullable(),
    dueOn: LocalDate().nullable(),
    unitId: z.uuid(),
    landing: Text(40).nullable(),
    actionIds: z.array(z.uuid()).max(50),
    answers: z.array(Answer).max(200).superRefine(eachItemOnce),
    photos: z.array(PhotoRef).max(50),
    startedAt: Instant(),
    submittedAt: Instant(),
    supersedes: z.uuid().nullable(),
    presence: Presence.optional(),
  })
  .superRefine(startedBeforeSubmitted);
export type SubmitCheckPayload = z.infer<typeof SubmitCheckPayload>;

/** Free evidence for one or more actions: a note and photos (of the note as a whole: a note has no items). */
export const AddNotePayload = z
  .strictObject({
    noteId: z.uuid(),
    actionIds: z.array(z.uuid()).min(1).max(50),
    unitId: z.uuid().nullable(),
    text: Text(5000),
    photos: z.array(PhotoRef.refine((photo) => photo.itemId === null, { path: ['itemId'], message: 'must be null: a note’s photos are of the note as a whole' })).max(50),
    startedAt: Instant(),
    submittedAt: Instant(),
    supersedes: z.uuid().nullable(),
  })
  .superRefine(startedBeforeSubmitted);
export type AddNotePayload = z.infer<typeof AddNotePayload>;

/** The statuses a person may set on an action ("overdue" is computed; "archived" is the importer's). */
export const SettableActionStatus = z.enum(['not-started', 'in-progress', 'evidence-submitted', 'complete']);
export type SettableActionStatus = z.infer<typeof SettableActionStatus>;

/**
 * A change of an action's status, based on the version the person saw. Mutable state, unlike
 * evidence: if someone changed the action since, the server refuses it and says what it is now.
 */
export const SetActionStatusPayload = z.strictObject({
  actionId: z.uuid(),
  status: SettableActionStatus,
  baseVersion: z.number().int().positive(),
  reason: OptionalText(2000).optional(),
  /**
   * Closing ("complete"): the name the head of residence typed as their signature (protocol 5). The
   * sign-off binds it, their role and the time to the evidence the action rests on. An app from
   * before it sends none: the account's name is recorded instead.
   */
  signedName: OptionalText(200).optional(),
});
export type SetActionStatusPayload = z.infer<typeof SetActionStatusPayload>;

/**
 * Why an expected check was missed or late, explained by the unit manager or duty governor (protocol
 * 3). A new explanation of the same schedule, unit and day (after a query) stands in place of the last.
 */
export const ExplainGapPayload = z
  .strictObject({
    explanationId: z.uuid(),
    scheduleId: z.uuid(),
    unitId: z.uuid(),
    /** The expected day (a due date of the schedule) it explains. */
    dueOn: LocalDate(),
    reason: z.enum(GAP_REASONS, `must be one of ${GAP_REASONS.join(', ')}`),
    detail: OptionalText(1000).default(''),
    explainedAt: Instant(),
  })
  .refine((p) => p.reason !== 'other' || p.detail !== '', { path: ['detail'], message: 'must say what happened when the reason is “other”' });
export type ExplainGapPayload = z.infer<typeof ExplainGapPayload>;

export const MutationBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('check.submit'), payload: SubmitCheckPayload }),
  z.strictObject({ type: z.literal('note.add'), payload: AddNotePayload }),
  z.strictObject({ type: z.literal('action.set-status'), payload: SetActionStatusPayload }),
  z.strictObject({ type: z.literal('gap.explain'), payload: ExplainGapPayload }),
]);
export type MutationBody = z.infer<typeof MutationBody>;
export type MutationType = MutationBody['type'];
