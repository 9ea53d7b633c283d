import { z } from 'zod';
import { SignOff } from './sign-off.ts';
import { OptionalText } from '../text.ts';
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
  .strictObject({ decision: ReviewDecision, reason: OptionalText(2000).optional() })
  .refine((r) => r.decision === 'accepted' || Boolean(r.reason), { message: 'say why the evidence is returned', path: ['reason'] });
export type ReviewRequest = z.infer<typeof ReviewRequest>;

/** How much of an action's evidence to send: newest first, a page at a time. */
export const EVIDENCE_PAGE = 25;
export const ActionDetailQuery = z.strictObject({
  /** The last piece of evidence already shown: send what was submitted before it. */
  before: z.uuid('must be the id of a piece of evidence').optional(),
  limit: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(EVIDENCE_PAGE),
});
export type ActionDetailQuery = z.infer<typeof ActionDetailQuery>;

/** An action with the evidence recorded for it, newest first, a page at a time: the review screen's timeline. */
export const ActionDetail = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  planTitle: z.string(),
  /** The action's own reference ("1.3", see actionRef), and its concern's ("1"). */
  ref: z.string(),
  concernRef: z.string(),
  concern: z.string().nullable(),
  text: z.string(),
  owner: z.string().nullable(),
  target: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  version: z.number(),
  assigneeName: z.string().nullable(),
  /** All the evidence linked to it, and how much of it stands accepted (completing it needs some, or a reason). */
  evidenceTotal: z.number().int(),
  acceptedEvidence: z.number().int(),
  /** This page of it. */
  evidence: z.array(ServerCheck.extend({ reviews: z.array(Review) })),
  /** The latest sign-off, if the action was ever closed, checked against the evidence now. */
  signOff: SignOff.nullable().default(null),
});
export type ActionDetail = z.infer<typeof ActionDetail>;

/** One row of the plan overview. */
export const OverviewAction = z.object({
  id: z.uuid(),
  /** The action's own reference ("1.3", see actionRef), and its concern's ("1"). */
  ref: z.string(),
  concernRef: z.string(),
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
