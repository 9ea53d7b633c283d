import { z } from 'zod';
import { ServerCheck } from './sync.ts';

export const ReviewDecision = z.enum(['accepted', 'returned']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const Review = z.object({
  id: z.uuid(),
  checkId: z.uuid(),
  decision: ReviewDecision,
  reason: z.string().nullable(),
  reviewerName: z.string(),
  reviewedAt: z.string(),
});
export type Review = z.infer<typeof Review>;

export const ReviewRequest = z
  .strictObject({ decision: ReviewDecision, reason: z.string().trim().max(2000).optional() })
  .refine((r) => r.decision === 'accepted' || Boolean(r.reason), { message: 'say why the evidence is returned', path: ['reason'] });

/** An action with everything recorded for it: the evidence timeline of the review screen. */
export const ActionDetail = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  planTitle: z.string(),
  ref: z.string(),
  concern: z.string().nullable(),
  text: z.string(),
  owner: z.string().nullable(),
  target: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  version: z.number(),
  assigneeName: z.string().nullable(),
  evidence: z.array(ServerCheck.extend({ reviews: z.array(Review) })),
});
export type ActionDetail = z.infer<typeof ActionDetail>;

/** One row of the plan overview. */
export const OverviewAction = z.object({
  id: z.uuid(),
  ref: z.string(),
  category: z.string().nullable(),
  text: z.string(),
  owner: z.string().nullable(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  target: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  evidenceCount: z.number(),
  lastEvidenceAt: z.string().nullable(),
  unitIds: z.array(z.uuid()),
});
export type OverviewAction = z.infer<typeof OverviewAction>;

export const PlanOverview = z.object({ planId: z.uuid(), title: z.string(), actions: z.array(OverviewAction) });
export type PlanOverview = z.infer<typeof PlanOverview>;
