import { z } from 'zod';
import { GAP_REASONS } from '../gap-reasons.ts';
import { OptionalText } from '../text.ts';

export const GapReason = z.enum(GAP_REASONS, `must be one of ${GAP_REASONS.join(', ')}`);

export const GapDecision = z.enum(['accepted', 'queried'], 'must be "accepted" or "queried"');
export type GapDecision = z.infer<typeof GapDecision>;

/** The head of residence's decision on an explanation; the latest stands. */
export const GapReview = z.object({
  decision: GapDecision,
  comment: z.string().nullable(),
  reviewerName: z.string(),
  reviewedAt: z.string(),
});

/** An explanation of a missed or late check, as the server holds it (for the explainer's device and for review). */
export const GapExplanation = z.object({
  id: z.uuid(),
  scheduleId: z.uuid(),
  unitId: z.uuid(),
  /** The expected day it explains. */
  dueOn: z.iso.date(),
  reason: GapReason,
  detail: z.string(),
  authorId: z.uuid(),
  authorName: z.string(),
  explainedAt: z.string(),
  receivedAt: z.string(),
  review: GapReview.nullable(),
});
export type GapExplanation = z.infer<typeof GapExplanation>;

/** POST /api/gaps/:id/review: accept it, or query it saying what is unclear. */
export const GapReviewRequest = z
  .strictObject({ decision: GapDecision, comment: OptionalText(2000).optional() })
  .refine((r) => r.decision === 'accepted' || Boolean(r.comment), { message: 'say what is unclear about the explanation', path: ['comment'] });
export type GapReviewRequest = z.infer<typeof GapReviewRequest>;

/** GET /api/gaps: explanations awaiting review (the default), or the newest of all. */
export const GapsQuery = z.strictObject({
  status: z.enum(['awaiting-review', 'all'], 'must be "awaiting-review" or "all"').default('awaiting-review'),
});

export const GapList = z.object({
  explanations: z.array(GapExplanation.extend({ templateTitle: z.string(), unitName: z.string() })),
});
export type GapList = z.infer<typeof GapList>;
